package dev.davpush.webpush.internal;

import static dev.davpush.webpush.internal.P256Field.LIMBS;
import static dev.davpush.webpush.internal.P256Field.add;
import static dev.davpush.webpush.internal.P256Field.copy;
import static dev.davpush.webpush.internal.P256Field.mul;
import static dev.davpush.webpush.internal.P256Field.select;
import static dev.davpush.webpush.internal.P256Field.sqr;
import static dev.davpush.webpush.internal.P256Field.sub;

import java.math.BigInteger;

/**
 * Scalar multiplication on NIST P-256 ({@code y² = x³ - 3x + b} over {@link P256Field}): the two
 * operations a Web Push sender needs per message, the public key of a fresh ephemeral scalar
 * ({@link #multiplyBase}) and the ECDH shared secret with a subscription's key ({@link #ecdh}).
 *
 * <p><b>Representation.</b> Points are Jacobian {@code (X, Y, Z)} with {@code x = X/Z²}, {@code y =
 * Y/Z³}, coordinates in Montgomery form; {@code Z = 0} is the point at infinity. Doubling is
 * dbl-2001-b (uses {@code a = -3}), addition add-2007-bl (11M + 5S, only to build the fixed-base
 * table), mixed addition with an affine point madd-2007-bl (7M + 4S), from the Explicit-Formulas
 * Database.
 *
 * <p><b>Variable base</b> ({@link #ecdh}): a table of {@code 1·P … 15·P} made affine with one
 * shared inversion, then 4-bit fixed windows from the top: 252 doublings and 64 mixed additions for
 * every scalar. <b>Fixed base</b> ({@link #multiplyBase}): a table of {@code j·16^i·G} for the 64
 * windows {@code i} and {@code j = 1..15}, affine (960 points, 75 KiB, computed once per JVM with
 * one shared inversion), then one mixed addition per window: 64 additions and no doubling.
 *
 * <p><b>Exceptional cases.</b> The Jacobian addition formulas are not complete: they are wrong when
 * an input is the point at infinity and when both inputs are equal. Infinity is handled by
 * constant-time selection (the window digit 0 stands for infinity; the accumulator's {@code Z} is
 * tested with {@link P256Field#isZero}). Equal inputs cannot occur for a scalar {@code k} in {@code
 * [1, n-1]}: in the variable-base loop the accumulator is {@code 16·h·P} and the addend {@code w·P}
 * with {@code 16·h + w ≤ k < n}, so {@code 16·h ≡ w (mod n)} forces {@code h = w = 0} (both
 * infinity, handled); in the fixed-base loop the accumulator is {@code s·G} with {@code s < 16^i}
 * and the addend {@code w·16^i·G} with {@code 1 ≤ w}, so {@code s ≠ w·16^i} and {@code s + w·16^i ≤
 * k < n}. The opposite-points case gives {@code Z = 0}, infinity, correctly.
 *
 * <p><b>Constant time.</b> For a given operation, the sequence of field operations and memory
 * accesses does not depend on the scalar: every window does the same doublings and one addition;
 * table entries are read by scanning the whole table and combining with masks; selections use
 * masks, never branches. The only branches on data are on public values (whether a peer point is
 * valid). Java cannot promise what the JIT emits; see {@link P256Field} for the assumptions. The
 * callers hold scalars as {@link BigInteger}, which is not constant time for conversions; that is
 * outside this class.
 *
 * <p>Thread safety: stateless apart from the immutable base table; all methods may be called
 * concurrently.
 */
final class P256Curve {
  /** The curve's {@code b}, Montgomery form. */
  private static final long[] B =
      mont(new BigInteger("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", 16));

