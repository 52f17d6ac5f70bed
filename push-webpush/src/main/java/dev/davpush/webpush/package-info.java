/**
 * The Web Push transport (RFC 8030 application-server side): {@link
 * dev.davpush.webpush.WebPushTransport} encrypts (RFC 8291), authorises (RFC 8292 VAPID) and POSTs
 * push messages, guarded by a {@link dev.davpush.webpush.PushResourcePolicy} against server-side
 * request forgery. {@link dev.davpush.webpush.WebPushTransportProvider} makes it available through
 * {@link java.util.ServiceLoader}. The cryptographic primitives are in {@code
 * dev.davpush.webpush.crypto}.
 */
@NullMarked
package dev.davpush.webpush;

import org.jspecify.annotations.NullMarked;
