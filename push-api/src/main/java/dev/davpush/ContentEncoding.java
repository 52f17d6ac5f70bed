package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An HTTP content coding for push message encryption. An open set: the draft defines only {@link
 * #AES128GCM} (RFC 8291); {@link #AESGCM} is the legacy draft coding some push services still take.
 *
 * @param token the coding token, lower case
 *     <p>Thread safety: immutable.
 */
public record ContentEncoding(String token) {
  /** RFC 8188 / RFC 8291 {@code aes128gcm}: the only coding WebDAV-Push allows (R-WDP-57). */
  public static final ContentEncoding AES128GCM = new ContentEncoding("aes128gcm");

  /** Legacy {@code aesgcm} (draft-ietf-webpush-encryption-04). */
  public static final ContentEncoding AESGCM = new ContentEncoding("aesgcm");

  /**
   * Validates the token. @throws IllegalArgumentException if empty or holding characters outside an
   * HTTP token
   *
   * @param token as described on the record
   */
  public ContentEncoding {
    requireNonNull(token, "token");
    if (token.isEmpty() || token.length() > 64) {
      throw new IllegalArgumentException("content encoding: expected 1..64 characters");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        throw new IllegalArgumentException("content encoding: not an HTTP token");
      }
    }
    token = token.toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the coding for a token, case-insensitively.
   *
   * @param token the token
   * @return the coding
   */
  public static ContentEncoding of(String token) {
    return new ContentEncoding(requireNonNull(token, "token").strip());
  }

  @Override
  public String toString() {
    return token;
  }
}
