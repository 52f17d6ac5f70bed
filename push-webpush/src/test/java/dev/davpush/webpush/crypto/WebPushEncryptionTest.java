package dev.davpush.webpush.crypto;

import static dev.davpush.webpush.crypto.Hex.bytes;
import static dev.davpush.webpush.crypto.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.webpush.internal.Hmac;
import dev.davpush.webpush.internal.P256;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** RFC 8291 known answers (digest §5.2), derived vectors (§10) and negative cases. */
class WebPushEncryptionTest {
  // RFC 8291 Appendix A, hex as recomputed in the digest
  static final byte[] AS_PRIVATE =
      bytes("c9f58f89813e9f8e872e71f42aa64e1757c9254dcc62b72ddc010bb4043ea11c");
  static final byte[] UA_PRIVATE =
      bytes("ab5757a70dd4a53e553a6bbf71ffefea2874ec07a6b379e3c48f895a02dc33de");
  static final byte[] AS_PUBLIC =
      bytes(
          "04fe33f4ab0dea71914db55823f73b54948f41306d920732dbb9a59a53286482200e597a7b7bc260ba1c22"
              + "7998580992e93973002f3012a28ae8f06bbb78e5ec0f");
  static final byte[] UA_PUBLIC =
      bytes(
          "042571b2becdfde360551aaf1ed0f4cd366c11cebe555f89bcb7b186a53339173168ece2ebe018597bd304"
              + "79b86e3c8f8eced577ca59187e9246990db682008b0e");
  static final byte[] SALT = bytes("0c6bfaadad67958803092d454676f397");
  static final AuthSecret AUTH = AuthSecret.of(bytes("05305932a1c7eabe13b6cec9fda48882"));
  static final byte[] PLAINTEXT =
      "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.US_ASCII);
  static final String BODY_B64 =
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAm"
          + "S6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgS"
          + "xsj_Qulcy4a-fN";

  static UserAgentKeyPair uaKeys() {
    return UserAgentKeyPair.of(UA_PRIVATE, AUTH);
  }

  @Nested
  class Rfc8291AppendixA {
    @Test
    void derivesBothPublicKeysFromThePrivateKeys() {
      assertThat(P256.publicKeyOf(P256.scalar(AS_PRIVATE))).isEqualTo(AS_PUBLIC);
      assertThat(uaKeys().publicKey().bytes()).isEqualTo(UA_PUBLIC);
    }

    @Test
    void computesTheSharedEcdhSecretFromBothSides() {
      String expected = "932acbd63208387133837b0cd995911c3441eb66000998614a592727aef6912b";
      assertThat(hex(P256.ecdh(P256.scalar(AS_PRIVATE), UA_PUBLIC))).isEqualTo(expected);
      assertThat(hex(uaKeys().ecdh(AS_PUBLIC))).isEqualTo(expected);
    }

    @Test
    void computesPrkKeyKeyInfoAndIkm() {
      byte[] ecdh = bytes("932acbd63208387133837b0cd995911c3441eb66000998614a592727aef6912b");
      assertThat(hex(Hmac.extract(AUTH.bytes(), ecdh)))
          .isEqualTo("4a7af724cc5a1d50d71d6267e70742e765a3a42b5dd84204181ca40dc656df69");
      assertThat(Base64Url.encode(WebPushEncryption.keyInfo(UA_PUBLIC, AS_PUBLIC)))
          .isEqualTo(
              "V2ViUHVzaDogaW5mbwAEJXGyvs3942BVGq8e0PTNNmwRzr5VX4m8t7GGpTM5FzFo7OLr4BhZe9M"
                  + "EebhuPI-OztV3ylkYfpJGmQ22ggCLDgT-M_SrDepxkU21WCP3O1SUj0EwbZIHMtu5pZpTKGSCIA5Zent7"
                  + "wmC6HCJ5mFgJkuk5cwAvMBKiiujwa7t45ewP");
      assertThat(WebPushEncryption.keyInfo(UA_PUBLIC, AS_PUBLIC)).hasSize(144);
      assertThat(hex(WebPushEncryption.ikm(ecdh, AUTH.bytes(), UA_PUBLIC, AS_PUBLIC)))
          .isEqualTo("4b895831bfcbd05c427aad16843c7cd772a0498a94dba90ecb359476c5d8cab8");
    }

    @Test
    void computesPrkCekAndNonceWithTheirInfoStrings() {
      byte[] ikm = bytes("4b895831bfcbd05c427aad16843c7cd772a0498a94dba90ecb359476c5d8cab8");
      byte[][] keys = Aes128GcmCodec.deriveKeys(SALT, ikm);
      assertThat(hex(keys[0]))
          .isEqualTo("d3dfde5191abb2fc428430864427642e20d7ad178638455e48274270f0522527");
      assertThat(Base64Url.encode(Aes128GcmCodec.CEK_INFO))
          .isEqualTo("Q29udGVudC1FbmNvZGluZzogYWVzMTI4Z2NtAA");
      assertThat(hex(keys[1])).isEqualTo("a088555b4e0c45dcb65cdf4288a2f14e");
      assertThat(Base64Url.encode(Aes128GcmCodec.NONCE_INFO))
          .isEqualTo("Q29udGVudC1FbmNvZGluZzogbm9uY2UA");
      assertThat(hex(keys[2])).isEqualTo("e21ffde6495727913faa7a0d");
    }

