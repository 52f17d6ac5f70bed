/**
 * The Web Push transport (RFC 8030 application-server side): {@link
 * dev.davpush.webpush.WebPushTransport} encrypts (RFC 8291), authorises (RFC 8292 VAPID) and POSTs
 * push messages, guarded by a {@link dev.davpush.webpush.PushResourcePolicy} against server-side
 * request forgery. {@link dev.davpush.webpush.WebPushTransportProvider} makes it available through
 * {@link java.util.ServiceLoader}. The cryptographic primitives are in {@code
 * dev.davpush.webpush.crypto}.
 *
 * <p>Failures without an answer are {@link dev.davpush.DeliveryException}s whose {@link
 * dev.davpush.DeliveryException#reason() reason} tells timeouts, connection failures, name
 * resolution, TLS, policy refusals and encryption failures apart, so that a caller can retry the
 * retryable ones.
 *
 * <p>Logging and secrets: push resource URLs are capability URLs, and VAPID tokens, user-agent
 * keys, auth secrets and payloads are secrets. The transport logs one DEBUG line per delivery with
 * the host only. Its own connections use Apache HttpCore 5, which does not log at all; Apache
 * HttpClient 5, whose execution chain logs request URIs, headers ({@code
 * org.apache.hc.client5.http.headers}) and wire bytes ({@code org.apache.hc.client5.http.wire}) at
 * DEBUG, is used only for a caller-supplied client ({@link
 * dev.davpush.webpush.WebPushTransport.Builder#httpClient}), whose loggers are then the caller's to
 * keep below DEBUG. The module's tests check this with every logger at TRACE.
 */
@NullMarked
package dev.davpush.webpush;

import org.jspecify.annotations.NullMarked;
