package dev.davpush.webpush.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers and edge cases for the P-256 arithmetic; {@link P256CurvePropertyTest} compares it
 * with BouncyCastle.
 */
class P256CurveTest {
  static final HexFormat HEX = HexFormat.of();
  static final BigInteger N = P256.DOMAIN.getN();

  static byte[] scalar(BigInteger k) {
    return P256.scalarBytes(k);
  }

  static byte[] bcBase(BigInteger k) {
    return P256.DOMAIN.getG().multiply(k).normalize().getEncoded(false);
  }

  /** NIST CAVS 14.1 ECC CDH primitive test vectors, P-256, COUNT 0 to 2. */
  @ParameterizedTest
  @CsvSource({
    "700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287,"
        + "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac,"
        + "7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534,"
        + "ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230,"
        + "28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141,"
        + "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b",
    "809f04289c64348c01515eb03d5ce7ac1a8cb9498f5caa50197e58d43a86a7ae,"
        + "b29d84e811197f25eba8f5194092cb6ff440e26d4421011372461f579271cda3,"
        + "38f65d6dce47676044d58ce5139582d568f64bb16098d179dbab07741dd5caf5,"
        + "119f2f047902782ab0c9e27a54aff5eb9b964829ca99c06b02ddba95b0a3f6d0,"
        + "8f52b726664cac366fc98ac7a012b2682cbd962e5acb544671d41b9445704d1d,"
        + "057d636096cb80b67a8c038c890e887d1adfa4195e9b3ce241c8a778c59cda67",
    "df3989b9fa55495719b3cf46dccd28b5153f7808191dd518eff0c3cff2b705ed,"
        + "422294ff46003429d739a33206c8752552c8ba54a270defc06e221e0feaf6ac4,"
        + "207c43a79bfee03db6f4b944f53d2fb76cc49ef1c9c4d34d51b6c65c4db6932d,"
        + "24277c33f450462dcb3d4801d57b9ced05188f16c28eda873258048cd1607e0d,"
        + "c4789753e2b1f63b32ff014ec42cd6a69fac81dfe6d0d6fd4af372ae27c46f88,"
        + "96441259534b80f6aee3d287a6bb17b5094dd4277d9e294f8fe73e48bf2a0024"
  })
  void matchesNistCdhVectors(
      String peerX, String peerY, String d, String ownX, String ownY, String z) {
    byte[] peer = HEX.parseHex("04" + peerX + peerY);
    byte[] k = HEX.parseHex(d);
    assertThat(HEX.formatHex(P256Curve.ecdh(k, peer))).isEqualTo(z);
    assertThat(HEX.formatHex(P256Curve.multiplyBase(k))).isEqualTo("04" + ownX + ownY);
    // and through the public entry points
    BigInteger scalar = P256.scalar(k);
    assertThat(HEX.formatHex(P256.ecdh(scalar, peer))).isEqualTo(z);
    assertThat(HEX.formatHex(P256.publicKeyOf(scalar))).isEqualTo("04" + ownX + ownY);
  }

