package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * The qualified name of a WebDAV property (RFC 4918 §4.3): namespace URI and local name.
 *
 * @param namespaceUri the XML namespace URI; may be empty for no namespace
 * @param localName the local name; a non-empty XML NCName-like token without {@code :} or
 *     whitespace
 *     <p>Thread safety: immutable.
 */
public record PropertyName(String namespaceUri, String localName) {
  /** The {@code DAV:} namespace. */
  public static final String DAV = "DAV:";

  /** {@code DAV:displayname}. */
  public static final PropertyName DISPLAYNAME = new PropertyName(DAV, "displayname");

  /** {@code DAV:getetag}: changes with every content update (R-WDP-22). */
  public static final PropertyName GETETAG = new PropertyName(DAV, "getetag");

  /** {@code DAV:getlastmodified}: changes with every content update (R-WDP-22). */
  public static final PropertyName GETLASTMODIFIED = new PropertyName(DAV, "getlastmodified");

  /** {@code DAV:sync-token} (RFC 6578): changes with every content update (R-WDP-22). */
  public static final PropertyName SYNC_TOKEN = new PropertyName(DAV, "sync-token");

  /**
   * Validates the name. @throws IllegalArgumentException if the local name is empty or holds {@code
   * :} or whitespace
   *
   * @param namespaceUri as described on the record
   * @param localName as described on the record
   */
  public PropertyName {
    requireNonNull(namespaceUri, "namespaceUri");
    requireNonNull(localName, "localName");
    if (localName.isEmpty()) {
      throw new IllegalArgumentException("localName: must not be empty");
    }
    for (int i = 0; i < localName.length(); i++) {
      char c = localName.charAt(i);
      if (c == ':'
          || Character.isWhitespace(c)
          || Character.isISOControl(c)
          || c == '<'
          || c == '>'
          || c == '&'
          || c == '"'
          || c == '\''
          || c == '/') {
        throw new IllegalArgumentException(
            "localName: character '" + c + "' at index " + i + " is not allowed");
      }
    }
  }

  /**
   * Returns a property name.
   *
   * @param namespaceUri the namespace URI
   * @param localName the local name
   * @return the name
   */
  public static PropertyName of(String namespaceUri, String localName) {
    return new PropertyName(namespaceUri, localName);
  }

  /** Clark notation, {@code {namespace}local}. */
  @Override
  public String toString() {
    return "{" + namespaceUri + "}" + localName;
  }
}
