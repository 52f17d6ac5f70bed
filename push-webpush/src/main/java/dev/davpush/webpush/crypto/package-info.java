/**
 * The cryptography of Web Push, as public primitives.
 *
 * <ul>
 *   <li>{@link dev.davpush.webpush.crypto.Aes128GcmCodec}: the RFC 8188 {@code aes128gcm} content
 *       coding, any record size, several records, padding, every decoder check;
 *   <li>{@link dev.davpush.webpush.crypto.WebPushEncryption}: RFC 8291 message encryption
 *       (application server) and decryption (user agent);
 *   <li>{@link dev.davpush.webpush.crypto.UserAgentKeyPair}: a subscription's key material on the
 *       client side;
 *   <li>{@link dev.davpush.webpush.crypto.VapidKeyPair}, {@link dev.davpush.webpush.crypto.Vapid}
 *       and {@link dev.davpush.webpush.crypto.VapidClaims}: RFC 8292 VAPID tokens;
 *   <li>{@link dev.davpush.webpush.crypto.P256Jwk}: P-256 keys as RFC 7517 JWK;
 *   <li>{@link dev.davpush.webpush.crypto.LegacyAesGcm}: the superseded {@code aesgcm} coding,
 *       opt-in only.
 * </ul>
 *
 * <p>Every failure caused by bad input is a {@link dev.davpush.webpush.crypto.PushCryptoException}
 * (or an {@link IllegalArgumentException} for misuse of a parameter); no BouncyCastle or JCA
 * exception type escapes, and no partial plaintext is ever returned. Arithmetic runs on
 * BouncyCastle's lightweight API; no JCA provider is ever registered.
 */
@NullMarked
package dev.davpush.webpush.crypto;

import org.jspecify.annotations.NullMarked;