  @Test
  void baseMultiplicationAtTheEdgesOfTheScalarRange() {
    BigInteger[] scalars = {
      BigInteger.ONE,
      BigInteger.TWO,
      BigInteger.valueOf(15),
      BigInteger.valueOf(16),
      BigInteger.valueOf(17),
      BigInteger.ONE.shiftLeft(252),
      BigInteger.ONE.shiftLeft(255),
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).mod(N),
      N.subtract(BigInteger.ONE),
      N.subtract(BigInteger.TWO),
      N.shiftRight(1),
    };
    for (BigInteger k : scalars) {
      assertThat(P256Curve.multiplyBase(scalar(k))).as("k = %s", k).isEqualTo(bcBase(k));
    }
  }

  @Test
  void variableBaseMultiplicationAtTheEdgesOfTheScalarRange() {
    byte[] g = P256.DOMAIN.getG().getEncoded(false);
    byte[] q = bcBase(BigInteger.valueOf(0x1234567));
    ECPoint bcQ = P256.DOMAIN.getCurve().decodePoint(q);
    BigInteger[] scalars = {
      BigInteger.ONE,
      BigInteger.TWO,
      BigInteger.valueOf(15),
      BigInteger.valueOf(16),
      BigInteger.valueOf(256),
      BigInteger.ONE.shiftLeft(255),
      N.subtract(BigInteger.ONE),
      N.subtract(BigInteger.TWO),
    };
    for (BigInteger k : scalars) {
      assertThat(P256Curve.ecdh(scalar(k), g))
          .as("k·G, k = %s", k)
          .isEqualTo(Arrays.copyOfRange(bcBase(k), 1, 33));
      assertThat(P256Curve.ecdh(scalar(k), q))
          .as("k·Q, k = %s", k)
          .isEqualTo(bcQ.multiply(k).normalize().getAffineXCoord().getEncoded());
    }
  }

  @Test
  void firstAndRepeatedEcdhWithAPeerAgree() {
    // the first ECDH with a key runs on P256Curve, later ones on BouncyCastle's comb
    byte[] peer = P256.generate().publicKey();
    ECPoint bcPeer = P256.DOMAIN.getCurve().decodePoint(peer);
    for (int i = 0; i < 4; i++) {
      BigInteger d = P256.generate().d();
      assertThat(P256.ecdh(d, peer))
          .as("use %d", i + 1)
          .isEqualTo(bcPeer.multiply(d).normalize().getAffineXCoord().getEncoded());
    }
  }

  @Test
  void aMultipleOfTheOrderIsRefusedNotEncoded() {
    assertThatThrownBy(() -> P256Curve.multiplyBase(scalar(BigInteger.ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] g = P256.DOMAIN.getG().getEncoded(false);
    assertThatThrownBy(() -> P256Curve.ecdh(new byte[32], g))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("infinity");
    assertThatThrownBy(() -> P256.publicKeyOf(N)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsPointsOffTheCurve() {
    byte[] good = bcBase(BigInteger.valueOf(99));
    for (int i = 1; i < 65; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 1;
      assertThatThrownBy(() -> P256Curve.ecdh(scalar(BigInteger.TEN), bad))
          .as("byte %d flipped", i)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not on the curve");
    }
    // (0, 0), the all-zero encoding some libraries use for infinity
    byte[] zero = new byte[65];
    zero[0] = 4;
    assertThatThrownBy(() -> P256Curve.decode(zero)).hasMessageContaining("not on the curve");
  }

  @Test
  void rejectsCoordinatesNotBelowThePrimeAndOtherEncodings() {
    byte[] g = P256.DOMAIN.getG().getEncoded(false);
    // x + p has the same residue as x; an encoding of it must still be refused
    byte[] pBytes = P256.scalarBytes(P256Field.P);
    byte[] withP = g.clone();
    System.arraycopy(pBytes, 0, withP, 1, 32);
    assertThatThrownBy(() -> P256Curve.decode(withP)).hasMessageContaining("not below p");
    byte[] allOnes = g.clone();
    Arrays.fill(allOnes, 33, 65, (byte) 0xFF);
    assertThatThrownBy(() -> P256Curve.decode(allOnes)).hasMessageContaining("not below p");
    byte[] compressed = P256.DOMAIN.getG().getEncoded(true);
    assertThatThrownBy(() -> P256Curve.decode(compressed)).hasMessageContaining("65 bytes");
    byte[] wrongPrefix = g.clone();
    wrongPrefix[0] = 6;
    assertThatThrownBy(() -> P256Curve.decode(wrongPrefix)).hasMessageContaining("0x04");
    assertThatThrownBy(() -> P256Curve.decode(Arrays.copyOf(g, 64)))
        .hasMessageContaining("65 bytes");
  }

  @Test
  void fieldInversionMatchesBigInteger() {
    BigInteger p = P256Field.P;
    BigInteger[] values = {
      BigInteger.ONE, BigInteger.TWO, p.subtract(BigInteger.ONE), p.shiftRight(1), P256Curve.GX
    };
    for (BigInteger v : values) {
      long[] m = P256Field.create();
      P256Field.toMontgomery(m, P256Field.limbs(v));
      long[] inv = P256Field.create();
      P256Field.invert(inv, m);
      byte[] out = new byte[32];
      P256Field.toBytes(inv, out, 0);
      assertThat(new BigInteger(1, out)).as("1/%s", v).isEqualTo(v.modInverse(p));
    }
  }
}
