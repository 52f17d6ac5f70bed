package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A public key on the NIST P-256 curve in uncompressed X9.62 form: 65 bytes, {@code 0x04 ‖ X ‖ Y}.
 * Used for the subscription public key of RFC 8291 ({@code p256dh}) and for the VAPID key of RFC
 * 8292 ({@code p256ecdsa}).
 *
 * <p>Construction checks what RFC 8291 §7 requires of received keys (R-8291-12): both coordinates
 * are in range and the point satisfies the curve equation (the point at infinity has no
 * uncompressed form). Compressed points are refused: WebDAV-Push requires uncompressed keys.
 *
 * <p>Thread safety: immutable.
 */
public final class P256PublicKey {
  /** Length of the uncompressed encoding in bytes. */
  public static final int LENGTH = 65;

  private static final BigInteger P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
  private static final BigInteger B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private final byte[] encoded;

  private P256PublicKey(byte[] encoded) {
    this.encoded = encoded;
  }

  /**
   * Validates and copies an uncompressed point.
   *
   * @param uncompressed 65 bytes starting with {@code 0x04}; copied
   * @return the key
   * @throws IllegalArgumentException if the length or prefix is wrong, a coordinate is not below
   *     the field prime, or the point is not on P-256
   */
  public static P256PublicKey of(byte[] uncompressed) {
    requireNonNull(uncompressed, "uncompressed");
    if (uncompressed.length != LENGTH) {
      throw new IllegalArgumentException(
          "P-256 public key: expected 65 bytes (uncompressed point), got " + uncompressed.length);
    }
    if (uncompressed[0] != 0x04) {
      throw new IllegalArgumentException(
          "P-256 public key: expected first byte 0x04 (uncompressed point), got 0x"
              + String.format("%02x", uncompressed[0] & 0xff));
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      throw new IllegalArgumentException("P-256 public key: coordinate not below the field prime");
    }
    BigInteger left = y.multiply(y).mod(P);
    BigInteger right = x.multiply(x).add(A).multiply(x).add(B).mod(P);
    if (!left.equals(right)) {
      throw new IllegalArgumentException("P-256 public key: point is not on the curve");
    }
    return new P256PublicKey(uncompressed.clone());
  }

  /**
   * Rebuilds a key from bytes that {@link #of} validated before they were stored (for example a
   * registration read back from the application's database), checking only the length and the
   * {@code 0x04} prefix, not the curve equation: reading 10,000 stored registrations then costs no
   * big-integer arithmetic. For anything received from a client use {@link #of}. A stored key that
   * was damaged is still refused before use: this project's Web Push encryption checks the point on
   * the curve again before the ECDH (R-8291-12).
   *
   * @param uncompressed 65 bytes starting with {@code 0x04}, as {@link #bytes()} gave them; copied
   * @return the key
   * @throws IllegalArgumentException if the length or prefix is wrong
   */
  public static P256PublicKey fromTrustedBytes(byte[] uncompressed) {
    requireNonNull(uncompressed, "uncompressed");
    if (uncompressed.length != LENGTH || uncompressed[0] != 0x04) {
      throw new IllegalArgumentException(
          "P-256 public key: expected 65 bytes starting with 0x04 (uncompressed point)");
    }
    return new P256PublicKey(uncompressed.clone());
  }

  /**
   * Decodes and validates a base64url key, read tolerantly (see {@link Base64Url#decode}).
   *
   * @param text base64url of the 65-byte point (87 characters unpadded)
   * @return the key
   * @throws IllegalArgumentException if the text is not base64url or the key is invalid
   */
  public static P256PublicKey fromBase64Url(String text) {
    return of(Base64Url.decode(requireNonNull(text, "text")));
  }

  /**
   * The uncompressed encoding.
   *
   * @return a fresh copy of the 65 bytes
   */
  public byte[] bytes() {
    return encoded.clone();
  }

  /**
   * The unpadded base64url encoding.
   *
   * @return 87 characters
   */
  public String toBase64Url() {
    return Base64Url.encode(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof P256PublicKey k && Arrays.equals(encoded, k.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /** The base64url form: a public key is not a secret. */
  @Override
  public String toString() {
    return toBase64Url();
  }
}
