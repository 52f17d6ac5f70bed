package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.Hmac;
import dev.davpush.webpush.internal.P256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * RFC 8291 message encryption for Web Push: the application server encrypts a push message to a
 * subscription's P-256 key and auth secret; the user agent decrypts it.
 *
 * <p>{@link #encrypt} uses a fresh ephemeral P-256 key pair and a fresh random 16-octet salt for
 * every message (R-8291-2, R-8188-8), record size {@code rs = 4096}, exactly one record (R-8291-6),
 * and the 65-octet ephemeral public key as {@code keyid} (R-8291-7). The body is {@code 86 +
 * plaintext + padding + 17} octets, so at most {@value #MAX_PLAINTEXT_LENGTH} plaintext octets fit
 * the 4096 octets every push service must accept (R-8291-8).
 *
 * <p>Key schedule (RFC 8291 §3.3–3.4): {@code ecdh_secret = ECDH(as_private, ua_public)}; {@code
 * PRK_key = HMAC-SHA-256(auth_secret, ecdh_secret)}; {@code IKM = HMAC-SHA-256(PRK_key, "WebPush:
 * info" ‖ 0x00 ‖ ua_public ‖ as_public ‖ 0x01)}; then RFC 8188 with the header salt (see {@link
 * Aes128GcmCodec}).
 *
 * <p>Thread safety: stateless; all methods may be called concurrently.
 */
public final class WebPushEncryption {
  /** The record size written, octets. */
  public static final int RECORD_SIZE = 4096;

  /** Largest plaintext that keeps the body within 4096 octets (RFC 8291 §4). */
  public static final int MAX_PLAINTEXT_LENGTH = 3993;

  /** Header length of a Web Push body: 16 + 4 + 1 + 65 octets. */
  public static final int HEADER_LENGTH = 86;

  /** Body overhead: header, delimiter and tag, octets. */
  public static final int OVERHEAD = HEADER_LENGTH + 1 + Aes128GcmCodec.TAG_LENGTH;

  static final byte[] KEY_INFO_PREFIX = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebPushEncryption() {}

  /**
   * Encrypts a push message (application-server side).
   *
   * @param plaintext 0 to 3993 octets; not modified
   * @param uaPublic the subscription's {@code p256dh} key (already validated on-curve)
   * @param authSecret the subscription's 16-octet auth secret
   * @return the {@code aes128gcm} body, {@code plaintext.length + 103} octets
   * @throws PushCryptoException if the plaintext is longer than 3993 octets
   */
  public static byte[] encrypt(byte[] plaintext, P256PublicKey uaPublic, AuthSecret authSecret) {
    return encrypt(plaintext, uaPublic, authSecret, 0);
  }

  /**
   * Encrypts a push message with padding that hides its length (RFC 8188 §4.7).
   *
   * @param plaintext 0 to 3993 octets; not modified
   * @param uaPublic the subscription's {@code p256dh} key
   * @param authSecret the subscription's auth secret
   * @param padding ≥ 0 zero octets after the delimiter; {@code plaintext + padding ≤ 3993}
   * @return the body, {@code plaintext.length + padding + 103} octets
   * @throws PushCryptoException if plaintext and padding exceed 3993 octets
   * @throws IllegalArgumentException if {@code padding} is negative
   */
  public static byte[] encrypt(
      byte[] plaintext, P256PublicKey uaPublic, AuthSecret authSecret, int padding) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(uaPublic, "uaPublic");
    requireNonNull(authSecret, "authSecret");
    checkSize(plaintext.length, padding);
    P256.KeyPair ephemeral = P256.generate();
    byte[] salt = new byte[Aes128GcmCodec.SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return encrypt(
        plaintext, uaPublic, authSecret, ephemeral.d(), ephemeral.publicKey(), salt, padding);
  }

  /**
   * Deterministic encryption for known-answer tests only: the caller supplies the ephemeral private
   * key and the salt. Reusing either for two messages breaks RFC 8291's security; the public path
   * ({@link #encrypt(byte[], P256PublicKey, AuthSecret)}) always draws both fresh from {@link
   * SecureRandom}. Package-private on purpose.
   */
  static byte[] encryptDeterministic(
      byte[] plaintext,
      P256PublicKey uaPublic,
      AuthSecret authSecret,
      byte[] asPrivate,
      byte[] salt,
      int padding) {
    checkSize(plaintext.length, padding);
    BigInteger d = P256.scalar(asPrivate);
    return encrypt(plaintext, uaPublic, authSecret, d, P256.publicKeyOf(d), salt, padding);
  }

  private static byte[] encrypt(
      byte[] plaintext,
      P256PublicKey uaPublic,
      AuthSecret authSecret,
      BigInteger asPrivate,
      byte[] asPublic,
      byte[] salt,
      int padding) {
    byte[] ua = uaPublic.bytes();
    byte[] ecdh = P256.ecdh(asPrivate, ua);
    byte[] ikm = ikm(ecdh, authSecret.bytes(), ua, asPublic);
    try {
      return Aes128GcmCodec.encryptRecords(
          plaintext,
          new int[] {plaintext.length},
          new int[] {padding},
          ikm,
          salt,
          asPublic,
          RECORD_SIZE);
    } finally {
      Arrays.fill(ecdh, (byte) 0);
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /**
   * Decrypts a push message (user-agent side), making every RFC 8188 check and the RFC 8291 ones:
   * {@code idlen} = 65, {@code keyid} a valid uncompressed P-256 point (R-8291-12), exactly one
   * record, delimiter {@code 0x02} (R-8291-10), authentic tag.
   *
   * <p>The record size is not authenticated by RFC 8188 and a user agent may ignore it (RFC 8291
   * §4): any {@code rs} ≥ the record length is accepted.
   *
   * @param body the {@code aes128gcm} body as received; not modified
   * @param keys the subscription's key material
   * @return the plaintext
   * @throws PushCryptoException for any malformed, truncated or unauthentic body; no partial
   *     plaintext is returned
   */
  public static byte[] decrypt(byte[] body, UserAgentKeyPair keys) {
    requireNonNull(body, "body");
    requireNonNull(keys, "keys");
    Aes128GcmCodec.Header header = Aes128GcmCodec.Header.parse(body);
    if (header.keyIdLength() != P256PublicKey.LENGTH) {
      throw new PushCryptoException(
          "Web Push: keyid of "
              + header.keyIdLength()
              + " octets, expected the sender's 65-octet uncompressed P-256 key (RFC 8291 §4)");
    }
    byte[] asPublic = header.keyIdRaw();
    try {
      P256PublicKey.of(asPublic);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException(
          "Web Push: keyid is not a valid P-256 public key (" + e.getMessage() + ")", e);
    }
    byte[] ua = keys.publicKey().bytes();
    byte[] ecdh = keys.ecdh(asPublic);
    byte[] ikm = ikm(ecdh, keys.authSecret().bytes(), ua, asPublic);
    try {
      return Aes128GcmCodec.decryptRecords(body, header, ikm, 1, MAX_PLAINTEXT_LENGTH_ANY);
    } finally {
      Arrays.fill(ecdh, (byte) 0);
      Arrays.fill(ikm, (byte) 0);
    }
  }

  private static final int MAX_PLAINTEXT_LENGTH_ANY = Integer.MAX_VALUE;

  /** RFC 8291 §3.3 key info: "WebPush: info" ‖ 0x00 ‖ ua_public ‖ as_public (144 octets). */
  static byte[] keyInfo(byte[] uaPublic, byte[] asPublic) {
    byte[] info = new byte[KEY_INFO_PREFIX.length + 130];
    System.arraycopy(KEY_INFO_PREFIX, 0, info, 0, KEY_INFO_PREFIX.length);
    System.arraycopy(uaPublic, 0, info, KEY_INFO_PREFIX.length, 65);
    System.arraycopy(asPublic, 0, info, KEY_INFO_PREFIX.length + 65, 65);
    return info;
  }

  /** RFC 8291 §3.3: PRK_key = HMAC(auth, ecdh); IKM = HMAC(PRK_key, key_info ‖ 0x01). */
  static byte[] ikm(byte[] ecdhSecret, byte[] authSecret, byte[] uaPublic, byte[] asPublic) {
    byte[] prkKey = Hmac.extract(authSecret, ecdhSecret);
    byte[] ikm = Hmac.expand(prkKey, keyInfo(uaPublic, asPublic), 32);
    Arrays.fill(prkKey, (byte) 0);
    return ikm;
  }

  private static void checkSize(int plaintextLength, int padding) {
    if (padding < 0) {
      throw new IllegalArgumentException("padding: expected >= 0, got " + padding);
    }
    if ((long) plaintextLength + padding > MAX_PLAINTEXT_LENGTH) {
      throw new PushCryptoException(
          "Web Push: plaintext of "
              + plaintextLength
              + " octets plus "
              + padding
              + " padding exceeds 3993 octets, the most that fits a 4096-octet push body"
              + " (RFC 8291 §4); send less or split the message");
    }
  }
}
