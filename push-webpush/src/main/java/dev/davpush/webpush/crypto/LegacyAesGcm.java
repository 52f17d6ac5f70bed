package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.AesGcm;
import dev.davpush.webpush.internal.Hmac;
import dev.davpush.webpush.internal.P256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The legacy {@code aesgcm} Web Push encoding (draft-ietf-webpush-encryption-04, digest §8):
 * superseded by RFC 8291 and not allowed by WebDAV-Push, offered only as an explicit opt-in for old
 * push services. Salt and sender key travel in the {@code Encryption: salt=…} and {@code
 * Crypto-Key: dh=…} headers; the body is one AES-128-GCM record of {@code padLength(2) ‖
 * 0x00*padLength ‖ data} (R-AESGCM-1..3).
 *
 * <p>Key schedule: {@code IKM = HKDF(salt = auth_secret, IKM = ecdh_secret, info =
 * "Content-Encoding: auth" ‖ 0x00, L = 32)}; {@code context = "P-256" ‖ 0x00 ‖ 0x0041 ‖ ua_public ‖
 * 0x0041 ‖ as_public}; {@code PRK = HMAC(salt, IKM)}; {@code CEK = HMAC(PRK, "Content-Encoding:
 * aesgcm" ‖ 0x00 ‖ context ‖ 0x01)[0..16]}; {@code NONCE = HMAC(PRK, "Content-Encoding: nonce" ‖
 * 0x00 ‖ context ‖ 0x01)[0..12]}.
 *
 * <p>Thread safety: stateless.
 */
public final class LegacyAesGcm {
  /** Largest plaintext sent, so that the body stays within 4096 octets. */
  public static final int MAX_PLAINTEXT_LENGTH = 4077;

  private static final byte[] AUTH_INFO =
      "Content-Encoding: auth\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CEK_INFO =
      "Content-Encoding: aesgcm\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NONCE_INFO =
      "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] P256_LABEL = "P-256\0".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private LegacyAesGcm() {}

  /**
   * An encrypted {@code aesgcm} message: body and the header values that must accompany it.
   *
   * <p>Thread safety: immutable.
   */
  public static final class Message {
    private final byte[] body;
    private final byte[] salt;
    private final P256PublicKey senderPublicKey;

    Message(byte[] body, byte[] salt, P256PublicKey senderPublicKey) {
      this.body = body;
      this.salt = salt;
      this.senderPublicKey = senderPublicKey;
    }

    /**
     * The body.
     *
     * @return a copy
     */
    public byte[] body() {
      return body.clone();
    }

    /**
     * The {@code Encryption} header value.
     *
     * @return {@code salt=<22 characters base64url>}
     */
    public String encryptionHeader() {
      return "salt=" + Base64Url.encode(salt);
    }

    /**
     * The {@code Crypto-Key} header value; the caller appends {@code ;p256ecdsa=…} for VAPID.
     *
     * @return {@code dh=<87 characters base64url>}
     */
    public String cryptoKeyHeader() {
      return "dh=" + senderPublicKey.toBase64Url();
    }
  }

