package dev.davpush.benchmarks.crypto;

import dev.davpush.webpush.internal.AesGcm;
import dev.davpush.webpush.internal.P256;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The primitives one push message costs, on the implementation the library uses (BouncyCastle's
 * lightweight custom-curve P-256, no provider) and on the JDK's providers (SunEC, SunJCE): key
 * generation, ECDH, ES256 signing, and AES-128-GCM of a 300-byte record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class P256PrimitivesBenchmark {
  byte[] peerPublic;
  BigInteger scalar;
  byte[] message;
  byte[] key16;
  byte[] nonce12;
  byte[] record;
  ECCurve curve;
  org.bouncycastle.math.ec.ECPoint cachedPeer;
  static final int FRESH_PEERS = 4 * P256.CACHE_LIMIT;
  byte[][] freshPeers;
  int nextPeer;
  final FixedPointCombMultiplier comb = new FixedPointCombMultiplier();

  KeyPairGenerator jdkGenerator;
  PublicKey jdkPeerPublic;
  PrivateKey jdkPrivate;

  /** Keys and inputs for both implementations. */
  @Setup
  public void setUp() throws Exception {
    P256.KeyPair peer = P256.generate();
    peerPublic = peer.publicKey();
    scalar = P256.generate().d();
    message = new byte[200];
    new Random(1).nextBytes(message);
    key16 = Arrays.copyOf(message, 16);
    nonce12 = Arrays.copyOfRange(message, 16, 28);
    record = new byte[301];
    new Random(2).nextBytes(record);
    curve = P256.DOMAIN.getCurve();
    cachedPeer = curve.decodePoint(peerPublic);
    freshPeers = new byte[FRESH_PEERS][];
    for (int i = 0; i < FRESH_PEERS; i++) {
      freshPeers[i] = P256.generate().publicKey();
    }
    comb.multiply(cachedPeer, scalar);

    jdkGenerator = KeyPairGenerator.getInstance("EC");
    jdkGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair jdkPair = jdkGenerator.generateKeyPair();
    jdkPrivate = jdkPair.getPrivate();
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    jdkPeerPublic =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new ECPublicKeySpec(
                    new ECPoint(
                        new BigInteger(1, Arrays.copyOfRange(peerPublic, 1, 33)),
                        new BigInteger(1, Arrays.copyOfRange(peerPublic, 33, 65))),
                    spec));
  }

  /** The library: random scalar + fixed-base multiplication ({@code P256Curve}), encoded key. */
  @Benchmark
  public P256.KeyPair keyGeneration() {
    return P256.generate();
  }

  /** The library's fixed-base multiplication alone, for a fixed scalar. */
  @Benchmark
  public byte[] publicKeyOf() {
    return P256.publicKeyOf(scalar);
  }

  /** BouncyCastle's fixed-base comb (what the library used before), for a fixed scalar. */
  @Benchmark
  public byte[] publicKeyOfBouncyCastle() {
    return comb.multiply(P256.DOMAIN.getG(), scalar).normalize().getEncoded(false);
  }

  /** JDK: {@code KeyPairGenerator("EC")} on secp256r1. */
  @Benchmark
  public KeyPair keyGenerationJdk() {
    return jdkGenerator.generateKeyPair();
  }

  /**
   * The library's ECDH with a subscription key it has not seen before ({@code P256Curve}: decode
   * and validate, 4-bit fixed window): cycles through {@value #FRESH_PEERS} keys, more than the
   * library's cache of {@value P256#CACHE_LIMIT} remembers.
   */
  @Benchmark
  public byte[] ecdhFreshPeer() {
    byte[] peer = freshPeers[nextPeer];
    nextPeer = (nextPeer + 1) % FRESH_PEERS;
    return P256.ecdh(scalar, peer);
  }

  /**
   * The library's ECDH with the same subscription key every time: from the second call on
   * BouncyCastle's comb with the key's cached table.
   */
  @Benchmark
  public byte[] ecdhRepeatedPeer() {
    return P256.ecdh(scalar, peerPublic);
  }

  /**
   * BouncyCastle ECDH with a comb table computed once for the peer point (what the library did
   * before from the second message to the same subscription on).
   */
  @Benchmark
  public byte[] ecdhBouncyCastleCachedPoint() {
    return comb.multiply(cachedPeer, scalar).normalize().getAffineXCoord().getEncoded();
  }

  /** BouncyCastle ECDH decoding the peer point every time (no cache, no precomputation). */
  @Benchmark
  public byte[] ecdhBouncyCastleFreshPoint() {
    return curve
        .decodePoint(peerPublic)
        .multiply(scalar)
        .normalize()
        .getAffineXCoord()
        .getEncoded();
  }

  /** JDK: {@code KeyAgreement("ECDH")}. */
  @Benchmark
  public byte[] ecdhJdk() throws Exception {
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(jdkPrivate);
    ka.doPhase(jdkPeerPublic, true);
    return ka.generateSecret();
  }

  /** BouncyCastle ES256 (RFC 6979 deterministic k), raw r‖s. */
  @Benchmark
  public byte[] es256BouncyCastle() {
    return P256.sign(scalar, message);
  }

  /** JDK ES256: {@code SHA256withECDSAinP1363Format}. */
  @Benchmark
  public byte[] es256Jdk() throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(jdkPrivate);
    s.update(message);
    return s.sign();
  }

  /** AES-128-GCM of a 301-byte record (300 bytes + delimiter), JDK provider. */
  @Benchmark
  public byte[] aesGcmJdk() {
    return AesGcm.JDK.seal(key16, nonce12, record, 0, record.length);
  }

  /** AES-128-GCM of a 301-byte record, BouncyCastle lightweight. */
  @Benchmark
  public byte[] aesGcmBouncyCastle() {
    return AesGcm.BOUNCY_CASTLE.seal(key16, nonce12, record, 0, record.length);
  }
}