    @Test
    void encryptsToThePublishedBodyByteForByte() {
      byte[] body =
          WebPushEncryption.encryptDeterministic(
              PLAINTEXT, P256PublicKey.of(UA_PUBLIC), AUTH, AS_PRIVATE, SALT, 0);
      assertThat(Base64Url.encode(body)).isEqualTo(BODY_B64);
      assertThat(body).hasSize(144);
      assertThat(hex(java.util.Arrays.copyOfRange(body, 0, 86)))
          .isEqualTo("0c6bfaadad67958803092d454676f397" + "00001000" + "41" + hex(AS_PUBLIC));
      assertThat(hex(java.util.Arrays.copyOfRange(body, 86, 144)))
          .isEqualTo(
              "f297de5b429bba7153d3a4ae0caa091fd425f3b4b5414add8ab37a19c1bbb05cf5cb5b2a2e0562"
                  + "d558635641ec52812c6c8ff42e95ccb86be7cd");
    }

    @Test
    void decryptsThePublishedBodyWithTheUserAgentKeys() {
      assertThat(uaKeys().decrypt(Base64Url.decode(BODY_B64))).isEqualTo(PLAINTEXT);
    }
  }

  @Nested
  class DerivedVectors {
    static final String XML =
        "<push-message xmlns=\"https://bitfire.at/webdav-push\" xmlns:D=\"DAV:\"><topic>"
            + "O7M1nQ7cKkKTKsoS_j6Z3w</topic><content-update><D:sync-token>"
            + "http://example.com/sync/10</D:sync-token></content-update></push-message>";
    static final String BODY_10_1 =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAm"
            + "S6TlzAC8wEqKK6PBru3jl7A-Zj85GCv_3c1LPsukc-l1S8Wv36PldHt2V4CJTzrj5X_LWTD1tAXqVQQTwyh7ZzUsM"
            + "HO1aoR2-hqVmr-_FOA3Njj37gZpWXLjVbPQMAREZ8N1ixVQRmY486N0vQQMsbYZ2-AHVDWou8yNXIsQ1hQ3_fWUx2"
            + "JkeX9WChkcFKoYmZ4SmY5xE46ehWwb6Xpg-ZprQxHpM5RpMvkcxC22KJ8nsUX_AY7yN7zxIrAus7gBpwiKBfSi4G"
            + "bCbKbfu3IddXYKPHG-HjaQG4uQNPJ3EExyeL3k8FCaCqjaGSNvn_ck50sQ";
    static final String WRONG_DELIMITER =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAm"
            + "S6TlzAC8wEqKK6PBru3jl7A-Zj85GCv_3c1LPsukc-l1S8Wv36PldHt2V4CJTzrj5X_LWTD1tAXqVQQTwyh7ZzUsM"
            + "HO1aoR2-hqVmr-_FOA3Njj37gZpWXLjVbPQMAREZ8N1ixVQRmY486N0vQQMsbYZ2-AHVDWou8yNXIsQ1hQ3_fWUx2"
            + "JkeX9WChkcFKoYmZ4SmY5xE46ehWwb6Xpg-ZprQxHpM5RpMvkcxC22KJ8nsUX_AY7yN7zxIrAus7gBpwiKBfSi4G"
            + "bCbKbfu3IddXYKPHG-HjaQG4uQNPJ3EExyeLBA8p7EgcoRqD7AJCN4U3lw";
    static final String NO_DELIMITER =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAm"
            + "S6TlzAC8wEqKK6PBru3jl7A-l_7s1YtKaFkBxzHeLryu9I_oSXnYVJ64";

    @Test
    void encryptsTheWebDavPushMessageVectorByteForByte() {
      byte[] plaintext = XML.getBytes(StandardCharsets.UTF_8);
      assertThat(plaintext).hasSize(208);
      byte[] body =
          WebPushEncryption.encryptDeterministic(
              plaintext, P256PublicKey.of(UA_PUBLIC), AUTH, AS_PRIVATE, SALT, 0);
      assertThat(body).hasSize(311);
      assertThat(Base64Url.encode(body)).isEqualTo(BODY_10_1);
    }

    @Test
    void decryptsTheWebDavPushMessageVector() {
      assertThat(new String(uaKeys().decrypt(Base64Url.decode(BODY_10_1)), StandardCharsets.UTF_8))
          .isEqualTo(XML);
    }

    @Test
    void rejectsAFinalRecordWithDelimiterOneAsTruncated() {
      assertThatThrownBy(() -> uaKeys().decrypt(Base64Url.decode(WRONG_DELIMITER)))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("delimiter 0x01")
          .hasMessageContaining("truncated");
    }