  /**
   * Encrypts with a fresh sender key and salt.
   *
   * @param plaintext 0 to 4077 octets
   * @param uaPublic the subscription's {@code p256dh} key
   * @param authSecret the subscription's auth secret
   * @return body and headers
   * @throws PushCryptoException if the plaintext is too long
   */
  public static Message encrypt(byte[] plaintext, P256PublicKey uaPublic, AuthSecret authSecret) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(uaPublic, "uaPublic");
    requireNonNull(authSecret, "authSecret");
    P256.KeyPair eph = P256.generate();
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return encrypt(plaintext, uaPublic, authSecret, eph.d(), salt, 0);
  }

  /** Known-answer seam for tests only; never reuse a key or salt. Package-private. */
  static Message encryptDeterministic(
      byte[] plaintext,
      P256PublicKey uaPublic,
      AuthSecret authSecret,
      byte[] asPrivate,
      byte[] salt,
      int padding) {
    return encrypt(plaintext, uaPublic, authSecret, P256.scalar(asPrivate), salt, padding);
  }

  private static Message encrypt(
      byte[] plaintext,
      P256PublicKey uaPublic,
      AuthSecret authSecret,
      BigInteger d,
      byte[] salt,
      int padding) {
    if (plaintext.length + padding > MAX_PLAINTEXT_LENGTH || padding < 0 || padding > 65535) {
      throw new PushCryptoException(
          "aesgcm: plaintext of "
              + plaintext.length
              + " octets with padding "
              + padding
              + " exceeds "
              + MAX_PLAINTEXT_LENGTH
              + " octets");
    }
    byte[] asPublic = P256.publicKeyOf(d);
    byte[] ua = uaPublic.bytes();
    byte[][] keys = keys(P256.ecdh(d, ua), authSecret.bytes(), salt, ua, asPublic);
    byte[] record = new byte[2 + padding + plaintext.length];
    record[0] = (byte) (padding >>> 8);
    record[1] = (byte) padding;
    System.arraycopy(plaintext, 0, record, 2 + padding, plaintext.length);
    byte[] body = AesGcm.DEFAULT.seal(keys[0], keys[1], record, 0, record.length);
    Arrays.fill(record, (byte) 0);
    return new Message(body, salt.clone(), P256PublicKey.of(asPublic));
  }

  /**
   * Decrypts an {@code aesgcm} message (user-agent side), reading salt and sender key from the
   * header values.
   *
   * @param body the body (one record)
   * @param encryptionHeader the {@code Encryption} value, {@code salt=…} (other parameters ignored;
   *     {@code rs} must exceed the record)
   * @param cryptoKeyHeader the {@code Crypto-Key} value holding {@code dh=…} (separated from other
   *     parameters by {@code ;} or {@code ,}, digest ambiguity A-31)
   * @param keys the subscription's key material
   * @return the plaintext
   * @throws PushCryptoException for missing or malformed headers, a bad key, an authentication
   *     failure or bad padding
   */
  public static byte[] decrypt(
      byte[] body, String encryptionHeader, String cryptoKeyHeader, UserAgentKeyPair keys) {
    requireNonNull(body, "body");
    requireNonNull(keys, "keys");
    Map<String, String> enc = params(requireNonNull(encryptionHeader, "encryptionHeader"));
    Map<String, String> ck = params(requireNonNull(cryptoKeyHeader, "cryptoKeyHeader"));
    String saltText = enc.get("salt");
    String dh = ck.get("dh");
    if (saltText == null || dh == null) {
      throw new PushCryptoException(
          "aesgcm: expected Encryption: salt=… and Crypto-Key: dh=…, missing "
              + (saltText == null ? "salt" : "dh"));
    }
    byte[] salt;
    P256PublicKey sender;
    try {
      salt = Base64Url.decode(saltText);
      sender = P256PublicKey.fromBase64Url(dh);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException("aesgcm: invalid salt or dh (" + e.getMessage() + ")", e);
    }
    if (salt.length != 16) {
      throw new PushCryptoException("aesgcm: salt of " + salt.length + " octets, expected 16");
    }
    String rs = enc.get("rs");
    if (rs != null) {
      long r;
      try {
        r = Long.parseLong(rs);
      } catch (NumberFormatException e) {
        throw new PushCryptoException("aesgcm: rs is not a number");
      }
      if (r <= 1 || body.length - 16 >= r) {
        throw new PushCryptoException("aesgcm: only single-record messages (rs > record) are read");
      }
    }
    if (body.length < 18) {
      throw new PushCryptoException("aesgcm: body of " + body.length + " octets is too short");
    }
    if (body.length > 4096 + 16) {
      throw new PushCryptoException("aesgcm: body of " + body.length + " octets is multi-record");
    }
    byte[] senderBytes = sender.bytes();
    byte[] ua = keys.publicKey().bytes();
    byte[][] k = keys(keys.ecdh(senderBytes), keys.authSecret().bytes(), salt, ua, senderBytes);
    byte[] plain;
    try {
      plain = AesGcm.DEFAULT.open(k[0], k[1], body, 0, body.length);
    } catch (AesGcm.AuthenticationFailedException e) {
      throw new PushCryptoException("aesgcm: record failed authentication");
    }
    int pad = ((plain[0] & 0xff) << 8) | (plain[1] & 0xff);
    if (2 + pad > plain.length) {
      throw new PushCryptoException("aesgcm: padding length " + pad + " exceeds the record");
    }
    for (int i = 2; i < 2 + pad; i++) {
      if (plain[i] != 0) {
        Arrays.fill(plain, (byte) 0);
        throw new PushCryptoException("aesgcm: padding octets are not zero");
      }
    }
    byte[] out = Arrays.copyOfRange(plain, 2 + pad, plain.length);
    Arrays.fill(plain, (byte) 0);
    return out;
  }

  /** {CEK, NONCE}. */
  static byte[][] keys(byte[] ecdh, byte[] auth, byte[] salt, byte[] ua, byte[] as) {
    byte[] ikm = Hmac.expand(Hmac.extract(auth, ecdh), AUTH_INFO, 32);
    byte[] context = new byte[P256_LABEL.length + 2 + 65 + 2 + 65];
    int o = 0;
    System.arraycopy(P256_LABEL, 0, context, o, P256_LABEL.length);
    o += P256_LABEL.length;
    context[o++] = 0;
    context[o++] = 65;
    System.arraycopy(ua, 0, context, o, 65);
    o += 65;
    context[o++] = 0;
    context[o++] = 65;
    System.arraycopy(as, 0, context, o, 65);
    byte[] prk = Hmac.extract(salt, ikm);
    byte[] cek = Hmac.expand(prk, concat(CEK_INFO, context), 16);
    byte[] nonce = Hmac.expand(prk, concat(NONCE_INFO, context), 12);
    Arrays.fill(ikm, (byte) 0);
    Arrays.fill(prk, (byte) 0);
    Arrays.fill(ecdh, (byte) 0);
    return new byte[][] {cek, nonce};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static Map<String, String> params(String header) {
    Map<String, String> m = new HashMap<>();
    for (String item : header.split("[;,]")) {
      int eq = item.indexOf('=');
      if (eq > 0) {
        String v = item.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        m.putIfAbsent(item.substring(0, eq).strip().toLowerCase(Locale.ROOT), v);
      }
    }
    return m;
  }
}
