/**
 * WebDAV-Push model, service-provider interfaces and the server engine.
 *
 * <p>This module has no third-party runtime dependency. Wire formats live in
 * {@code dev.davpush.xml}; the Web Push transport in {@code dev.davpush.webpush}.
 */
module dev.davpush {
  requires static org.jspecify;

  exports dev.davpush;
  exports dev.davpush.spi;
  exports dev.davpush.server;

  uses dev.davpush.spi.PushTransportProvider;
}
