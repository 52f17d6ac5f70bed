package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.P256;
import java.math.BigInteger;
import java.security.MessageDigest;

/**
 * The key material of one Web Push subscription on the user-agent (client) side (RFC 8291 §3.1,
 * §3.2): a P-256 ECDH key pair and the 16-octet auth secret. The public key and the auth secret go
 * into the {@code web-push-subscription} a client registers; the private key decrypts the messages
 * that arrive.
 *
 * <p>A secret: {@link #toString()} prints only the public key; {@link #toStorageString()} is the
 * one way to export the private part, for the client's own secure storage.
 *
 * <p>Thread safety: immutable.
 */
public final class UserAgentKeyPair {
  private static final String STORAGE_PREFIX = "webpush-ua-v1:";

  private final BigInteger privateScalar;
  private final P256PublicKey publicKey;
  private final AuthSecret authSecret;

  private UserAgentKeyPair(BigInteger privateScalar, P256PublicKey publicKey, AuthSecret secret) {
    this.privateScalar = privateScalar;
    this.publicKey = publicKey;
    this.authSecret = secret;
  }

  /**
   * Generates fresh key material: a P-256 key pair and a 16-octet auth secret, both from {@link
   * java.security.SecureRandom} (R-8291-3).
   *
   * @return new key material
   */
  public static UserAgentKeyPair generate() {
    P256.KeyPair kp = P256.generate();
    return new UserAgentKeyPair(kp.d(), P256PublicKey.of(kp.publicKey()), AuthSecret.random());
  }

  /**
   * Key material from known values, for test vectors and migration.
   *
   * @param privateScalar32 the private scalar, 32 octets big-endian, in [1, n−1]; not retained
   * @param authSecret the auth secret
   * @return the key material; the public key is derived
   * @throws IllegalArgumentException if the scalar is not 32 octets or out of range
   */
  public static UserAgentKeyPair of(byte[] privateScalar32, AuthSecret authSecret) {
    requireNonNull(privateScalar32, "privateScalar32");
    requireNonNull(authSecret, "authSecret");
    BigInteger d = P256.scalar(privateScalar32);
    return new UserAgentKeyPair(d, P256PublicKey.of(P256.publicKeyOf(d)), authSecret);
  }

  /**
   * Restores key material saved with {@link #toStorageString()}.
   *
   * @param text {@code webpush-ua-v1:<base64url private scalar>:<base64url auth secret>}
   * @return the key material
   * @throws PushCryptoException if the text is not in that format or holds invalid values (the
   *     message never repeats the text)
   */
  public static UserAgentKeyPair fromStorageString(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    if (!s.startsWith(STORAGE_PREFIX)) {
      throw new PushCryptoException(
          "user agent key storage string: expected prefix '" + STORAGE_PREFIX + "'");
    }
    String[] parts = s.substring(STORAGE_PREFIX.length()).split(":", -1);
    if (parts.length != 2) {
      throw new PushCryptoException(
          "user agent key storage string: expected two ':'-separated base64url fields");
    }
    try {
      return of(Base64Url.decode(parts[0]), AuthSecret.fromBase64Url(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException(
          "user agent key storage string: invalid private key or auth secret", e);
    }
  }

  /**
   * The subscription public key ({@code p256dh}).
   *
   * @return the 65-octet uncompressed point
   */
  public P256PublicKey publicKey() {
    return publicKey;
  }

  /**
   * The auth secret.
   *
   * @return the 16-octet secret
   */
  public AuthSecret authSecret() {
    return authSecret;
  }

  /**
   * Decrypts a received push message; same as {@link WebPushEncryption#decrypt(byte[],
   * UserAgentKeyPair)}.
   *
   * @param aes128gcmBody the body as received
   * @return the plaintext
   * @throws PushCryptoException for any malformed, truncated or unauthentic body
   */
  public byte[] decrypt(byte[] aes128gcmBody) {
    return WebPushEncryption.decrypt(aes128gcmBody, this);
  }

  /**
   * Serialises the whole key material, private key included, for the client's secure storage.
   * Handle the result as a secret.
   *
   * @return {@code webpush-ua-v1:<43 chars>:<22 chars>}
   */
  public String toStorageString() {
    return STORAGE_PREFIX
        + Base64Url.encode(P256.scalarBytes(privateScalar))
        + ":"
        + authSecret.toBase64Url();
  }

  byte[] ecdh(byte[] senderPublic) {
    return P256.ecdh(privateScalar, senderPublic);
  }

  /** Equal when private key and auth secret are equal; compared in constant time. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof UserAgentKeyPair k)) {
      return false;
    }
    boolean sameKey =
        MessageDigest.isEqual(P256.scalarBytes(privateScalar), P256.scalarBytes(k.privateScalar));
    return sameKey & authSecret.equals(k.authSecret);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** The public key only; private key and auth secret are redacted. */
  @Override
  public String toString() {
    return "UserAgentKeyPair[publicKey="
        + publicKey
        + ", privateKey=[redacted], authSecret="
        + "[redacted]]";
  }
}
