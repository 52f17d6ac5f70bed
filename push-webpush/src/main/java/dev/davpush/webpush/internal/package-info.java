/**
 * Internals of the Web Push module: P-256 arithmetic on BouncyCastle's lightweight API (never a
 * registered JCA provider), HMAC/HKDF, AES-128-GCM, and the HTTP plumbing of the transport. Not
 * exported; nothing here is API.
 */
@NullMarked
package dev.davpush.webpush.internal;

import org.jspecify.annotations.NullMarked;