  static final BigInteger GX =
      new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16);
  static final BigInteger GY =
      new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16);

  private P256Curve() {}

  private static long[] mont(BigInteger v) {
    long[] r = P256Field.create();
    P256Field.toMontgomery(r, P256Field.limbs(v));
    return r;
  }

  /** Temporaries for one scalar multiplication (no allocation inside the loops). */
  private static final class Ops {
    final long[] t0 = P256Field.create();
    final long[] t1 = P256Field.create();
    final long[] t2 = P256Field.create();
    final long[] t3 = P256Field.create();
    final long[] t4 = P256Field.create();
    final long[] t5 = P256Field.create();
    final long[] t6 = P256Field.create();
    final long[] t7 = P256Field.create();
    final long[] t8 = P256Field.create();
    final long[] t9 = P256Field.create();

    /**
     * {@code (x3, y3, z3) = 2·(x1, y1, z1)}; outputs may alias inputs. dbl-2001-b (3M + 5S; a
     * squaring costs about 70 % of a multiplication here, so {@code Z3} stays a squared sum), small
     * multiples in one step.
     */
    void dbl(long[] x3, long[] y3, long[] z3, long[] x1, long[] y1, long[] z1) {
      long[] delta = t0;
      long[] gamma = t1;
      long[] beta = t2;
      long[] alpha = t3;
      sqr(delta, z1);
      sqr(gamma, y1);
      mul(beta, x1, gamma);
      sub(t4, x1, delta);
      add(t5, x1, delta);
      mul(alpha, t4, t5);
      P256Field.mulSmall(alpha, alpha, 3); // 3·(X-δ)(X+δ)
      add(z3, y1, z1);
      sqr(z3, z3);
      sub(z3, z3, gamma);
      sub(z3, z3, delta); // (Y+Z)² - γ - δ = 2·Y·Z
      P256Field.mulSmall(beta, beta, 4); // 4β
      sqr(x3, alpha);
      add(t4, beta, beta); // 8β
      sub(x3, x3, t4);
      sub(beta, beta, x3);
      mul(beta, alpha, beta);
      sqr(gamma, gamma);
      P256Field.mulSmall(gamma, gamma, 8); // 8γ²
      sub(y3, beta, gamma);
    }

    /**
     * {@code (x3, y3, z3) = (x1, y1, z1) + (x2, y2, z2)} for inputs that are neither infinity nor
     * equal; outputs may alias the first input only.
     */
    void addJ(
        long[] x3,
        long[] y3,
        long[] z3,
        long[] x1,
        long[] y1,
        long[] z1,
        long[] x2,
        long[] y2,
        long[] z2) {
      long[] z1z1 = t0;
      long[] z2z2 = t1;
      long[] u1 = t2;
      long[] u2 = t3;
      long[] s1 = t4;
      long[] s2 = t5;
      long[] h = t6;
      long[] i = t7;
      long[] j = t8;
      long[] r = t9;
      sqr(z1z1, z1);
      sqr(z2z2, z2);
      mul(u1, x1, z2z2);
      mul(u2, x2, z1z1);
      mul(s1, y1, z2);
      mul(s1, s1, z2z2);
      mul(s2, y2, z1);
      mul(s2, s2, z1z1);
      sub(h, u2, u1);
      add(i, h, h);
      sqr(i, i);
      mul(j, h, i);
      sub(r, s2, s1);
      add(r, r, r);
      // V = U1·I (into u2, no longer needed)
      mul(u2, u1, i);
      // Z3 = ((Z1+Z2)² - Z1Z1 - Z2Z2)·H
      add(z3, z1, z2);
      sqr(z3, z3);
      sub(z3, z3, z1z1);
      sub(z3, z3, z2z2);
      mul(z3, z3, h);
      // X3 = r² - J - 2V
      sqr(x3, r);
      sub(x3, x3, j);
      sub(x3, x3, u2);
      sub(x3, x3, u2);
      // Y3 = r·(V - X3) - 2·S1·J
      sub(u2, u2, x3);
      mul(u2, r, u2);
      mul(s1, s1, j);
      add(s1, s1, s1);
      sub(y3, u2, s1);
    }

    /**
     * {@code (x3, y3, z3) = (x1, y1, z1) + (x2, y2, 1)} for inputs that are neither infinity nor
     * equal; outputs may alias the first input.
     */
    void addMixed(
        long[] x3, long[] y3, long[] z3, long[] x1, long[] y1, long[] z1, long[] x2, long[] y2) {
      long[] z1z1 = t0;
      long[] u2 = t1;
      long[] s2 = t2;
      long[] h = t3;
      long[] hh = t4;
      long[] i = t5;
      long[] j = t6;
      long[] r = t7;
      long[] v = t8;
      sqr(z1z1, z1);
      mul(u2, x2, z1z1);
      mul(s2, y2, z1);
      mul(s2, s2, z1z1);
      sub(h, u2, x1);
      sqr(hh, h);
      P256Field.mulSmall(i, hh, 4);
      mul(j, h, i);
      sub(r, s2, y1);
      add(r, r, r);
      mul(v, x1, i);
      // Z3 = (Z1+H)² - Z1Z1 - HH (before Z1 is overwritten)
      add(z3, z1, h);
      sqr(z3, z3);
      sub(z3, z3, z1z1);
      sub(z3, z3, hh);
      // Y1·J before Y1 may be overwritten
      mul(u2, y1, j);
      add(u2, u2, u2);
      sqr(x3, r);
      sub(x3, x3, j);
      sub(x3, x3, v);
      sub(x3, x3, v);
      sub(v, v, x3);
      mul(v, r, v);
      sub(y3, v, u2);
    }
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes and validates an uncompressed point {@code 04 ‖ X ‖ Y}.
   *
   * @return {@code {x, y}} in Montgomery form
   * @throws IllegalArgumentException if the encoding is not 65 bytes starting with 4, a coordinate
   *     is not below {@code p}, or the point is not on the curve (the point at infinity has no such
   *     encoding)
   */
  static long[][] decode(byte[] uncompressed) {
    if (uncompressed.length != 65 || uncompressed[0] != 4) {
      throw new IllegalArgumentException("P-256 point: expected 65 bytes starting with 0x04");
    }
    long[] px = P256Field.fromBytes(uncompressed, 1);
    long[] py = P256Field.fromBytes(uncompressed, 33);
    if (px == null || py == null) {
      throw new IllegalArgumentException("P-256 point: coordinate not below p");
    }
    long[] x = P256Field.create();
    long[] y = P256Field.create();
    P256Field.toMontgomery(x, px);
    P256Field.toMontgomery(y, py);
    if (!onCurve(x, y)) {
      throw new IllegalArgumentException("P-256 point: not on the curve");
    }
    return new long[][] {x, y};
  }

  /** Whether {@code y² = x³ - 3x + b} (Montgomery coordinates). */
  static boolean onCurve(long[] x, long[] y) {
    long[] lhs = P256Field.create();
    long[] rhs = P256Field.create();
    long[] t = P256Field.create();
    sqr(lhs, y);
    sqr(rhs, x);
    mul(rhs, rhs, x);
    add(t, x, x);
    add(t, t, x);
    sub(rhs, rhs, t);
    add(rhs, rhs, B);
    return P256Field.equal(lhs, rhs) != 0;
  }

  // ---------------------------------------------------------------- variable base

  /**
   * The ECDH shared secret: the affine x coordinate of {@code k·Q}.
   *
   * @param scalar {@code k}, 32 bytes big-endian, in {@code [1, n-1]} (the caller checks)
   * @param peer the peer's uncompressed point
   * @return 32 bytes big-endian
   * @throws IllegalArgumentException if the peer point is invalid (see {@link #decode})
   */
  static byte[] ecdh(byte[] scalar, byte[] peer) {
    long[][] q = decode(peer);
    Ops ops = new Ops();
    // j·Q for j = 1..15: Jacobian first, then affine with one shared inversion
    long[][] xs = new long[15][];
    long[][] ys = new long[15][];
    long[][] zs = new long[15][];
    long[] x1 = q[0];
    long[] y1 = q[1];
    xs[0] = x1;
    ys[0] = y1;
    zs[0] = P256Field.ONE;
    xs[1] = P256Field.create();
    ys[1] = P256Field.create();
    zs[1] = P256Field.create();
    ops.dbl(xs[1], ys[1], zs[1], x1, y1, P256Field.ONE);
    for (int j = 2; j < 15; j++) {
      xs[j] = P256Field.create();
      ys[j] = P256Field.create();
      zs[j] = P256Field.create();
      ops.addMixed(xs[j], ys[j], zs[j], xs[j - 1], ys[j - 1], zs[j - 1], x1, y1);
    }
    long[] table = new long[15 * 2 * LIMBS];
    toAffine(xs, ys, zs, table, 0);

    long[] ax = P256Field.create();
    long[] ay = P256Field.create();
    long[] az = P256Field.create(); // infinity
    copy(ax, P256Field.ONE);
    copy(ay, P256Field.ONE);
    long[] wx = P256Field.create();
    long[] wy = P256Field.create();
    long[] x = P256Field.create();
    long[] y = P256Field.create();
    long[] z = P256Field.create();
    for (int n = 63; n >= 0; n--) {
      if (n != 63) {
        for (int d = 0; d < 4; d++) {
          ops.dbl(ax, ay, az, ax, ay, az);
        }
      }
      int w = nibble(scalar, n);
      lookupAffine(table, 0, w, wx, wy);
      ops.addMixed(x, y, z, ax, ay, az, wx, wy);
      long accInfinity = P256Field.isZero(az);
      long addendInfinity = ((long) w - 1) >> 63;
      // acc = addend if acc is infinity; unchanged if the addend is infinity; else the sum
      select(x, x, wx, accInfinity);
      select(y, y, wy, accInfinity);
      select(z, z, P256Field.ONE, accInfinity);
      select(ax, x, ax, addendInfinity);
      select(ay, y, ay, addendInfinity);
      select(az, z, az, addendInfinity);
    }
    if (P256Field.isZero(az) != 0) {
      throw new IllegalArgumentException("ECDH: shared point is the point at infinity");
    }
    long[] zi = P256Field.create();
    P256Field.invert(zi, az);
    sqr(zi, zi);
    mul(ax, ax, zi);
    byte[] out = new byte[32];
    P256Field.toBytes(ax, out, 0);
    return out;
  }

  /**
   * Writes the affine {@code (x, y)} of Jacobian points (none at infinity) into {@code table} from
   * entry {@code first} on, with one inversion for all (Montgomery's trick).
   */
  private static void toAffine(long[][] xs, long[][] ys, long[][] zs, long[] table, int first) {
    int count = xs.length;
    long[][] prefix = new long[count][];
    long[] acc = P256Field.ONE.clone();
    for (int k = 0; k < count; k++) {
      prefix[k] = acc.clone();
      mul(acc, acc, zs[k]);
    }
    long[] inv = P256Field.create();
    P256Field.invert(inv, acc);
    long[] zi = P256Field.create();
    long[] zi2 = P256Field.create();
    long[] t = P256Field.create();
    for (int k = count - 1; k >= 0; k--) {
      mul(zi, inv, prefix[k]);
      mul(inv, inv, zs[k]);
      sqr(zi2, zi);
      mul(t, xs[k], zi2);
      System.arraycopy(t, 0, table, (first + k) * 2 * LIMBS, LIMBS);
      mul(zi2, zi2, zi);
      mul(t, ys[k], zi2);
      System.arraycopy(t, 0, table, (first + k) * 2 * LIMBS + LIMBS, LIMBS);
    }
  }

  // ---------------------------------------------------------------- fixed base

  /** The uncompressed public key {@code k·G}, 65 bytes, for {@code k} in {@code [1, n-1]}. */
  static byte[] multiplyBase(byte[] scalar) {
    long[] table = BaseTable.TABLE;
    Ops ops = new Ops();
    long[] ax = P256Field.create();
    long[] ay = P256Field.create();
    long[] az = P256Field.create(); // infinity
    copy(ax, P256Field.ONE);
    copy(ay, P256Field.ONE);
    long[] wx = P256Field.create();
    long[] wy = P256Field.create();
    long[] x = P256Field.create();
    long[] y = P256Field.create();
    long[] z = P256Field.create();
    for (int n = 0; n < 64; n++) {
      int w = nibble(scalar, n);
      lookupAffine(table, n * 15, w, wx, wy);
      ops.addMixed(x, y, z, ax, ay, az, wx, wy);
      long accInfinity = P256Field.isZero(az);
      long addendInfinity = ((long) w - 1) >> 63;
      select(x, x, wx, accInfinity);
      select(y, y, wy, accInfinity);
      select(z, z, P256Field.ONE, accInfinity);
      select(ax, x, ax, addendInfinity);
      select(ay, y, ay, addendInfinity);
      select(az, z, az, addendInfinity);
    }
    if (P256Field.isZero(az) != 0) {
      throw new IllegalArgumentException("P-256: scalar is a multiple of the group order");
    }
    long[] zi = P256Field.create();
    long[] zi2 = P256Field.create();
    P256Field.invert(zi, az);
    sqr(zi2, zi);
    mul(ax, ax, zi2);
    mul(zi2, zi2, zi);
    mul(ay, ay, zi2);
    byte[] out = new byte[65];
    out[0] = 4;
    P256Field.toBytes(ax, out, 1);
    P256Field.toBytes(ay, out, 33);
    return out;
  }

  /** {@code j·16^i·G} for windows {@code i = 0..63} and {@code j = 1..15}, affine, Montgomery. */
  private static final class BaseTable {
    static final long[] TABLE = build();

    private static long[] build() {
      int count = 64 * 15;
      long[][] xs = new long[count][];
      long[][] ys = new long[count][];
      long[][] zs = new long[count][];
      Ops ops = new Ops();
      long[] bx = mont(GX);
      long[] by = mont(GY);
      long[] bz = P256Field.ONE.clone();
      for (int i = 0; i < 64; i++) {
        // base = 16^i·G (Jacobian); entries j·base
        long[] x = bx.clone();
        long[] y = by.clone();
        long[] z = bz.clone();
        for (int j = 1; j <= 15; j++) {
          int k = i * 15 + (j - 1);
          xs[k] = x.clone();
          ys[k] = y.clone();
          zs[k] = z.clone();
          if (j == 1) {
            ops.dbl(x, y, z, bx, by, bz);
          } else if (j < 15) {
            long[] nx = P256Field.create();
            long[] ny = P256Field.create();
            long[] nz = P256Field.create();
            ops.addJ(nx, ny, nz, x, y, z, bx, by, bz);
            x = nx;
            y = ny;
            z = nz;
          }
        }
        for (int d = 0; d < 4; d++) {
          ops.dbl(bx, by, bz, bx, by, bz);
        }
      }
      long[] table = new long[count * 2 * LIMBS];
      toAffine(xs, ys, zs, table, 0);
      return table;
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The {@code n}-th 4-bit digit of a 32-byte big-endian scalar, {@code n = 0} least significant.
   */
  static int nibble(byte[] scalar, int n) {
    return (scalar[31 - (n >> 1)] >> ((n & 1) << 2)) & 15;
  }

  /**
   * Reads affine entry {@code w} (1..15) of the window starting at {@code first}; for {@code w = 0}
   * the result is all zero limbs (the caller then keeps its accumulator).
   */
  private static void lookupAffine(long[] table, int first, int w, long[] x, long[] y) {
    long x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0;
    long y0 = 0, y1 = 0, y2 = 0, y3 = 0, y4 = 0;
    for (int e = 1; e <= 15; e++) {
      long m = ((long) (e ^ w) - 1) >> 63;
      int o = (first + e - 1) * 2 * LIMBS;
      x0 |= table[o] & m;
      x1 |= table[o + 1] & m;
      x2 |= table[o + 2] & m;
      x3 |= table[o + 3] & m;
      x4 |= table[o + 4] & m;
      y0 |= table[o + 5] & m;
      y1 |= table[o + 6] & m;
      y2 |= table[o + 7] & m;
      y3 |= table[o + 8] & m;
      y4 |= table[o + 9] & m;
    }
    x[0] = x0;
    x[1] = x1;
    x[2] = x2;
    x[3] = x3;
    x[4] = x4;
    y[0] = y0;
    y[1] = y1;
    y[2] = y2;
    y[3] = y3;
    y[4] = y4;
  }
}
