package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * A transport the library does not model, kept as opaque XML so that a transport provider can
 * interpret it (digest ambiguity A-3: {@code transports} may list several).
 *
 * @param namespaceUri the namespace URI of the transport element
 * @param localName the local name of the transport element
 * @param xml the element serialised as a standalone XML fragment, namespace declarations included
 *     <p>Thread safety: immutable.
 */
public record ForeignTransportDescriptor(String namespaceUri, String localName, String xml)
    implements TransportDescriptor {
  /**
   * Validates the parts.
   *
   * @param namespaceUri as described on the record
   * @param localName as described on the record
   * @param xml as described on the record
   */
  public ForeignTransportDescriptor {
    requireNonNull(namespaceUri, "namespaceUri");
    requireNonNull(localName, "localName");
    requireNonNull(xml, "xml");
    if (localName.isEmpty()) {
      throw new IllegalArgumentException("localName: must not be empty");
    }
  }

  @Override
  public String name() {
    return localName;
  }
}