    @Test
    void rejectsARecordWithoutDelimiter() {
      assertThatThrownBy(() -> uaKeys().decrypt(Base64Url.decode(NO_DELIMITER)))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("no padding delimiter");
    }
  }

  @Nested
  class Negatives {
    byte[] body() {
      return Base64Url.decode(BODY_B64);
    }

    @Test
    void rejectsEverySingleBitFlipOfSaltKeyIdAndCiphertext() {
      byte[] good = body();
      for (int i = 0; i < good.length; i++) {
        if (i >= 16 && i < 20) {
          continue; // rs: covered below
        }
        for (int bit = 0; bit < 8; bit++) {
          byte[] bad = good.clone();
          bad[i] ^= (byte) (1 << bit);
          assertThatThrownBy(() -> uaKeys().decrypt(bad))
              .as("flip of octet %d bit %d", i, bit)
              .isInstanceOf(PushCryptoException.class);
        }
      }
    }

    @Test
    void neverReturnsADifferentPlaintextWhenTheRecordSizeIsFlipped() {
      // rs is not authenticated (RFC 8188 leaves it out of the AEAD input) and RFC 8291 §4 lets a
      // user agent ignore it: a flip either still frames the single record (same plaintext) or
      // is rejected.
      byte[] good = body();
      for (int i = 16; i < 20; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] bad = good.clone();
          bad[i] ^= (byte) (1 << bit);
          try {
            assertThat(uaKeys().decrypt(bad)).isEqualTo(PLAINTEXT);
          } catch (PushCryptoException expected) {
            // rejected: fine
          }
        }
      }
    }

    @Test
    void rejectsARecordSizeOfSeventeen() {
      byte[] bad = body();
      bad[19] = 17;
      bad[18] = 0;
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("rs=17");
    }

    @Test
    void rejectsAKeyIdOfSixtyFourOctets() {
      byte[] bad = body();
      bad[20] = 64;
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("keyid of 64 octets");
    }

    @Test
    void rejectsACompressedPointPrefixInTheKeyId() {
      byte[] bad = body();
      bad[21] = 0x02;
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("not a valid P-256 public key");
    }

    @Test
    void rejectsAnOffCurveKeyId() {
      byte[] bad = body();
      bad[40] ^= 1;
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("not on the curve");
    }

    @Test
    void rejectsABodyCutToEightyFiveOctets() {
      byte[] bad = java.util.Arrays.copyOf(body(), 85);
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("shorter than its header");
    }

    @Test
    void rejectsAHeaderWithoutRecords() {
      byte[] bad = java.util.Arrays.copyOf(body(), 86);
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("no records");
    }

    @Test
    void rejectsABodyForAnotherSubscription() {
      UserAgentKeyPair other = UserAgentKeyPair.generate();
      assertThatThrownBy(() -> other.decrypt(body()))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("failed authentication");
    }

    @Test
    void rejectsMoreThanOneRecord() {
      byte[] bad = body();
      bad[18] = 0;
      bad[19] = 40; // rs 40 < 58-octet record: two records
      assertThatThrownBy(() -> uaKeys().decrypt(bad))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("at most 1");
    }
  }

  @Nested
  class Sizes {
    @Test
    void encrypts3993OctetsIntoExactly4096() {
      UserAgentKeyPair ua = UserAgentKeyPair.generate();
      byte[] body = WebPushEncryption.encrypt(new byte[3993], ua.publicKey(), ua.authSecret());
      assertThat(body).hasSize(4096);
      assertThat(ua.decrypt(body)).hasSize(3993);
    }

    @Test
    void refuses3994Octets() {
      UserAgentKeyPair ua = UserAgentKeyPair.generate();
      assertThatThrownBy(
              () -> WebPushEncryption.encrypt(new byte[3994], ua.publicKey(), ua.authSecret()))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("3993");
    }

    @Test
    void padsWhenAsked() {
      UserAgentKeyPair ua = UserAgentKeyPair.generate();
      byte[] body = WebPushEncryption.encrypt(new byte[10], ua.publicKey(), ua.authSecret(), 100);
      assertThat(body).hasSize(10 + 100 + WebPushEncryption.OVERHEAD);
      assertThat(ua.decrypt(body)).hasSize(10);
    }

    @Test
    void usesAFreshSaltAndSenderKeyForEveryMessage() {
      UserAgentKeyPair ua = UserAgentKeyPair.generate();
      Set<String> salts = new HashSet<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        byte[] body = WebPushEncryption.encrypt(new byte[1], ua.publicKey(), ua.authSecret());
        salts.add(hex(java.util.Arrays.copyOfRange(body, 0, 16)));
        keys.add(hex(java.util.Arrays.copyOfRange(body, 21, 86)));
      }
      assertThat(salts).hasSize(1000);
      assertThat(keys).hasSize(1000);
      assertThat(ua.authSecret().bytes()).hasSize(16);
    }
  }
}
