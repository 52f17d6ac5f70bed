package dev.davpush.webpush.crypto;

import static dev.davpush.webpush.crypto.Hex.bytes;
import static dev.davpush.webpush.crypto.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Base64Url;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 8188 §3.1 and §3.2 (digest §6.3) and the decoder checks C-LIB-03/04. */
class Aes128GcmCodecTest {
  static final byte[] WALRUS = "I am the walrus".getBytes(StandardCharsets.UTF_8);
  static final byte[] IKM_31 = Base64Url.decode("yqdlZ-tYemfogSmv7Ws5PQ");
  static final byte[] BODY_31 =
      bytes(
          "23506cc6d16db65bf7bbf3a8f78c679b0000100000f8d015b9bdaa160044b902916a9a19bbe231908bda"
              + "dcc101d4f0fe972f138638");
  static final byte[] IKM_32 = Base64Url.decode("BO3ZVPxUlnLORbVGMpbT1Q");
  static final byte[] BODY_32 =
      bytes(
          "b8d0a45a2358cca4e704df638b7faa5800000019026131ce1bc721cff827be03aa746628bf1ca3baa472"
              + "2458c40f2a05d45be48fa8503dd3c7239d4e114284a60cf74ac2d622a4bfb8");

  @Test
  void thePublishedBodiesAreTheBase64OnesOfTheRfc() {
    assertThat(Base64Url.encode(BODY_31))
        .isEqualTo("I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg");
    assertThat(BODY_31).hasSize(53);
    assertThat(Base64Url.encode(BODY_32))
        .isEqualTo(
            "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51"
                + "OEUKEpgz3SsLWIqS_uA");
    assertThat(BODY_32).hasSize(73);
  }

  @Test
  void derivesThePublishedKeysOfSection31() {
    byte[][] k = Aes128GcmCodec.deriveKeys(Arrays.copyOf(BODY_31, 16), IKM_31);
    assertThat(Base64Url.encode(k[0])).isEqualTo("zyeH5phsIsgUyd4oiSEIy35x-gIi4aM7y0hCF8mwn9g");
    assertThat(Base64Url.encode(k[1])).isEqualTo("_wniytB-ofscZDh4tbSjHw");
    assertThat(Base64Url.encode(k[2])).isEqualTo("Bcs8gkIRKLI8GeI8");
  }

  @Test
  void derivesTheKeysAndSecondNonceOfSection32() {
    byte[][] k = Aes128GcmCodec.deriveKeys(Arrays.copyOf(BODY_32, 16), IKM_32);
    assertThat(Base64Url.encode(k[0])).isEqualTo("mNHRBFh-eOCdAdmmuVtym8Hf44ov7FPsQZ3f4knYjHE");
    assertThat(hex(k[1])).isEqualTo("bbf7843938e3556515ac7f36a50370a7");
    assertThat(hex(k[2])).isEqualTo("56aca51b5addb7e989acd80f");
    assertThat(hex(Aes128GcmCodec.nonceFor(k[2], 1))).isEqualTo("56aca51b5addb7e989acd80e");
  }

  @Test
  void decodesSection31() {
    assertThat(Aes128GcmCodec.decrypt(BODY_31, IKM_31)).isEqualTo(WALRUS);
    Aes128GcmCodec.Header h = Aes128GcmCodec.Header.parse(BODY_31);
    assertThat(h.recordSize()).isEqualTo(4096);
    assertThat(h.keyId()).isEmpty();
  }

  @Test
  void decodesSection32() {
    assertThat(Aes128GcmCodec.decrypt(BODY_32, IKM_32)).isEqualTo(WALRUS);
    Aes128GcmCodec.Header h = Aes128GcmCodec.Header.parse(BODY_32);
    assertThat(h.recordSize()).isEqualTo(25);
    assertThat(new String(h.keyId(), StandardCharsets.UTF_8)).isEqualTo("a1");
  }

  @Test
  void encodesSection31ByteForByte() {
    byte[] body =
        Aes128GcmCodec.encrypt(WALRUS, IKM_31, Arrays.copyOf(BODY_31, 16), new byte[0], 4096, 0);
    assertThat(body).isEqualTo(BODY_31);
  }

  @Test
  void encodesSection32ByteForByteWithItsRecordLayout() {
    byte[] body =
        Aes128GcmCodec.encryptRecords(
            WALRUS,
            new int[] {7, 8},
            new int[] {1, 0},
            IKM_32,
            Arrays.copyOf(BODY_32, 16),
            "a1".getBytes(StandardCharsets.UTF_8),
            25);
    assertThat(body).isEqualTo(BODY_32);
  }

