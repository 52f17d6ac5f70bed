package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.P256;
import dev.davpush.webpush.internal.Pem;
import java.math.BigInteger;
import java.security.MessageDigest;

/**
 * The application server's VAPID signing key (RFC 8292 §2, §3.2): a P-256 ECDSA key pair. Its
 * public key is what the server advertises ({@code vapid-public-key type="p256ecdsa"}) and sends as
 * {@code k}; the private key signs the JWTs.
 *
 * <p>Keep it apart from any ECDH key (R-8292-10). A secret: {@link #toString()} prints only the
 * public key. Import and export: raw 32-octet scalar, base64url scalar (the form the npm {@code
 * web-push} package uses), PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}; SEC1 {@code BEGIN EC
 * PRIVATE KEY} is read too), and JWK via {@link P256Jwk}.
 *
 * <p>Thread safety: immutable.
 */
public final class VapidKeyPair {
  private final BigInteger privateScalar;
  private final P256PublicKey publicKey;

  private VapidKeyPair(BigInteger privateScalar) {
    this.privateScalar = privateScalar;
    this.publicKey = P256PublicKey.of(P256.publicKeyOf(privateScalar));
  }

  /**
   * Generates a key pair from {@link java.security.SecureRandom}.
   *
   * @return a new key pair
   */
  public static VapidKeyPair generate() {
    return new VapidKeyPair(P256.generate().d());
  }

  /**
   * A key pair from its private scalar; the public key is derived.
   *
   * @param scalar32 32 octets big-endian in [1, n−1]; not retained
   * @return the key pair
   * @throws IllegalArgumentException if the length or range is wrong
   */
  public static VapidKeyPair fromPrivateKey(byte[] scalar32) {
    requireNonNull(scalar32, "scalar32");
    return new VapidKeyPair(P256.scalar(scalar32));
  }

  /**
   * A key pair from the base64url private scalar (43 characters, read tolerantly).
   *
   * @param text base64url of the 32-octet scalar
   * @return the key pair
   * @throws IllegalArgumentException if the text is not base64url of a valid scalar (the message
   *     never repeats the text)
   */
  public static VapidKeyPair fromBase64Url(String text) {
    requireNonNull(text, "text");
    byte[] raw;
    try {
      raw = Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("VAPID private key: not base64url");
    }
    return fromPrivateKey(raw);
  }

  /**
   * A key pair from PEM text: PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) on the
   * P-256 curve. If the key carries its public key, it must match the private one.
   *
   * @param pem the PEM text; surrounding text is ignored
   * @return the key pair
   * @throws PushCryptoException if no such PEM block is found, the DER is malformed, the curve is
   *     not P-256, or the embedded public key does not match
   */
  public static VapidKeyPair fromPem(String pem) {
    requireNonNull(pem, "pem");
    Pem.EcPrivateKey key;
    try {
      key = Pem.readEcPrivateKey(pem);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException("VAPID private key PEM: " + e.getMessage(), e);
    }
    VapidKeyPair pair;
    try {
      pair = new VapidKeyPair(key.scalar());
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException("VAPID private key PEM: " + e.getMessage(), e);
    }
    byte[] embedded = key.publicKey();
    if (embedded != null && !MessageDigest.isEqual(embedded, pair.publicKey.bytes())) {
      throw new PushCryptoException(
          "VAPID private key PEM: the embedded public key does not match the private key");
    }
    return pair;
  }

  /**
   * The public key, as sent in {@code k} and advertised in {@code vapid-public-key}.
   *
   * @return the 65-octet uncompressed point
   */
  public P256PublicKey publicKey() {
    return publicKey;
  }

  /**
   * Exports the private key as PKCS#8 PEM (with the public key embedded). A secret.
   *
   * @return {@code -----BEGIN PRIVATE KEY-----} … {@code -----END PRIVATE KEY-----}, LF line ends
   */
  public String toPem() {
    return Pem.writePkcs8(P256.scalarBytes(privateScalar), publicKey.bytes());
  }

  /**
   * Exports the private scalar as unpadded base64url (43 characters). A secret.
   *
   * @return the encoded scalar
   */
  public String privateKeyBase64Url() {
    return Base64Url.encode(P256.scalarBytes(privateScalar));
  }

  /**
   * Exports the private scalar. A secret.
   *
   * @return a fresh copy of the 32 octets
   */
  public byte[] privateKeyBytes() {
    return P256.scalarBytes(privateScalar);
  }

  /**
   * Signs with ES256, JOSE form.
   *
   * @param signingInput the JWS signing input
   * @return 64 octets {@code r ‖ s}
   */
  byte[] sign(byte[] signingInput) {
    return P256.sign(privateScalar, signingInput);
  }

  /** Equal when the private keys are equal; compared in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof VapidKeyPair k
        && MessageDigest.isEqual(
            P256.scalarBytes(privateScalar), P256.scalarBytes(k.privateScalar));
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** The public key only. */
  @Override
  public String toString() {
    return "VapidKeyPair[publicKey=" + publicKey + ", privateKey=[redacted]]";
  }
}
