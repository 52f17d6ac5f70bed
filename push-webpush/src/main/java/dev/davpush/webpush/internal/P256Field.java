package dev.davpush.webpush.internal;

import java.math.BigInteger;

/**
 * Arithmetic modulo the P-256 prime {@code p = 2^256 - 2^224 + 2^192 + 2^96 - 1} on five 52-bit
 * limbs, in Montgomery form with {@code R = 2^260}.
 *
 * <p>An element is a {@code long[5]}, little-endian limbs {@code a[i]} of weight {@code 2^(52i)}.
 * Every operation here accepts and returns elements whose limbs 0 to 3 are in {@code [0, 2^52)},
 * whose top limb is non-negative and whose value is below {@code 2^257} (not necessarily below
 * {@code p}): {@link #mul} returns less than {@code 2^254 + p}, {@link #add} and {@link #sub} fold
 * the bits from {@code 2^256} up back with {@code 2^256 ≡ 2^224 - 2^192 - 2^96 + 1}, which leaves
 * less than {@code 2^256 + 2^229}. Only {@link #toBytes} and {@link #isZero} reduce fully.
 *
 * <p>Why 52 bits: a limb product is below {@code 2^104}, so {@link Math#multiplyHigh} (signed)
 * gives its high half without the unsigned correction Java 17 would need for 64-bit limbs, and a
 * column of the schoolbook product sums ten 52-bit halves without any carry handling. Montgomery
 * reduction needs {@code -p^-1 mod 2^52}, which is 1 because {@code p ≡ -1 (mod 2^96)}, and {@code
 * p}'s limbs are {@code 2^52-1, 2^44-1, 0, 2^36, 2^48-2^16}, so each of the five rounds is shifts
 * and additions.
 *
 * <p>Constant time: no branch and no memory index depends on an element's value; every method runs
 * the same instruction sequence for all inputs (64-bit multiplications, additions, shifts, masks).
 * That is a property of the code as written; a JIT is free to do otherwise, but HotSpot's C2 emits
 * {@code imul}/{@code mul} and straight-line code for it, and {@code mul} on x86-64 and AArch64
 * takes the same time for all operands.
 *
 * <p>In-place use ({@code r == a}, {@code r == b}) is allowed everywhere.
 */
final class P256Field {
  static final int LIMBS = 5;
  private static final long M = (1L << 52) - 1;

