package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Round trips and tamper rejection. Tries follow {@code jqwik.tries.default} (the parent POM passes
 * it; CI raises it).
 */
class WebPushEncryptionPropertyTest {
  static final UserAgentKeyPair UA = UserAgentKeyPair.generate();
  static final byte[] IKM = new byte[16];

  @Example
  void roundTripsEveryPlaintextSizeFromZeroTo3993() {
    for (int size = 0; size <= WebPushEncryption.MAX_PLAINTEXT_LENGTH; size++) {
      byte[] plaintext = new byte[size];
      for (int i = 0; i < size; i++) {
        plaintext[i] = (byte) (i * 31 + size);
      }
      byte[] body = WebPushEncryption.encrypt(plaintext, UA.publicKey(), UA.authSecret());
      assertThat(body).hasSize(size + WebPushEncryption.OVERHEAD);
      assertThat(UA.decrypt(body)).as("size %d", size).isEqualTo(plaintext);
    }
  }

  @Property
  void decryptInvertsEncrypt(@ForAll @Size(max = 3993) byte[] plaintext) {
    byte[] body = WebPushEncryption.encrypt(plaintext, UA.publicKey(), UA.authSecret());
    assertThat(UA.decrypt(body)).isEqualTo(plaintext);
  }

  @Property
  void decryptInvertsEncryptWithPadding(
      @ForAll @Size(max = 1000) byte[] plaintext, @ForAll @IntRange(max = 2993) int padding) {
    byte[] body = WebPushEncryption.encrypt(plaintext, UA.publicKey(), UA.authSecret(), padding);
    assertThat(body).hasSize(plaintext.length + padding + WebPushEncryption.OVERHEAD);
    assertThat(UA.decrypt(body)).isEqualTo(plaintext);
  }

  @Property
  void rejectsAnySingleBitFlipOutsideTheRecordSize(
      @ForAll @Size(max = 300) byte[] plaintext, @ForAll("bitIndex") int bitSeed) {
    byte[] body = WebPushEncryption.encrypt(plaintext, UA.publicKey(), UA.authSecret());
    int bits = body.length * 8 - 32; // every bit except the 32 of rs (not authenticated)
    int bit = Math.floorMod(bitSeed, bits);
    int octet = bit / 8;
    if (octet >= 16) {
      octet += 4;
    }
    body[octet] ^= (byte) (1 << (bit % 8));
    assertThatThrownBy(() -> UA.decrypt(body)).isInstanceOf(PushCryptoException.class);
  }

  @Provide
  Arbitrary<Integer> bitIndex() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE);
  }

  @Property
  void codecRoundTripsAnyRecordSizeAndPadding(
      @ForAll @Size(max = 2000) byte[] plaintext,
      @ForAll("recordSizes") int recordSize,
      @ForAll @IntRange(max = 300) int padding,
      @ForAll @Size(max = 255) byte[] keyId) {
    byte[] salt = new byte[16];
    salt[0] = (byte) recordSize;
    byte[] body = Aes128GcmCodec.encrypt(plaintext, IKM, salt, keyId, recordSize, padding);
    assertThat(Aes128GcmCodec.decrypt(body, IKM)).isEqualTo(plaintext);
    assertThat(Aes128GcmCodec.Header.parse(body).recordSize()).isEqualTo(recordSize);
  }

  @Provide
  Arbitrary<Integer> recordSizes() {
    return Arbitraries.oneOf(
        Arbitraries.of(18, 19, 25, 33, 100, 4096), Arbitraries.integers().between(18, 5000));
  }

  @Property
  void codecRejectsAnyRecordCutOff(
      @ForAll @Size(min = 20, max = 500) byte[] plaintext,
      @ForAll("smallRecordSizes") int recordSize) {
    byte[] body = Aes128GcmCodec.encrypt(plaintext, IKM, new byte[16], new byte[0], recordSize, 0);
    int header = 21;
    int records = (body.length - header + recordSize - 1) / recordSize;
    if (records < 2) {
      return;
    }
    byte[] cut = java.util.Arrays.copyOf(body, header + (records - 1) * recordSize);
    assertThatThrownBy(() -> Aes128GcmCodec.decrypt(cut, IKM))
        .isInstanceOf(PushCryptoException.class);
  }

  @Provide
  Arbitrary<Integer> smallRecordSizes() {
    return Arbitraries.integers().between(18, 64);
  }

  @Property
  void garbageIntoTheDecoderYieldsOnlyTheTypedException(@ForAll @Size(max = 400) byte[] body) {
    try {
      UA.decrypt(body);
    } catch (PushCryptoException expected) {
      return;
    }
    throw new AssertionError("random garbage decrypted");
  }

  @Property
  void garbageIntoVapidVerificationYieldsOnlyTheTypedException(@ForAll String header) {
    try {
      Vapid.verifySignature("vapid " + header);
    } catch (PushCryptoException expected) {
      // fine
    }
  }
}