  @Test
  void rejectsRecordSizeSeventeen() {
    byte[] bad = BODY_31.clone();
    bad[19] = 17;
    bad[18] = 0;
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(bad, IKM_31))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("rs=17");
    assertThatThrownBy(() -> Aes128GcmCodec.encrypt(WALRUS, IKM_31, new byte[0], 17))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsBodiesShorterThanTheHeader() {
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(Arrays.copyOf(BODY_31, 20), IKM_31))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("21-octet header");
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(Arrays.copyOf(BODY_32, 22), IKM_32))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("idlen");
  }

  @Test
  void rejectsATruncatedStreamInsteadOfReturningItsFirstRecord() {
    byte[] cut = Arrays.copyOf(BODY_32, 23 + 25);
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(cut, IKM_32))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void rejectsAFinalRecordShorterThanSeventeenOctets() {
    byte[] cut = Arrays.copyOf(BODY_32, 23 + 25 + 16);
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(cut, IKM_32))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("shorter than");
  }

  @Test
  void rejectsAnIntermediateRecordWithTheFinalDelimiter() {
    byte[] salt = new byte[16];
    byte[] body =
        Aes128GcmCodec.encryptRecords(
            new byte[] {1, 2}, new int[] {1, 1}, new int[] {0, 0}, IKM_31, salt, new byte[0], 18);
    // swap in a first record that carries 0x02: encrypt the same layout as a single record
    byte[] single =
        Aes128GcmCodec.encryptRecords(
            new byte[] {1}, new int[] {1}, new int[] {0}, IKM_31, salt, new byte[0], 18);
    byte[] spliced = body.clone();
    System.arraycopy(single, 21, spliced, 21, 18);
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(spliced, IKM_31))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("record 0 has delimiter 0x02");
  }

  @Test
  void rejectsAnAllZeroRecord() {
    byte[] salt = new byte[16];
    byte[] zeros = new byte[8];
    byte[][] k = Aes128GcmCodec.deriveKeys(salt, IKM_31);
    byte[] sealed =
        dev.davpush.webpush.internal.AesGcm.DEFAULT.seal(k[1], k[2], zeros, 0, zeros.length);
    byte[] body = new byte[21 + sealed.length];
    body[18] = 0x10; // rs 4096
    System.arraycopy(sealed, 0, body, 21, sealed.length);
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(body, IKM_31))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("no padding delimiter");
  }

  @Test
  void rejectsAWrongKey() {
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(BODY_31, IKM_32))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("authentication");
  }

  @Test
  void rejectsEverySingleBitFlipOfTheMultiRecordBody() {
    for (int i = 0; i < BODY_32.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = BODY_32.clone();
        bad[i] ^= (byte) (1 << bit);
        boolean rejected;
        try {
          byte[] out = Aes128GcmCodec.decrypt(bad, IKM_32);
          // rs and keyid are not AEAD input: with the IKM given directly, a flip there may keep
          // the framing; it must never change the output
          assertThat(out).isEqualTo(WALRUS);
          rejected = false;
        } catch (PushCryptoException e) {
          rejected = true;
        }
        boolean unauthenticatedField = (i >= 16 && i < 20) || (i >= 21 && i < 23);
        if (!unauthenticatedField) {
          assertThat(rejected).as("flip of octet %d bit %d", i, bit).isTrue();
        }
      }
    }
  }

  @Test
  void refusesPlaintextOverTheCap() {
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(BODY_32, IKM_32, 10))
        .isInstanceOf(PushCryptoException.class)
        .hasMessageContaining("cap of 10");
  }

  @Test
  void spreadsDataAndPaddingOverRecords() {
    byte[] data = new byte[100];
    Arrays.fill(data, (byte) 7);
    byte[] body = Aes128GcmCodec.encrypt(data, IKM_31, new byte[16], new byte[0], 30, 50);
    // 150 octets of content, 13 per record -> 12 records: 11 full (30) + one of 7 + 17
    assertThat(body).hasSize(21 + 11 * 30 + (150 - 11 * 13) + 17);
    assertThat(Aes128GcmCodec.decrypt(body, IKM_31)).isEqualTo(data);
  }

  @Test
  void refusesPaddingWhoseBodyCouldNotExistInsteadOfRunningOutOfMemory() {
    byte[] salt = new byte[16];
    for (int padding : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE / 17 * 16}) {
      assertThatThrownBy(
              () -> Aes128GcmCodec.encrypt(new byte[0], IKM_31, salt, new byte[0], 18, padding))
          .as("padding %d", padding)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("padding")
          .hasMessageContaining(String.valueOf(Aes128GcmCodec.MAX_BODY_LENGTH));
    }
  }

  @Test
  void refusesARecordLayoutWhoseBodyCouldNotExist() {
    assertThatThrownBy(
            () ->
                Aes128GcmCodec.encryptRecords(
                    new byte[0],
                    new int[] {0},
                    new int[] {Integer.MAX_VALUE - 17},
                    IKM_31,
                    new byte[16],
                    new byte[0],
                    Integer.MAX_VALUE))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record layout")
        .hasMessageContaining(String.valueOf(Aes128GcmCodec.MAX_BODY_LENGTH));
  }

  @Test
  void theBodyLimitIsTheLargestArrayTheJvmAllocates() {
    assertThat(Aes128GcmCodec.MAX_BODY_LENGTH).isEqualTo(Integer.MAX_VALUE - 8);
  }

  @Test
  void encodesAnEmptyPlaintextAsOneRecordOfSeventeenOctets() {
    byte[] body = Aes128GcmCodec.encrypt(new byte[0], IKM_31, new byte[0], 18);
    assertThat(body).hasSize(21 + 17);
    assertThat(Aes128GcmCodec.decrypt(body, IKM_31)).isEmpty();
  }
}
