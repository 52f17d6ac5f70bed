package dev.davpush.webpush.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The P-256 field and curve arithmetic against {@link BigInteger} and BouncyCastle for random
 * inputs, including values near the ends of their ranges.
 */
class P256CurvePropertyTest {
  static final BigInteger P = P256Field.P;
  static final BigInteger N = P256.DOMAIN.getN();

  @Provide
  Arbitrary<BigInteger> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.valueOf(1 << 20)),
        Arbitraries.bigIntegers()
            .between(N.subtract(BigInteger.valueOf(1 << 20)), N.subtract(BigInteger.ONE)));
  }

  @Provide
  Arbitrary<BigInteger> elements() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, P.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers()
            .between(P.subtract(BigInteger.valueOf(1000)), P.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1000)));
  }

  /**
   * Unreduced representatives the operations must accept: any value below {@code 2^257} with
   * normalised limbs.
   */
  @Provide
  Arbitrary<BigInteger> loose() {
    return Arbitraries.oneOf(
        elements(),
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(257).subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers()
            .between(
                BigInteger.ONE.shiftLeft(257).subtract(BigInteger.valueOf(1000)),
                BigInteger.ONE.shiftLeft(257).subtract(BigInteger.ONE)));
  }

  @Property
  void baseMultiplicationMatchesBouncyCastle(@ForAll("scalars") BigInteger k) {
    assertThat(P256Curve.multiplyBase(P256.scalarBytes(k)))
        .isEqualTo(P256.DOMAIN.getG().multiply(k).normalize().getEncoded(false));
  }

  @Property
  void ecdhMatchesBouncyCastle(
      @ForAll("scalars") BigInteger k, @ForAll("scalars") BigInteger peerScalar) {
    ECPoint q = P256.DOMAIN.getG().multiply(peerScalar).normalize();
    assertThat(P256Curve.ecdh(P256.scalarBytes(k), q.getEncoded(false)))
        .isEqualTo(q.multiply(k).normalize().getAffineXCoord().getEncoded());
  }

  @Property
  void ecdhAgreesBothWays(@ForAll("scalars") BigInteger a, @ForAll("scalars") BigInteger b) {
    byte[] pubA = P256.publicKeyOf(a);
    byte[] pubB = P256.publicKeyOf(b);
    assertThat(P256.ecdh(a, pubB)).isEqualTo(P256.ecdh(b, pubA));
  }

  @Property
  void mulMatchesBigInteger(@ForAll("loose") BigInteger a, @ForAll("loose") BigInteger b) {
    checkBinary(a, b, P256Field::mul, a.multiply(b));
  }

  @Property
  void sqrMatchesBigInteger(@ForAll("loose") BigInteger a) {
    checkBinary(a, a, (r, x) -> P256Field.sqr(r, x[0]), a.multiply(a));
  }

  @Property
  void addAndSubMatchBigInteger(@ForAll("loose") BigInteger a, @ForAll("loose") BigInteger b) {
    long[] x = mont(a);
    long[] y = mont(b);
    long[] r = P256Field.create();
    P256Field.add(r, x, y);
    assertInvariant(r);
    assertThat(plain(r)).isEqualTo(a.add(b).mod(P));
    P256Field.sub(r, x, y);
    assertInvariant(r);
    assertThat(plain(r)).isEqualTo(a.subtract(b).mod(P));
    // raw limbs of any values below 2^257, the largest the invariant allows
    P256Field.add(r, P256Field.limbs(a), P256Field.limbs(b));
    assertInvariant(r);
    assertThat(P256Field.value(r).mod(P)).isEqualTo(a.add(b).mod(P));
    P256Field.sub(r, P256Field.limbs(a), P256Field.limbs(b));
    assertInvariant(r);
    assertThat(P256Field.value(r).mod(P)).isEqualTo(a.subtract(b).mod(P));
  }

  @Property
  void inversionMatchesBigIntegerAndTheFermatChain(@ForAll("loose") BigInteger a) {
    long[] x = P256Field.limbs(a);
    long[] inv = P256Field.create();
    long[] fermat = P256Field.create();
    P256Field.invert(inv, x);
    P256Field.invertFermat(fermat, x);
    assertInvariant(inv);
    assertThat(plain(inv)).isEqualTo(plain(fermat));
    // x stands for a·R^-1; its inverse in Montgomery form stands for (a·R^-1)^-1
    BigInteger r = BigInteger.ONE.shiftLeft(260);
    BigInteger expected =
        a.mod(P).signum() == 0 ? BigInteger.ZERO : a.multiply(r.modInverse(P)).modInverse(P);
    assertThat(plain(inv)).isEqualTo(expected);
  }

  @Property
  void smallMultiplesMatchBigInteger(
      @ForAll("loose") BigInteger a, @ForAll @IntRange(max = 8) int c) {
    long[] x = mont(a);
    long[] r = P256Field.create();
    P256Field.mulSmall(r, x, c);
    assertInvariant(r);
    assertThat(plain(r)).isEqualTo(a.multiply(BigInteger.valueOf(c)).mod(P));
    // and on the raw limbs of any value below 2^257, the largest the invariant allows
    P256Field.mulSmall(r, P256Field.limbs(a), c);
    assertInvariant(r);
    assertThat(P256Field.value(r).mod(P)).isEqualTo(a.multiply(BigInteger.valueOf(c)).mod(P));
  }

  @Property
  void isZeroAndEqualAreExact(@ForAll("loose") BigInteger a) {
    long[] x = P256Field.limbs(a);
    assertThat(P256Field.isZero(x) != 0).isEqualTo(a.mod(P).signum() == 0);
    long[] y = P256Field.limbs(a.mod(P));
    assertThat(P256Field.equal(x, y)).isEqualTo(-1L);
  }

  /**
   * Montgomery operands: Montgomery form of a value is {@code a·R mod p}; here any representative.
   */
  private static long[] mont(BigInteger a) {
    // a·R mod p, then add p while that keeps the value below 2^257, to exercise loose inputs
    BigInteger m = a.shiftLeft(260).mod(P);
    if (a.testBit(0) && m.add(P).bitLength() <= 257) {
      m = m.add(P);
    }
    return P256Field.limbs(m);
  }

  private static BigInteger plain(long[] mont) {
    byte[] out = new byte[32];
    P256Field.toBytes(mont, out, 0);
    return new BigInteger(1, out);
  }

  private static void checkBinary(
      BigInteger a, BigInteger b, BiConsumer<long[], long[][]> op, BigInteger product) {
    long[] r = P256Field.create();
    op.accept(r, new long[][] {P256Field.limbs(a), P256Field.limbs(b)});
    assertInvariant(r);
    BigInteger rInv = BigInteger.ONE.shiftLeft(260).modInverse(P);
    assertThat(P256Field.value(r).mod(P)).isEqualTo(product.multiply(rInv).mod(P));
  }

  private static void checkBinary(BigInteger a, BigInteger b, TriConsumer op, BigInteger product) {
    checkBinary(a, b, (BiConsumer<long[], long[][]>) (r, x) -> op.accept(r, x[0], x[1]), product);
  }

  @FunctionalInterface
  private interface TriConsumer {
    void accept(long[] r, long[] a, long[] b);
  }

  private static void assertInvariant(long[] r) {
    for (int i = 0; i < 4; i++) {
      assertThat(r[i]).isBetween(0L, (1L << 52) - 1);
    }
    assertThat(P256Field.value(r)).isLessThan(BigInteger.ONE.shiftLeft(257));
  }
}
