/**
 * Internals of the Web Push module: P-256 arithmetic (this module's constant-time {@code
 * P256Field}/{@code P256Curve} for key generation and ECDH, BouncyCastle's lightweight API, never a
 * registered JCA provider, for ES256 and repeated peers), HMAC/HKDF, AES-128-GCM, and the HTTP
 * plumbing of the transport. Not exported; nothing here is API.
 */
@NullMarked
package dev.davpush.webpush.internal;

import org.jspecify.annotations.NullMarked;
