package dev.davpush.webpush.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** HMAC-SHA-256 on the JDK against RFC 4231 and against BouncyCastle's {@code HMac}. */
class HmacTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void matchesRfc4231TestCases1And2() {
    byte[] key1 = new byte[20];
    Arrays.fill(key1, (byte) 0x0b);
    assertThat(HEX.formatHex(Hmac.hmac(key1, "Hi There".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assertThat(
            HEX.formatHex(
                Hmac.hmac(
                    "Jefe".getBytes(StandardCharsets.US_ASCII),
                    "what do ya want ".getBytes(StandardCharsets.US_ASCII),
                    "for nothing?".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Property
  void matchesBouncyCastle(
      @ForAll @Size(max = 150) byte[] key,
      @ForAll @Size(max = 300) byte[] a,
      @ForAll @Size(max = 10) byte[] b) {
    HMac bc = new HMac(new SHA256Digest());
    bc.init(new KeyParameter(key));
    bc.update(a, 0, a.length);
    bc.update(b, 0, b.length);
    byte[] expected = new byte[32];
    bc.doFinal(expected, 0);
    assertThat(Hmac.hmac(key, a, b)).isEqualTo(expected);
  }

  @Test
  void expandTruncatesTheFirstBlock() {
    byte[] prk = new byte[32];
    byte[] info = "info".getBytes(StandardCharsets.US_ASCII);
    byte[] full = Hmac.hmac(prk, info, new byte[] {1});
    assertThat(Hmac.expand(prk, info, 12)).isEqualTo(Arrays.copyOf(full, 12));
    assertThat(Hmac.expand(prk, info, 32)).isEqualTo(full);
  }
}
