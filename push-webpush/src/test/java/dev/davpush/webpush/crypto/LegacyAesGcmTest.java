package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.P256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The legacy aesgcm example of draft-ietf-webpush-encryption-04 (digest §8). */
class LegacyAesGcmTest {
  static final AuthSecret AUTH = AuthSecret.fromBase64Url("R29vIGdvbyBnJyBqb29iIQ");
  static final byte[] UA_PRIVATE = Base64Url.decode("9FWl15_QUQAWDaD3k3l50ZBZQJ4au27F1V4F0uLSD_M");
  static final String UA_PUBLIC =
      "BCEkBjzL8Z3C-oi2Q7oE5t2Np-p7osjGLg93qUP0wvqRT21EEWyf0cQDQcakQMqz4hQKYOQ3il2nNZct4HgAUQU";
  static final byte[] AS_PRIVATE = Base64Url.decode("nCScek-QpEjmOOlT-rQ38nZzvdPlqa00Zy0i6m2OJvY");
  static final String AS_PUBLIC =
      "BNoRDbb84JGm8g5Z5CFxurSqsXWJ11ItfXEWYVLE85Y7CYkDjXsIEc4aqxYaQ1G8BqkXCJ6DPpDrWtdWj_mugHU";
  static final String SALT = "lngarbyKfMoi9Z75xYXmkg";
  static final String BODY = "6nqAQUME8hNqw5J3kl8cpVVJylXKYqZOeseZG8UueKpA";
  static final byte[] WALRUS = "I am the walrus".getBytes(StandardCharsets.UTF_8);

  @Test
  void derivesThePublishedEcdhSecretCekAndNonce() {
    byte[] ecdh = P256.ecdh(P256.scalar(AS_PRIVATE), Base64Url.decode(UA_PUBLIC));
    assertThat(Base64Url.encode(ecdh)).isEqualTo("RNjC-NVW4BGJbxWPW7G2mowsLeDa53LYKYm4--NOQ6Y");
    byte[][] keys =
        LegacyAesGcm.keys(
            ecdh,
            AUTH.bytes(),
            Base64Url.decode(SALT),
            Base64Url.decode(UA_PUBLIC),
            Base64Url.decode(AS_PUBLIC));
    assertThat(Base64Url.encode(keys[0])).isEqualTo("AN2-xhvFWeYh5z0fcDu0Ww");
    assertThat(Base64Url.encode(keys[1])).isEqualTo("JY1Okw5rw1Drkg9J");
  }

  @Test
  void decryptsThePublishedExample() {
    UserAgentKeyPair ua = UserAgentKeyPair.of(UA_PRIVATE, AUTH);
    assertThat(ua.publicKey().toBase64Url()).isEqualTo(UA_PUBLIC);
    byte[] plain =
        LegacyAesGcm.decrypt(
            Base64Url.decode(BODY), "salt=\"" + SALT + "\"", "dh=\"" + AS_PUBLIC + "\"", ua);
    assertThat(plain).isEqualTo(WALRUS);
  }

  @Test
  void reEncryptsThePublishedExampleByteForByte() {
    LegacyAesGcm.Message m =
        LegacyAesGcm.encryptDeterministic(
            WALRUS,
            P256PublicKey.fromBase64Url(UA_PUBLIC),
            AUTH,
            AS_PRIVATE,
            Base64Url.decode(SALT),
            0);
    assertThat(Base64Url.encode(m.body())).isEqualTo(BODY);
    assertThat(m.body()).hasSize(33);
    assertThat(m.encryptionHeader()).isEqualTo("salt=" + SALT);
    assertThat(m.cryptoKeyHeader()).isEqualTo("dh=" + AS_PUBLIC);
  }

  @Test
  void acceptsCryptoKeyWithVapidKeyJoinedBySemicolonOrComma() {
    UserAgentKeyPair ua = UserAgentKeyPair.of(UA_PRIVATE, AUTH);
    String k = VapidKeyPair.generate().publicKey().toBase64Url();
    assertThat(
            LegacyAesGcm.decrypt(
                Base64Url.decode(BODY), "salt=" + SALT, "dh=" + AS_PUBLIC + ";p256ecdsa=" + k, ua))
        .isEqualTo(WALRUS);
    assertThat(
            LegacyAesGcm.decrypt(
                Base64Url.decode(BODY), "salt=" + SALT, "p256ecdsa=" + k + ", dh=" + AS_PUBLIC, ua))
        .isEqualTo(WALRUS);
  }

  @Test
  void roundTripsWithFreshKeys() {
    UserAgentKeyPair ua = UserAgentKeyPair.generate();
    byte[] plain = new byte[LegacyAesGcm.MAX_PLAINTEXT_LENGTH];
    LegacyAesGcm.Message m = LegacyAesGcm.encrypt(plain, ua.publicKey(), ua.authSecret());
    assertThat(m.body().length).isLessThanOrEqualTo(4096);
    assertThat(LegacyAesGcm.decrypt(m.body(), m.encryptionHeader(), m.cryptoKeyHeader(), ua))
        .isEqualTo(plain);
  }

  @Test
  void rejectsTamperingAndMissingHeaders() {
    UserAgentKeyPair ua = UserAgentKeyPair.of(UA_PRIVATE, AUTH);
    byte[] body = Base64Url.decode(BODY);
    for (int i = 0; i < body.length * 8; i++) {
      byte[] bad = body.clone();
      bad[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> LegacyAesGcm.decrypt(bad, "salt=" + SALT, "dh=" + AS_PUBLIC, ua))
          .isInstanceOf(PushCryptoException.class);
    }
    assertThatThrownBy(() -> LegacyAesGcm.decrypt(body, "", "dh=" + AS_PUBLIC, ua))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("salt");
    assertThatThrownBy(() -> LegacyAesGcm.decrypt(body, "salt=" + SALT, "p256ecdsa=x", ua))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("dh");
  }
}
