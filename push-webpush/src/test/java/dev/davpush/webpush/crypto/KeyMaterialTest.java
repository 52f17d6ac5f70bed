package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key formats and redaction of {@link UserAgentKeyPair}, {@link VapidKeyPair}, {@link P256Jwk}. */
class KeyMaterialTest {
  /** The order n of P-256: a PEM may carry any integer where the scalar belongs. */
  private static final String ORDER =
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

  @Test
  void refusesAPemWhoseScalarIsNotBelowTheCurveOrderWithTheTypedException() {
    for (String scalar : new String[] {ORDER, "00".repeat(32)}) {
      VapidKeyPair real = VapidKeyPair.generate();
      byte[] der =
          Base64.getMimeDecoder().decode(real.toPem().replaceAll("-----[A-Z ]+-----", "").strip());
      byte[] d = real.privateKeyBytes();
      int at = indexOf(der, d);
      assertThat(at).as("the scalar inside the DER").isPositive();
      System.arraycopy(HexFormat.of().parseHex(scalar), 0, der, at, 32);
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getEncoder().encodeToString(der)
              + "\n-----END PRIVATE KEY-----";

      assertThatThrownBy(() -> VapidKeyPair.fromPem(pem))
          .isExactlyInstanceOf(PushCryptoException.class)
          .hasMessageContaining("[1, n-1]");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void userAgentKeysSurviveTheStorageString() {
    UserAgentKeyPair k = UserAgentKeyPair.generate();
    UserAgentKeyPair back = UserAgentKeyPair.fromStorageString(k.toStorageString());
    assertThat(back).isEqualTo(k);
    assertThat(back.publicKey()).isEqualTo(k.publicKey());
    assertThat(back.authSecret()).isEqualTo(k.authSecret());
  }

  @Test
  void userAgentKeysPrintNoSecret() {
    UserAgentKeyPair k = UserAgentKeyPair.generate();
    String storage = k.toStorageString();
    String secretPart = storage.substring(storage.indexOf(':') + 1);
    assertThat(k.toString())
        .contains("[redacted]")
        .doesNotContain(secretPart.substring(0, 43))
        .doesNotContain(k.authSecret().toBase64Url());
  }

  @Test
  void malformedStorageStringsAreRefusedWithoutEchoingThem() {
    for (String bad :
        new String[] {
          "",
          "webpush-ua-v1:",
          "webpush-ua-v1:abc",
          "other:AAAA:BBBB",
          "webpush-ua-v1:" + "A".repeat(43) + ":" + "B".repeat(22)
        }) {
      assertThatThrownBy(() -> UserAgentKeyPair.fromStorageString(bad))
          .isInstanceOf(PushCryptoException.class)
          .satisfies(
              e -> {
                if (bad.length() > 20) {
                  assertThat(e.getMessage()).doesNotContain(bad);
                }
              });
    }
  }

  @Test
  void aGeneratedAuthSecretHasSixteenOctets() {
    assertThat(UserAgentKeyPair.generate().authSecret().bytes()).hasSize(AuthSecret.LENGTH);
  }

  @Test
  void vapidKeysRoundTripThroughPkcs8Pem() {
    VapidKeyPair k = VapidKeyPair.generate();
    String pem = k.toPem();
    assertThat(pem)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    VapidKeyPair back = VapidKeyPair.fromPem("garbage before\n" + pem + "after");
    assertThat(back).isEqualTo(k);
    assertThat(back.publicKey()).isEqualTo(k.publicKey());
  }

  @Test
  void vapidKeysReadOpensslSec1AndPkcs8Pem() {
    // generated with `openssl ecparam -name prime256v1 -genkey -noout` and converted with
    // `openssl pkcs8 -topk8 -nocrypt`; a test-only key; public key from `openssl ec -pubout`
    String sec1 =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + "MHcCAQEEIPmnybpOeXSxab5y2H/MKpMiM0VFH7P7WbR22pgEcHCMoAoGCCqGSM49\n"
            + "AwEHoUQDQgAEU8xW5xeRGgb0OoZhajPAqQtCpdWawCMX3alBDd058hjiLWJZMN5R\n"
            + "ZwDcxiqeWn2wiRl53cff54ojWoA+PFYmiQ==\n"
            + "-----END EC PRIVATE KEY-----\n";
    String pkcs8 =
        "-----BEGIN PRIVATE KEY-----\n"
            + "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+afJuk55dLFpvnLY\n"
            + "f8wqkyIzRUUfs/tZtHbamARwcIyhRANCAARTzFbnF5EaBvQ6hmFqM8CpC0Kl1ZrA\n"
            + "IxfdqUEN3TnyGOItYlkw3lFnANzGKp5afbCJGXndx9/niiNagD48ViaJ\n"
            + "-----END PRIVATE KEY-----\n";
    String publicKey =
        "BFPMVucXkRoG9DqGYWozwKkLQqXVmsAjF92pQQ3dOfIY4i1iWTDeUWcA3MYqnlp9sIkZed3H3-eKI1qAPjxWJok";
    VapidKeyPair a = VapidKeyPair.fromPem(sec1);
    VapidKeyPair b = VapidKeyPair.fromPem(pkcs8);
    assertThat(a).isEqualTo(b);
    assertThat(a.publicKey().toBase64Url()).isEqualTo(publicKey);
    assertThat(VapidKeyPair.fromPem(a.toPem())).isEqualTo(a);
  }

  @Test
  void vapidKeysRoundTripThroughBase64UrlAndJwk() {
    VapidKeyPair k = VapidKeyPair.generate();
    assertThat(VapidKeyPair.fromBase64Url(k.privateKeyBase64Url())).isEqualTo(k);
    assertThat(k.privateKeyBase64Url()).hasSize(43);
    assertThat(P256Jwk.parseVapidKeyPair(P256Jwk.toJwk(k))).isEqualTo(k);
    assertThat(P256Jwk.parsePublicKey(P256Jwk.toJwk(k.publicKey()))).isEqualTo(k.publicKey());
  }

  @Test
  void vapidKeysPrintNoSecret() {
    VapidKeyPair k = VapidKeyPair.generate();
    assertThat(k.toString()).contains("[redacted]").doesNotContain(k.privateKeyBase64Url());
  }

  @Test
  void badPemIsRefusedWithTheTypedException() {
    String[] bad = {
      "",
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\nMAA=\n",
      // an Ed25519 PKCS#8 key from `openssl genpkey -algorithm ed25519`
      "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIEG0OBFtAWnTB9Vv1K0Jv7Svc0up/rPGN1e+Qzk51n+\n"
          + "-----END PRIVATE KEY-----"
    };
    for (String pem : bad) {
      assertThatThrownBy(() -> VapidKeyPair.fromPem(pem))
          .as(pem)
          .isInstanceOf(PushCryptoException.class);
    }
  }

  @Test
  void aPemWhoseFooterOverlapsItsHeaderIsRefusedWithTheTypedException() {
    String[] bad = {
      "-----BEGIN PRIVATE KEY-----END PRIVATE KEY-----",
      "-----BEGIN EC PRIVATE KEY-----END EC PRIVATE KEY-----",
      "x-----BEGIN PRIVATE KEY-----END PRIVATE KEY-----x",
      "-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----",
    };
    for (String pem : bad) {
      assertThatThrownBy(() -> VapidKeyPair.fromPem(pem))
          .as(pem)
          .isExactlyInstanceOf(PushCryptoException.class);
    }
  }

  @Test
  void scalarsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> VapidKeyPair.fromPrivateKey(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VapidKeyPair.fromPrivateKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] ff = new byte[32];
    java.util.Arrays.fill(ff, (byte) 0xff);
    assertThatThrownBy(() -> UserAgentKeyPair.of(ff, AuthSecret.random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
