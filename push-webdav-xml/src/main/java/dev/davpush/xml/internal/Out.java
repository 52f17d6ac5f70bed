package dev.davpush.xml.internal;

import dev.davpush.PropertyName;
import dev.davpush.xml.WebDavPush;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A byte-stable XML text builder for the compact documents this module writes.
 *
 * <p>Thread safety: not thread-safe; one builder per document being written.
 */
public final class Out {
  /** Property names in a stable order: namespace, then local name. */
  public static final Comparator<PropertyName> NAME_ORDER =
      Comparator.comparing(PropertyName::namespaceUri).thenComparing(PropertyName::localName);

  private final StringBuilder sb;

  /**
   * An empty builder.
   *
   * @param capacity initial capacity in characters, ≥ 0
   */
  public Out(int capacity) {
    sb = new StringBuilder(capacity);
  }

  /**
   * Appends markup as is: tags, names and values the caller knows to need no escaping.
   *
   * @param s the text, appended unchanged
   * @return this builder
   */
  public Out raw(String s) {
    sb.append(s);
    return this;
  }

  /**
   * Appends escaped character data ({@code &}, {@code <}, {@code >}, CR as references).
   *
   * @param s the text
   * @param what names the field in the error message
   * @return this builder
   * @throws IllegalArgumentException if {@code s} holds characters XML 1.0 cannot carry
   */
  public Out text(String s, String what) {
    checkChars(s, what);
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\r' -> sb.append("&#13;");
        default -> sb.append(c);
      }
    }
    return this;
  }

  /**
   * Appends an escaped attribute value (double-quoted by the caller); {@code &}, {@code <}, {@code
   * "}, CR, LF and tab become references so that they survive normalisation.
   *
   * @param s the value
   * @param what names the field in the error message
   * @return this builder
   * @throws IllegalArgumentException if {@code s} holds characters XML 1.0 cannot carry
   */
  public Out attr(String s, String what) {
    checkChars(s, what);
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '"' -> sb.append("&quot;");
        case '\r' -> sb.append("&#13;");
        case '\n' -> sb.append("&#10;");
        case '\t' -> sb.append("&#9;");
        default -> sb.append(c);
      }
    }
    return this;
  }

  /**
   * Writes empty elements for property names, in {@link #NAME_ORDER}, in a document whose default
   * namespace is WebDAV-Push and where {@code D} is bound to {@code DAV:}.
   *
   * @param names the property names
   * @return this builder
   * @throws IllegalArgumentException if a name holds characters XML 1.0 cannot carry
   */
  public Out propertyNames(Collection<PropertyName> names) {
    List<PropertyName> sorted = new ArrayList<>(names);
    sorted.sort(NAME_ORDER);
    for (PropertyName p : sorted) {
      String ns = p.namespaceUri();
      if (ns.equals(WebDavPush.DAV_NAMESPACE)) {
        raw("<D:").text(p.localName(), "property name").raw("/>");
      } else if (ns.equals(WebDavPush.NAMESPACE)) {
        raw("<").text(p.localName(), "property name").raw("/>");
      } else if (ns.isEmpty()) {
        raw("<").text(p.localName(), "property name").raw(" xmlns=\"\"/>");
      } else {
        raw("<X:")
            .text(p.localName(), "property name")
            .raw(" xmlns:X=\"")
            .attr(ns, "property namespace")
            .raw("\"/>");
      }
    }
    return this;
  }

  /**
   * The document so far.
   *
   * @return a new array with the text encoded as UTF-8
   */
  public byte[] utf8() {
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  /**
   * Rejects characters XML 1.0 cannot carry (controls other than tab, LF, CR; U+FFFE, U+FFFF; lone
   * surrogates).
   *
   * @param s the text
   * @param what names the field in the error message
   * @throws IllegalArgumentException naming the field, the character and its index
   */
  public static void checkChars(String s, String what) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        throw new IllegalArgumentException(
            what
                + ": control character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i
                + " cannot be written in XML 1.0");
      }
      if (c == 0xFFFE || c == 0xFFFF) {
        throw new IllegalArgumentException(what + ": non-character at index " + i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException(what + ": lone surrogate at index " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(what + ": lone surrogate at index " + i);
      }
    }
  }
}
