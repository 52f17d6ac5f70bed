package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Base64Url;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Garbage into every key parser yields a value or the typed exception, never another type. */
class KeyMaterialPropertyTest {
  static final UserAgentKeyPair UA = UserAgentKeyPair.generate();

  @Property
  void pemParsingThrowsOnlyTheTypedException(@ForAll @Size(max = 200) byte[] der) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n";
    String sec1 = pem.replace("PRIVATE KEY", "EC PRIVATE KEY");
    for (String text : new String[] {pem, sec1}) {
      try {
        VapidKeyPair.fromPem(text);
      } catch (PushCryptoException expected) {
        // fine
      }
    }
  }

  @Property
  void pemParsingSurvivesEveryCorruptionOfARealKey(
      @ForAll @Size(min = 1, max = 4)
          java.util.List<@net.jqwik.api.constraints.IntRange(max = 137) Integer> positions,
      @ForAll byte value) {
    byte[] der =
        Base64.getMimeDecoder()
            .decode(VapidKeyPair.generate().toPem().replaceAll("-----[A-Z ]+-----", "").strip());
    for (int p : positions) {
      der[p % der.length] = value;
    }
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(der)
            + "\n-----END PRIVATE KEY-----";
    try {
      assertThat(VapidKeyPair.fromPem(pem).publicKey().bytes()).hasSize(65);
    } catch (PushCryptoException expected) {
      // fine
    }
  }

  @Property
  void jwkParsingThrowsOnlyTheTypedException(@ForAll String text) {
    try {
      P256Jwk.parsePublicKey(text);
    } catch (PushCryptoException expected) {
      // fine
    }
    try {
      P256Jwk.parseVapidKeyPair(
          "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
              + text
              + "\",\"y\":\""
              + text
              + "\",\"d\":\""
              + text
              + "\"}");
    } catch (PushCryptoException expected) {
      // fine
    }
  }

  @Property
  void storageStringParsingThrowsOnlyTheTypedException(@ForAll String a, @ForAll String b) {
    try {
      UserAgentKeyPair.fromStorageString("webpush-ua-v1:" + a + ":" + b);
    } catch (PushCryptoException expected) {
      // fine
    }
  }

  @Property
  void legacyDecryptionThrowsOnlyTheTypedException(
      @ForAll @Size(max = 100) byte[] body,
      @ForAll @Size(max = 20) byte[] salt,
      @ForAll String cryptoKey) {
    try {
      LegacyAesGcm.decrypt(body, "salt=" + Base64Url.encode(salt), "dh=" + cryptoKey, UA);
    } catch (PushCryptoException expected) {
      // fine
    }
  }
}
