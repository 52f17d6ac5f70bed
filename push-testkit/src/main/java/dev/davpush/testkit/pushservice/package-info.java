/**
 * An embedded RFC 8030 push service for conformance tests: it hands out push resources on {@code
 * http://127.0.0.1:<port>/push/…}, accepts the push requests a WebDAV-Push server sends, checks
 * each one against RFC 8030 (§5 {@code TTL}, §5.3 {@code Urgency}, §5.4 {@code Topic}, §7.2 size),
 * RFC 8291 ({@code Content-Encoding: aes128gcm}, decryption with the subscription's private key)
 * and RFC 8292 (VAPID on restricted subscriptions), records what it saw, and answers as a push
 * service would — or as the test scripts it to ({@code 404}, {@code 410}, {@code 413}, {@code 429}
 * with {@code Retry-After}, {@code 5xx}).
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (EmbeddedPushService service = EmbeddedPushService.start()) {
 *   PushServiceSubscription sub = service.subscribe(serverVapidKey);
 *   // register sub.toWebPushSubscription() with the WebDAV server, change something, then:
 *   ReceivedPush push = sub.awaitMessage(Duration.ofSeconds(30)).orElseThrow();
 *   assertThat(push.violations()).isEmpty();
 * }
 * }</pre>
 *
 * <p>It is a test peer: plain HTTP, loopback only, everything in memory. Push resource paths,
 * tokens, keys and payloads never appear in its log lines or in any {@code toString()}.
 */
@NullMarked
package dev.davpush.testkit.pushservice;

import org.jspecify.annotations.NullMarked;
