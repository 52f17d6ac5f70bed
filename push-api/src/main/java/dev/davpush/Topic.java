package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;

/**
 * The WebDAV-Push {@code topic} of a push-capable resource: a server-wide unique, stable identifier
 * (draft-bitfire-webdav-push §2.1, R-WDP-8).
 *
 * <p>The value is opaque text. {@link #random()} gives the form the project recommends (digest
 * ambiguity A-9): 128 random bits as 22 base64url characters, never derived from a path or user
 * name.
 *
 * @param value 1 to 1024 characters, no control characters
 *     <p>Thread safety: immutable.
 */
public record Topic(String value) {
  /** Largest accepted length in characters. */
  public static final int MAX_LENGTH = 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Validates the value. @throws IllegalArgumentException if empty, longer than {@link
   * #MAX_LENGTH}, or holding a control character
   *
   * @param value as described on the record
   */
  public Topic {
    requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "topic: expected 1.." + MAX_LENGTH + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("topic: control character at index " + i);
      }
    }
  }

  /**
   * Returns the topic with this exact value.
   *
   * @param value see {@link Topic}
   * @return the topic
   */
  public static Topic of(String value) {
    return new Topic(value);
  }

  /**
   * Creates a fresh random topic: 16 bytes from {@link SecureRandom}, 22 base64url characters.
   *
   * @return a new topic
   */
  public static Topic random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new Topic(Base64Url.encode(bytes));
  }

  @Override
  public String toString() {
    return value;
  }
}
