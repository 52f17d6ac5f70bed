package dev.davpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class P256PublicKeyTest {
  // RFC 8291 Appendix A ua_public
  private static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

  @Test
  void acceptsTheRfc8291UserAgentKeyAndWritesItBackUnpadded() {
    P256PublicKey key = P256PublicKey.fromBase64Url(UA_PUBLIC);
    assertThat(key.bytes()).hasSize(65).startsWith(0x04);
    assertThat(key.toBase64Url()).isEqualTo(UA_PUBLIC);
  }

  @Test
  void acceptsPaddedStandardAlphabetSpelling() {
    String standard = UA_PUBLIC.replace('-', '+').replace('_', '/') + "=";
    assertThat(P256PublicKey.fromBase64Url(standard))
        .isEqualTo(P256PublicKey.fromBase64Url(UA_PUBLIC));
  }

  @Test
  void rejectsAPointOffTheCurve() {
    byte[] bytes = P256PublicKey.fromBase64Url(UA_PUBLIC).bytes();
    bytes[64] ^= 1;
    assertThatThrownBy(() -> P256PublicKey.of(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void rejectsCompressedAndShortKeys() {
    byte[] bytes = P256PublicKey.fromBase64Url(UA_PUBLIC).bytes();
    bytes[0] = 0x02;
    assertThatThrownBy(() -> P256PublicKey.of(bytes)).hasMessageContaining("0x04");
    assertThatThrownBy(() -> P256PublicKey.of(new byte[64])).hasMessageContaining("65 bytes");
  }

  @Test
  void rebuildsAStoredKeyEqualToTheValidatedOneCheckingOnlyItsShape() {
    P256PublicKey validated = P256PublicKey.fromBase64Url(UA_PUBLIC);
    byte[] stored = validated.bytes();
    P256PublicKey back = P256PublicKey.fromTrustedBytes(stored);
    assertThat(back).isEqualTo(validated);
    stored[1] ^= 1; // the copy taken is not the caller's array
    assertThat(back).isEqualTo(validated);

    byte[] compressed = validated.bytes();
    compressed[0] = 0x02;
    assertThatThrownBy(() -> P256PublicKey.fromTrustedBytes(compressed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x04");
    assertThatThrownBy(() -> P256PublicKey.fromTrustedBytes(new byte[64]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65 bytes");
  }
}
