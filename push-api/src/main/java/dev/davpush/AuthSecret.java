package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The RFC 8291 §3.2 authentication secret of a Web Push subscription: 16 bytes shared between user
 * agent and application server. A secret: {@link #toString()} prints {@code [redacted]} and {@link
 * #equals} compares in constant time.
 *
 * <p>Thread safety: immutable.
 */
public final class AuthSecret {
  /** Length in bytes. */
  public static final int LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;

  private AuthSecret(byte[] secret) {
    this.secret = secret;
  }

  /**
   * Copies a secret.
   *
   * @param secret exactly 16 bytes; copied
   * @return the secret
   * @throws IllegalArgumentException if the length is not 16
   */
  public static AuthSecret of(byte[] secret) {
    requireNonNull(secret, "secret");
    if (secret.length != LENGTH) {
      throw new IllegalArgumentException("auth secret: expected 16 bytes, got " + secret.length);
    }
    return new AuthSecret(secret.clone());
  }

  /**
   * Decodes a base64url secret, read tolerantly (see {@link Base64Url#decode}).
   *
   * @param text base64url of 16 bytes (22 characters unpadded)
   * @return the secret
   * @throws IllegalArgumentException if the text is not base64url or not 16 bytes long
   */
  public static AuthSecret fromBase64Url(String text) {
    return of(Base64Url.decode(requireNonNull(text, "text")));
  }

  /**
   * Generates a fresh secret from {@link SecureRandom} (R-8291-3).
   *
   * @return 16 random bytes
   */
  public static AuthSecret random() {
    byte[] b = new byte[LENGTH];
    RANDOM.nextBytes(b);
    return new AuthSecret(b);
  }

  /**
   * The secret bytes.
   *
   * @return a fresh copy of the 16 bytes
   */
  public byte[] bytes() {
    return secret.clone();
  }

  /**
   * The unpadded base64url encoding, for the {@code auth-secret} element. Handle as a secret.
   *
   * @return 22 characters
   */
  public String toBase64Url() {
    return Base64Url.encode(secret);
  }

  /** Constant-time comparison. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AuthSecret s && MessageDigest.isEqual(secret, s.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
