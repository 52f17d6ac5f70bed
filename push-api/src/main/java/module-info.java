/**
 * WebDAV-Push model values and service-provider interfaces.
 *
 * <p>This module has no third-party runtime dependency and no engine. Wire formats live in {@code
 * dev.davpush.xml}, the engine in {@code dev.davpush.server}, the Web Push transport in {@code
 * dev.davpush.webpush}.
 */
module dev.davpush {
  requires static org.jspecify;

  exports dev.davpush;
  exports dev.davpush.spi;

  uses dev.davpush.spi.PushTransportProvider;
}
