package dev.davpush.webpush.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * NIST P-256: key generation, ECDH, and ES256 signatures in raw {@code r ‖ s} form.
 *
 * <p>Key generation ({@link #publicKeyOf}) and the first ECDH with a peer point run on {@link
 * P256Curve} (this module's constant-time arithmetic, 52-bit limbs; about 1.8× and 1.2× faster than
 * BouncyCastle's, see {@code push-webpush/PERFORMANCE.md}). Peer points are remembered (bounded,
 * {@value #CACHE_LIMIT} entries): from the second ECDH with the same point on, it is multiplied
 * with BouncyCastle's comb method, whose per-point table (about 14 KiB, computed once) makes each
 * later ECDH about as cheap as a key generation: a server sends to the same subscriptions again and
 * again. ES256 signing and verification stay on BouncyCastle's custom-curve arithmetic (lightweight
 * API, never a registered provider).
 *
 * <p>Thread safety: stateless apart from the thread-safe point cache.
 */
public final class P256 {
  /** Length of a private scalar and of a coordinate, bytes. */
  public static final int SCALAR_LENGTH = 32;

  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256r1");

  /** The domain parameters. */
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());

  private static final ECCurve CURVE = DOMAIN.getCurve();
  private static final BigInteger N = DOMAIN.getN();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();

  /** Largest number of cached peer points. */
  public static final int CACHE_LIMIT = 1024;

  private static final int COMB_FROM_USE = 2;
  private static final ConcurrentHashMap<Key, CachedPoint> POINTS = new ConcurrentHashMap<>();

  private P256() {}

  /** A freshly generated key pair. */
  public static final class KeyPair {
    private final BigInteger d;
    private final byte[] publicKey;

    KeyPair(BigInteger d, byte[] publicKey) {
      this.d = d;
      this.publicKey = publicKey;
    }

    /** The private scalar. */
    public BigInteger d() {
      return d;
    }

    /** The uncompressed public key, 65 bytes; not copied. */
    public byte[] publicKey() {
      return publicKey;
    }
  }

  /** Generates a key pair from the shared {@link SecureRandom}. */
  public static KeyPair generate() {
    return generate(RANDOM);
  }

  /** Generates a key pair from the given randomness. */
  public static KeyPair generate(SecureRandom random) {
    byte[] buf = new byte[SCALAR_LENGTH];
    while (true) {
      random.nextBytes(buf);
      BigInteger d = new BigInteger(1, buf);
      if (d.signum() > 0 && d.compareTo(N) < 0) {
        Arrays.fill(buf, (byte) 0);
        return new KeyPair(d, publicKeyOf(d));
      }
    }
  }

  /**
   * Parses a private scalar.
   *
   * @param scalar 32 bytes big-endian
   * @return the scalar
   * @throws IllegalArgumentException if the length is not 32 or the value is not in [1, n-1]
   */
  public static BigInteger scalar(byte[] scalar) {
    if (scalar.length != SCALAR_LENGTH) {
      throw new IllegalArgumentException(
          "P-256 private key: expected 32 bytes, got " + scalar.length);
    }
    BigInteger d = new BigInteger(1, scalar);
    checkScalar(d);
    return d;
  }

  /** Checks a scalar is in [1, n-1]. */
  public static void checkScalar(BigInteger d) {
    if (d.signum() <= 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("P-256 private key: scalar not in [1, n-1]");
    }
  }

  /** The scalar as 32 big-endian bytes. */
  public static byte[] scalarBytes(BigInteger d) {
    return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, d);
  }

  /**
   * The uncompressed public key for a private scalar, 65 bytes.
   *
   * @throws IllegalArgumentException if the scalar is not in [1, n-1] (a key read from outside,
   *     such as a corrupted PEM, may carry any integer)
   */
  public static byte[] publicKeyOf(BigInteger d) {
    checkScalar(d);
    return P256Curve.multiplyBase(scalarBytes(d));
  }

  /**
   * Decodes an uncompressed point the caller has already validated (a {@code P256PublicKey}),
   * through the cache.
   */
  public static ECPoint point(byte[] uncompressed) {
    return cached(uncompressed).point();
  }

  private static CachedPoint cached(byte[] uncompressed) {
    Key key = new Key(uncompressed);
    CachedPoint p = POINTS.get(key);
    if (p == null) {
      p = new CachedPoint(key.bytes);
      if (POINTS.size() >= CACHE_LIMIT) {
        POINTS.clear();
      }
      CachedPoint raced = POINTS.putIfAbsent(key, p);
      if (raced != null) {
        p = raced;
      }
    }
    return p;
  }

  /**
   * The ECDH shared secret: the X coordinate of {@code d·Q}.
   *
   * @param d the private scalar, in [1, n-1]
   * @param peerUncompressed the peer's validated 65-byte public key
   * @return 32 bytes
   * @throws IllegalArgumentException if the scalar is out of range, the peer key is not an
   *     uncompressed point on the curve (checked again here), or the result is the point at
   *     infinity
   */
  public static byte[] ecdh(BigInteger d, byte[] peerUncompressed) {
    checkScalar(d);
    CachedPoint q = cached(peerUncompressed);
    if (q.uses.incrementAndGet() < COMB_FROM_USE) {
      return P256Curve.ecdh(scalarBytes(d), peerUncompressed);
    }
    ECPoint s = COMB.multiply(q.point(), d).normalize();
    if (s.isInfinity()) {
      throw new IllegalArgumentException("ECDH: shared point is the point at infinity");
    }
    return s.getAffineXCoord().getEncoded();
  }

  /**
   * ES256: ECDSA P-256 with SHA-256 (deterministic nonce per RFC 6979), JOSE form.
   *
   * @param d the private scalar
   * @param message the signing input
   * @return 64 bytes {@code r ‖ s}
   */
  public static byte[] sign(BigInteger d, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(message));
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
    BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
    return out;
  }

  /**
   * Verifies an ES256 signature.
   *
   * @param publicKey the validated 65-byte public key
   * @param message the signing input
   * @param signature the JOSE signature; anything but 64 bytes fails
   * @return whether the signature is valid
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || s.signum() == 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(point(publicKey), DOMAIN));
    return verifier.verifySignature(sha256(message), r, s);
  }

  /** SHA-256. */
  public static byte[] sha256(byte[] message) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(message, 0, message.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /** A peer point seen before: its encoding, a use count, and BouncyCastle's decoding on demand. */
  private static final class CachedPoint {
    private final byte[] encoded;
    final AtomicInteger uses = new AtomicInteger();
    private volatile @Nullable ECPoint point;

    CachedPoint(byte[] encoded) {
      this.encoded = encoded;
    }

    ECPoint point() {
      ECPoint p = point;
      if (p == null) {
        p = CURVE.decodePoint(encoded);
        point = p;
      }
      return p;
    }
  }

  private static final class Key {
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes.clone();
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
