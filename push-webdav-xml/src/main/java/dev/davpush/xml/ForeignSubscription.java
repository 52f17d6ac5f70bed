package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.Subscription;
import java.util.Objects;

/**
 * A subscription of a transport this module does not model (anything but {@code
 * web-push-subscription} inside {@code subscription}), kept as opaque XML so that a transport
 * provider can interpret it (draft-bitfire-webdav-push §3.1, R-WDP-13).
 *
 * <p>{@link #transport()} is the element's local name and {@link #id()} the serialised element
 * itself: a transport that accepts such subscriptions derives its own identifier from the XML.
 * {@link #toString()} hides the XML, which may hold secrets.
 *
 * <p>Thread safety: immutable.
 */
public final class ForeignSubscription implements Subscription {
  private final String namespaceUri;
  private final String localName;
  private final String xml;

  private ForeignSubscription(String namespaceUri, String localName, String xml) {
    this.namespaceUri = requireNonNull(namespaceUri, "namespaceUri");
    this.localName = requireNonNull(localName, "localName");
    this.xml = requireNonNull(xml, "xml");
    if (localName.isEmpty()) {
      throw new IllegalArgumentException("localName: must not be empty");
    }
    if (xml.isEmpty()) {
      throw new IllegalArgumentException("xml: must not be empty");
    }
  }

  /**
   * A foreign subscription.
   *
   * @param namespaceUri namespace URI of the subscription element
   * @param localName local name of the subscription element, non-empty
   * @param xml the element as a standalone XML fragment with its namespace declarations, as {@link
   *     PushRegisterReader} produces it; written back verbatim in structure by {@link
   *     PushRegisterWriter}
   * @return the subscription
   */
  public static ForeignSubscription of(String namespaceUri, String localName, String xml) {
    return new ForeignSubscription(namespaceUri, localName, xml);
  }

  /**
   * The namespace URI of the subscription element.
   *
   * @return possibly empty (no namespace)
   */
  public String namespaceUri() {
    return namespaceUri;
  }

  /**
   * The local name of the subscription element.
   *
   * @return non-empty
   */
  public String localName() {
    return localName;
  }

  /**
   * The element as an XML fragment.
   *
   * @return the serialised element, namespace declarations included
   */
  public String xml() {
    return xml;
  }

  @Override
  public String transport() {
    return localName;
  }

  /** The serialised element; a secret for logging purposes. */
  @Override
  public String id() {
    return xml;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ForeignSubscription f
        && namespaceUri.equals(f.namespaceUri)
        && localName.equals(f.localName)
        && xml.equals(f.xml);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespaceUri, localName, xml);
  }

  @Override
  public String toString() {
    return "ForeignSubscription[{" + namespaceUri + "}" + localName + ", xml=[redacted]]";
  }
}
