package dev.davpush;

/**
 * One transport as listed in the {@code transports} property (draft-bitfire-webdav-push §2.1,
 * R-WDP-7): its name and its per-transport data. {@link WebPushTransportDescriptor} describes
 * {@code web-push}; {@link ForeignTransportDescriptor} keeps any other transport as opaque XML.
 */
public sealed interface TransportDescriptor
    permits WebPushTransportDescriptor, ForeignTransportDescriptor {
  /**
   * The transport name: the local name of its element in {@code transports}.
   *
   * @return for example {@code web-push}
   */
  String name();
}