  /** The prime. */
  static final BigInteger P =
      new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);

  private static final long[] P_LIMBS = limbs(P);
  private static final long[] FOUR_P = limbs(P.shiftLeft(2));

  /** {@code R^2 mod p}, to enter Montgomery form. */
  private static final long[] R2 = limbs(BigInteger.ONE.shiftLeft(520).mod(P));

  /** One in Montgomery form. */
  static final long[] ONE = limbs(BigInteger.ONE.shiftLeft(260).mod(P));

  private P256Field() {}

  static long[] create() {
    return new long[LIMBS];
  }

  /** Plain limbs of a non-negative integer below {@code 2^260}. */
  static long[] limbs(BigInteger v) {
    long[] r = new long[LIMBS];
    for (int i = 0; i < LIMBS; i++) {
      r[i] = v.shiftRight(52 * i).longValue() & M;
    }
    return r;
  }

  /** The integer the plain limbs stand for (tests and set-up only). */
  static BigInteger value(long[] a) {
    BigInteger v = BigInteger.ZERO;
    for (int i = LIMBS - 1; i >= 0; i--) {
      v = v.shiftLeft(52).add(BigInteger.valueOf(a[i]));
    }
    return v;
  }

  static void copy(long[] r, long[] a) {
    System.arraycopy(a, 0, r, 0, LIMBS);
  }

  /**
   * {@code r = a·b·2^-260 mod p}.
   *
   * <p>Each limb product {@code x·y < 2^104} is split into its low 52 bits ({@code (x·y) & M}, from
   * the low 64-bit product) and the rest, {@code floor(x·y / 2^52)}, which is the high 64-bit half
   * of {@code (x·2^6)·(y·2^6)} ({@link Math#multiplyHigh}, exact since the operands stay below
   * {@code 2^59}).
   */
  static void mul(long[] r, long[] a, long[] b) {
    long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
    long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
    long a0s = a0 << 6, a1s = a1 << 6, a2s = a2 << 6, a3s = a3 << 6, a4s = a4 << 6;
    long b0s = b0 << 6, b1s = b1 << 6, b2s = b2 << 6, b3s = b3 << 6, b4s = b4 << 6;
    long c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0;
    long lo;
    lo = a0 * b0;
    c0 += lo & M;
    c1 += Math.multiplyHigh(a0s, b0s);
    lo = a0 * b1;
    c1 += lo & M;
    c2 += Math.multiplyHigh(a0s, b1s);
    lo = a0 * b2;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a0s, b2s);
    lo = a0 * b3;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a0s, b3s);
    lo = a0 * b4;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a0s, b4s);
    lo = a1 * b0;
    c1 += lo & M;
    c2 += Math.multiplyHigh(a1s, b0s);
    lo = a1 * b1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a1s, b1s);
    lo = a1 * b2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a1s, b2s);
    lo = a1 * b3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a1s, b3s);
    lo = a1 * b4;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a1s, b4s);
    lo = a2 * b0;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a2s, b0s);
    lo = a2 * b1;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a2s, b1s);
    lo = a2 * b2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a2s, b2s);
    lo = a2 * b3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a2s, b3s);
    lo = a2 * b4;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a2s, b4s);
    lo = a3 * b0;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a3s, b0s);
    lo = a3 * b1;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a3s, b1s);
    lo = a3 * b2;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a3s, b2s);
    lo = a3 * b3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a3s, b3s);
    lo = a3 * b4;
    c7 += lo & M;
    c8 += Math.multiplyHigh(a3s, b4s);
    lo = a4 * b0;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a4s, b0s);
    lo = a4 * b1;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a4s, b1s);
    lo = a4 * b2;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a4s, b2s);
    lo = a4 * b3;
    c7 += lo & M;
    c8 += Math.multiplyHigh(a4s, b3s);
    lo = a4 * b4;
    c8 += lo & M;
    c9 += Math.multiplyHigh(a4s, b4s);
    reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  }

  /**
   * {@code r = a²·2^-260 mod p}: 15 limb products, the off-diagonal ones with a doubled operand.
   */
  static void sqr(long[] r, long[] a) {
    long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
    long d0 = a0 << 1, d1 = a1 << 1, d2 = a2 << 1, d3 = a3 << 1;
    long a0s = a0 << 6, a1s = a1 << 6, a2s = a2 << 6, a3s = a3 << 6, a4s = a4 << 6;
    long d0s = d0 << 6, d1s = d1 << 6, d2s = d2 << 6, d3s = d3 << 6;
    long c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0;
    long lo;
    lo = a0 * a0;
    c0 += lo & M;
    c1 += Math.multiplyHigh(a0s, a0s);
    lo = d0 * a1;
    c1 += lo & M;
    c2 += Math.multiplyHigh(d0s, a1s);
    lo = d0 * a2;
    c2 += lo & M;
    c3 += Math.multiplyHigh(d0s, a2s);
    lo = d0 * a3;
    c3 += lo & M;
    c4 += Math.multiplyHigh(d0s, a3s);
    lo = d0 * a4;
    c4 += lo & M;
    c5 += Math.multiplyHigh(d0s, a4s);
    lo = a1 * a1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a1s, a1s);
    lo = d1 * a2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(d1s, a2s);
    lo = d1 * a3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(d1s, a3s);
    lo = d1 * a4;
    c5 += lo & M;
    c6 += Math.multiplyHigh(d1s, a4s);
    lo = a2 * a2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a2s, a2s);
    lo = d2 * a3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(d2s, a3s);
    lo = d2 * a4;
    c6 += lo & M;
    c7 += Math.multiplyHigh(d2s, a4s);
    lo = a3 * a3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a3s, a3s);
    lo = d3 * a4;
    c7 += lo & M;
    c8 += Math.multiplyHigh(d3s, a4s);
    lo = a4 * a4;
    c8 += lo & M;
    c9 += Math.multiplyHigh(a4s, a4s);
    reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  }

  /**
   * Montgomery reduction of a ten-column product: five rounds, each adds {@code m·p} with {@code m}
   * the low 52 bits of the lowest column and drops that column. {@code m·p} is {@code m·(2^96 - 1)
   * + m·2^192 + m·(2^48 - 2^16)·2^208}: the {@code -m} cancels the column's low bits, the rest are
   * shifted copies of {@code m}. Columns may go negative in between; carries use arithmetic shifts,
   * which are floor divisions, so the sum is exact.
   */
  private static void reduce(
      long[] r,
      long c0,
      long c1,
      long c2,
      long c3,
      long c4,
      long c5,
      long c6,
      long c7,
      long c8,
      long c9) {
    long m;
    m = c0 & M;
    c1 += (c0 >> 52) + ((m << 44) & M);
    c2 += m >>> 8;
    c3 += (m << 36) & M;
    c4 += (m >>> 16) + ((m << 48) & M) - ((m << 16) & M);
    c5 += (m >>> 4) - (m >>> 36);

    m = c1 & M;
    c2 += (c1 >> 52) + ((m << 44) & M);
    c3 += m >>> 8;
    c4 += (m << 36) & M;
    c5 += (m >>> 16) + ((m << 48) & M) - ((m << 16) & M);
    c6 += (m >>> 4) - (m >>> 36);

    m = c2 & M;
    c3 += (c2 >> 52) + ((m << 44) & M);
    c4 += m >>> 8;
    c5 += (m << 36) & M;
    c6 += (m >>> 16) + ((m << 48) & M) - ((m << 16) & M);
    c7 += (m >>> 4) - (m >>> 36);

    m = c3 & M;
    c4 += (c3 >> 52) + ((m << 44) & M);
    c5 += m >>> 8;
    c6 += (m << 36) & M;
    c7 += (m >>> 16) + ((m << 48) & M) - ((m << 16) & M);
    c8 += (m >>> 4) - (m >>> 36);

    m = c4 & M;
    c5 += (c4 >> 52) + ((m << 44) & M);
    c6 += m >>> 8;
    c7 += (m << 36) & M;
    c8 += (m >>> 16) + ((m << 48) & M) - ((m << 16) & M);
    c9 += (m >>> 4) - (m >>> 36);

    c6 += c5 >> 52;
    c7 += c6 >> 52;
    c8 += c7 >> 52;
    c9 += c8 >> 52;
    r[0] = c5 & M;
    r[1] = c6 & M;
    r[2] = c7 & M;
    r[3] = c8 & M;
    r[4] = c9;
  }

  /** {@code r = a + b mod p} (weakly reduced). */
  static void add(long[] r, long[] a, long[] b) {
    fold(r, a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4]);
  }

  /**
   * {@code r = c·a mod p} (weakly reduced) for a small constant {@code 0 ≤ c ≤ 8}: one fold instead
   * of a chain of additions.
   */
  static void mulSmall(long[] r, long[] a, int c) {
    fold(r, a[0] * c, a[1] * c, a[2] * c, a[3] * c, a[4] * c);
  }

  /** {@code r = a - b mod p} (weakly reduced), computed as {@code a + 4p - b}. */
  static void sub(long[] r, long[] a, long[] b) {
    fold(
        r,
        a[0] - b[0] + FOUR_P[0],
        a[1] - b[1] + FOUR_P[1],
        a[2] - b[2] + FOUR_P[2],
        a[3] - b[3] + FOUR_P[3],
        a[4] - b[4] + FOUR_P[4]);
  }

  /**
   * Normalises the limb-wise sum or difference of two elements, or a small multiple of one (value
   * below {@code 2^260}), to the invariant in one carry pass: folds the top limb's bits from {@code
   * 2^256} up with {@code 2^256 ≡ 2^224 - 2^192 - 2^96 + 1 (mod p)} first, then carries. For a sum
   * or a small multiple the folded multiple {@code c} of {@code p} is at most 15 and every term is
   * non-negative; for {@code a - b + 4p} the top limb is at least {@code 2^50 - 2^49 - 2^18}, so
   * {@code c ≥ 1} and {@code c·2^224} outweighs the negative lower limbs (above {@code -2^209}).
   * Either way the result is non-negative and below {@code 2^256 + 2^228}.
   */
  private static void fold(long[] r, long t0, long t1, long t2, long t3, long t4) {
    long c = t4 >> 48;
    t4 -= c << 48;
    t0 += c;
    t1 -= c << 44;
    t3 -= c << 36;
    t4 += c << 16;
    t1 += t0 >> 52;
    r[0] = t0 & M;
    t2 += t1 >> 52;
    r[1] = t1 & M;
    t3 += t2 >> 52;
    r[2] = t2 & M;
    t4 += t3 >> 52;
    r[3] = t3 & M;
    r[4] = t4;
  }

  /** {@code r = a} if {@code mask == 0}, {@code r = b} if {@code mask == -1}. */
  static void select(long[] r, long[] a, long[] b, long mask) {
    for (int i = 0; i < LIMBS; i++) {
      r[i] = a[i] ^ ((a[i] ^ b[i]) & mask);
    }
  }

  /** Reduces {@code a} (below {@code 2^257}) into {@code [0, p)} in place. */
  static void canonical(long[] a) {
    subtractPIfNotBelow(a);
    subtractPIfNotBelow(a);
  }

  private static void subtractPIfNotBelow(long[] a) {
    long t0 = a[0] - P_LIMBS[0];
    long t1 = a[1] - P_LIMBS[1] + (t0 >> 52);
    long t2 = a[2] - P_LIMBS[2] + (t1 >> 52);
    long t3 = a[3] - P_LIMBS[3] + (t2 >> 52);
    long t4 = a[4] - P_LIMBS[4] + (t3 >> 52);
    long keep = t4 >> 63; // -1 if a < p
    a[0] = (t0 & M) ^ (((t0 & M) ^ a[0]) & keep);
    a[1] = (t1 & M) ^ (((t1 & M) ^ a[1]) & keep);
    a[2] = (t2 & M) ^ (((t2 & M) ^ a[2]) & keep);
    a[3] = (t3 & M) ^ (((t3 & M) ^ a[3]) & keep);
    a[4] = t4 ^ ((t4 ^ a[4]) & keep);
  }

  /** -1 if {@code a ≡ 0 (mod p)}, else 0; {@code a} is not modified. */
  static long isZero(long[] a) {
    long[] t = a.clone();
    canonical(t);
    long bits = t[0] | t[1] | t[2] | t[3] | t[4];
    return ((bits | -bits) >> 63) ^ -1L;
  }

  /** -1 if {@code a ≡ b (mod p)}, else 0. */
  static long equal(long[] a, long[] b) {
    long[] t = new long[LIMBS];
    sub(t, a, b);
    return isZero(t);
  }

  /** Montgomery form of a plain element. */
  static void toMontgomery(long[] r, long[] plain) {
    mul(r, plain, R2);
  }

  /**
   * Reads a big-endian 32-byte integer.
   *
   * @return the plain limbs, or {@code null} if the integer is not below {@code p}
   */
  static long @org.jspecify.annotations.Nullable [] fromBytes(byte[] in, int off) {
    long w3 = be64(in, off);
    long w2 = be64(in, off + 8);
    long w1 = be64(in, off + 16);
    long w0 = be64(in, off + 24);
    long[] r = new long[LIMBS];
    r[0] = w0 & M;
    r[1] = ((w0 >>> 52) | (w1 << 12)) & M;
    r[2] = ((w1 >>> 40) | (w2 << 24)) & M;
    r[3] = ((w2 >>> 28) | (w3 << 36)) & M;
    r[4] = w3 >>> 16;
    long[] t = r.clone();
    subtractPIfNotBelow(t);
    long changed = (t[0] ^ r[0]) | (t[1] ^ r[1]) | (t[2] ^ r[2]) | (t[3] ^ r[3]) | (t[4] ^ r[4]);
    return changed != 0 ? null : r;
  }

  /** Writes the canonical value of a Montgomery-form element as 32 big-endian bytes. */
  static void toBytes(long[] mont, byte[] out, int off) {
    long[] t = new long[LIMBS];
    mul(t, mont, PLAIN_ONE);
    canonical(t);
    long w0 = t[0] | (t[1] << 52);
    long w1 = (t[1] >>> 12) | (t[2] << 40);
    long w2 = (t[2] >>> 24) | (t[3] << 28);
    long w3 = (t[3] >>> 36) | (t[4] << 16);
    putBe64(out, off, w3);
    putBe64(out, off + 8, w2);
    putBe64(out, off + 16, w1);
    putBe64(out, off + 24, w0);
  }

  private static final long[] PLAIN_ONE = {1, 0, 0, 0, 0};

  private static long be64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void putBe64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /**
   * {@code R^3 mod p}: turns the plain inverse of a Montgomery element back into Montgomery form.
   */
  private static final long[] R3 = limbs(BigInteger.ONE.shiftLeft(780).mod(P));

  private static final int[] P_INTS = ints(P);

  private static int[] ints(BigInteger v) {
    int[] r = new int[8];
    for (int i = 0; i < 8; i++) {
      r[i] = v.shiftRight(32 * i).intValue();
    }
    return r;
  }

  /**
   * {@code r = a^-1} (Montgomery form in and out); 0 maps to 0. BouncyCastle's {@code
   * Mod.modOddInverse} (Bernstein–Yang "safegcd", a fixed number of divsteps, constant time) on the
   * canonical integer {@code aR}, then one multiplication by {@code R^3}: {@code (aR)^-1·R^3/R =
   * a^-1·R}. About a third of the cost of {@link #invertFermat}.
   */
  static void invert(long[] r, long[] a) {
    long[] t = a.clone();
    canonical(t);
    long w0 = t[0] | (t[1] << 52);
    long w1 = (t[1] >>> 12) | (t[2] << 40);
    long w2 = (t[2] >>> 24) | (t[3] << 28);
    long w3 = (t[3] >>> 36) | (t[4] << 16);
    int[] x = {
      (int) w0, (int) (w0 >>> 32), (int) w1, (int) (w1 >>> 32),
      (int) w2, (int) (w2 >>> 32), (int) w3, (int) (w3 >>> 32)
    };
    int[] z = new int[8];
    org.bouncycastle.math.raw.Mod.modOddInverse(P_INTS, x, z);
    long v0 = (z[0] & 0xFFFFFFFFL) | ((long) z[1] << 32);
    long v1 = (z[2] & 0xFFFFFFFFL) | ((long) z[3] << 32);
    long v2 = (z[4] & 0xFFFFFFFFL) | ((long) z[5] << 32);
    long v3 = (z[6] & 0xFFFFFFFFL) | ((long) z[7] << 32);
    t[0] = v0 & M;
    t[1] = ((v0 >>> 52) | (v1 << 12)) & M;
    t[2] = ((v1 >>> 40) | (v2 << 24)) & M;
    t[3] = ((v2 >>> 28) | (v3 << 36)) & M;
    t[4] = v3 >>> 16;
    mul(r, t, R3);
  }

  /** {@code r = a^(2^k)} (Montgomery). */
  private static void sqrN(long[] r, long[] a, int k) {
    sqr(r, a);
    for (int i = 1; i < k; i++) {
      sqr(r, r);
    }
  }

  /**
   * {@code r = a^-1} (Montgomery form in and out) by Fermat, {@code a^(p-2)}, with a fixed addition
   * chain of 255 squarings and 12 multiplications; 0 maps to 0.
   */
  static void invertFermat(long[] r, long[] a) {
    long[] x = a.clone();
    long[] e2 = create();
    long[] e3 = create();
    long[] e6 = create();
    long[] e12 = create();
    long[] e15 = create();
    long[] e30 = create();
    long[] e32 = create();
    sqr(e2, x);
    mul(e2, e2, x); // 2^2 - 1
    sqr(e3, e2);
    mul(e3, e3, x); // 2^3 - 1
    sqrN(e6, e3, 3);
    mul(e6, e6, e3); // 2^6 - 1
    sqrN(e12, e6, 6);
    mul(e12, e12, e6); // 2^12 - 1
    sqrN(e15, e12, 3);
    mul(e15, e15, e3); // 2^15 - 1
    sqrN(e30, e15, 15);
    mul(e30, e30, e15); // 2^30 - 1
    sqrN(e32, e30, 2);
    mul(e32, e32, e2); // 2^32 - 1
    long[] t = create();
    sqrN(t, e32, 32);
    mul(t, t, x); // FFFFFFFF 00000001
    sqrN(t, t, 96); // three zero words
    sqrN(t, t, 32);
    mul(t, t, e32); // FFFFFFFF
    sqrN(t, t, 32);
    mul(t, t, e32); // FFFFFFFF
    sqrN(t, t, 30);
    mul(t, t, e30);
    sqrN(t, t, 2);
    mul(r, t, x); // FFFFFFFD
  }
}
