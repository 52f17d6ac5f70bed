/**
 * JMH benchmarks of the Web Push cryptography: per-message encryption and authorisation against
 * webpush-java (the anchor), and the primitives (key generation, ECDH, ES256, AES-128-GCM) on
 * BouncyCastle's lightweight API against the JDK's providers.
 */
@NullMarked
package dev.davpush.benchmarks.crypto;

import org.jspecify.annotations.NullMarked;
