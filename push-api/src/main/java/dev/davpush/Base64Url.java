package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.Base64;

/**
 * Base64url as WebDAV-Push peers send it (digest ambiguity A-19): written strictly (RFC 4648 §5
 * alphabet, no padding), read tolerantly (with or without {@code =} padding, URL-safe or standard
 * alphabet, surrounding whitespace ignored).
 *
 * <p>Thread safety: stateless.
 */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /**
   * Encodes bytes as unpadded base64url.
   *
   * @param bytes any length
   * @return the encoding, {@code ceil(4n/3)} characters without padding
   */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(requireNonNull(bytes, "bytes"));
  }

  /**
   * Decodes base64url or base64, padded or not.
   *
   * @param text the encoded text; leading and trailing whitespace is ignored
   * @return the decoded bytes
   * @throws IllegalArgumentException if the text holds characters outside both alphabets, has
   *     misplaced padding, or a length no encoding produces
   */
  public static byte[] decode(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    StringBuilder normal = new StringBuilder(s.length());
    int padding = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') {
        padding++;
        continue;
      }
      if (padding > 0) {
        throw new IllegalArgumentException("base64url: padding '=' inside the text at index " + i);
      }
      if (c == '+') {
        c = '-';
      } else if (c == '/') {
        c = '_';
      }
      boolean valid =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!valid) {
        throw new IllegalArgumentException(
            "base64url: character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i
                + " is outside the alphabet");
      }
      normal.append(c);
    }
    if (padding > 2 || normal.length() % 4 == 1) {
      throw new IllegalArgumentException(
          "base64url: " + normal.length() + " characters is not a valid encoded length");
    }
    try {
      return DECODER.decode(normal.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("base64url: " + e.getMessage(), e);
    }
  }
}
