/**
 * RFC 8291/8188 encryption, RFC 8292 VAPID, and the Web Push transport.
 *
 * <p>{@code dev.davpush.webpush} holds the transport and its SSRF policy; {@code
 * dev.davpush.webpush.crypto} the cryptographic primitives. Registers {@link
 * dev.davpush.webpush.WebPushTransportProvider} as a {@link dev.davpush.spi.PushTransportProvider}.
 */
module dev.davpush.webpush {
  requires transitive dev.davpush;
  requires static org.jspecify;
  requires org.bouncycastle.provider;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;
  requires com.fasterxml.jackson.core;

  exports dev.davpush.webpush;
  exports dev.davpush.webpush.crypto;

  provides dev.davpush.spi.PushTransportProvider with
      dev.davpush.webpush.WebPushTransportProvider;
}
