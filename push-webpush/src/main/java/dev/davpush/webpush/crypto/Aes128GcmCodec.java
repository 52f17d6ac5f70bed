package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.webpush.internal.AesGcm;
import dev.davpush.webpush.internal.Hmac;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The RFC 8188 {@code aes128gcm} content coding: a header ({@code salt(16) ‖ rs(4, big-endian) ‖
 * idlen(1) ‖ keyid(idlen)}) followed by records of exactly {@code rs} octets of AES-128-GCM output
 * (the last may be shorter), each record's plaintext being {@code data ‖ delimiter ‖ 0x00*} with
 * delimiter {@code 0x01} in every record but the last and {@code 0x02} in the last (RFC 8188 §2).
 *
 * <p>Key schedule (RFC 8188 §2.2, §2.3): {@code PRK = HMAC-SHA-256(salt, IKM)}, {@code CEK} = first
 * 16 octets of {@code HMAC-SHA-256(PRK, "Content-Encoding: aes128gcm" ‖ 0x00 ‖ 0x01)}, {@code
 * NONCE_i} = first 12 octets of {@code HMAC-SHA-256(PRK, "Content-Encoding: nonce" ‖ 0x00 ‖ 0x01)}
 * XOR the 96-bit big-endian record sequence number.
 *
 * <p>The decoder makes every check RFC 8188 asks of a recipient (digest checks C-LIB-03/04): body
 * shorter than the header, {@code rs} below 18, a final record shorter than 17 octets, an
 * authentication failure, a record without a non-zero delimiter, a non-final record whose delimiter
 * is not {@code 0x01}, and a last record whose delimiter is not {@code 0x02} (a truncated stream is
 * never returned as complete, R-8188-7). Memory is bounded by the body size and an optional
 * plaintext cap; a failed decode returns nothing.
 *
 * <p>Thread safety: stateless; all methods may be called concurrently.
 */
public final class Aes128GcmCodec {
  /** The smallest valid record size {@code rs}, octets (RFC 8188 §2.1). */
  public static final int MIN_RECORD_SIZE = 18;

  /** The record size used when none is given, octets. */
  public static final int DEFAULT_RECORD_SIZE = 4096;

  /** Length of the salt, octets. */
  public static final int SALT_LENGTH = 16;

  /** Length of the header without the key id: 16 + 4 + 1 octets. */
  public static final int FIXED_HEADER_LENGTH = 21;

  /** AEAD tag length, octets. */
  public static final int TAG_LENGTH = 16;

  /** Content-coding token. */
  public static final String CONTENT_CODING = "aes128gcm";

  /**
   * The longest body the encoder produces: {@code Integer.MAX_VALUE − 8} octets, the largest {@code
   * byte[]} JVMs reliably allocate. Arguments whose body (header, data, padding, one delimiter and
   * a 16-octet tag per record; computed without overflow) would be longer are refused with {@link
   * IllegalArgumentException} before anything is allocated.
   */
  public static final int MAX_BODY_LENGTH = Integer.MAX_VALUE - 8;

  static final byte[] CEK_INFO =
      "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);

  private static final SecureRandom RANDOM = new SecureRandom();

  private Aes128GcmCodec() {}

  /**
   * The parsed header of an {@code aes128gcm} body.
   *
   * <p>Thread safety: immutable.
   */
  public static final class Header {
    private final byte[] salt;
    private final long recordSize;
    private final byte[] keyId;

    private Header(byte[] salt, long recordSize, byte[] keyId) {
      this.salt = salt;
      this.recordSize = recordSize;
      this.keyId = keyId;
    }

    /**
     * Parses and checks the header at the start of a body.
     *
     * @param body the whole body (header and records)
     * @return the header
     * @throws PushCryptoException if the body is shorter than 21 octets or than {@code 21 + idlen},
     *     or {@code rs} is below 18
     */
    public static Header parse(byte[] body) {
      requireNonNull(body, "body");
      if (body.length < FIXED_HEADER_LENGTH) {
        throw new PushCryptoException(
            "aes128gcm: body of " + body.length + " octets is shorter than the 21-octet header");
      }
      long rs =
          ((long) (body[16] & 0xff) << 24)
              | ((body[17] & 0xff) << 16)
              | ((body[18] & 0xff) << 8)
              | (body[19] & 0xff);
      int idlen = body[20] & 0xff;
      if (body.length < FIXED_HEADER_LENGTH + idlen) {
        throw new PushCryptoException(
            "aes128gcm: body of "
                + body.length
                + " octets is shorter than its header (21 + idlen "
                + idlen
                + ")");
      }
      if (rs < MIN_RECORD_SIZE) {
        throw new PushCryptoException(
            "aes128gcm: record size rs=" + rs + " is below the minimum of 18 (RFC 8188 §2.1)");
      }
      return new Header(
          Arrays.copyOfRange(body, 0, SALT_LENGTH),
          rs,
          Arrays.copyOfRange(body, FIXED_HEADER_LENGTH, FIXED_HEADER_LENGTH + idlen));
    }

    /**
     * The salt.
     *
     * @return a copy of the 16 octets
     */
    public byte[] salt() {
      return salt.clone();
    }

    /**
     * The record size {@code rs}.
     *
     * @return octets, 18 to 2<sup>32</sup>−1
     */
    public long recordSize() {
      return recordSize;
    }

    /**
     * The key id.
     *
     * @return a copy of the {@code idlen} octets (for Web Push: the sender's 65-octet public key)
     */
    public byte[] keyId() {
      return keyId.clone();
    }

    /**
     * The header length in the body.
     *
     * @return {@code 21 + idlen} octets
     */
    public int length() {
      return FIXED_HEADER_LENGTH + keyId.length;
    }

    int keyIdLength() {
      return keyId.length;
    }

    byte[] saltRaw() {
      return salt;
    }

    byte[] keyIdRaw() {
      return keyId;
    }
  }

  /**
   * Encrypts with a fresh random salt and no padding.
   *
   * @param plaintext any length; not modified
   * @param ikm the input keying material, any length (16 octets typical)
   * @param keyId 0 to 255 octets written to the header
   * @param recordSize {@code rs}, ≥ 18 octets
   * @return the body: header and records
   * @throws IllegalArgumentException if {@code rs} or the key id is out of range
   */
  public static byte[] encrypt(byte[] plaintext, byte[] ikm, byte[] keyId, int recordSize) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return encrypt(plaintext, ikm, salt, keyId, recordSize, 0);
  }

  /**
   * Encrypts with the given salt and padding. Records are filled in order with the data followed by
   * {@code padding} zero octets, {@code rs − 17} octets of data and padding per record.
   *
   * <p>The salt must never be reused with the same IKM (RFC 8188 §4.3, R-8188-8); use {@link
   * #encrypt(byte[], byte[], byte[], int)} unless you need fixed output, for example in tests.
   *
   * @param plaintext any length; not modified
   * @param ikm the input keying material
   * @param salt exactly 16 octets
   * @param keyId 0 to 255 octets
   * @param recordSize {@code rs}, ≥ 18 octets
   * @param padding ≥ 0 zero octets after the data
   * @return the body
   * @throws IllegalArgumentException if an argument is out of range, or the body would be longer
   *     than {@link #MAX_BODY_LENGTH} (the message names {@code padding})
   */
  public static byte[] encrypt(
      byte[] plaintext, byte[] ikm, byte[] salt, byte[] keyId, int recordSize, int padding) {
    requireNonNull(plaintext, "plaintext");
    if (padding < 0) {
      throw new IllegalArgumentException("padding: expected >= 0, got " + padding);
    }
    requireNonNull(keyId, "keyId");
    checkRecordSize(recordSize);
    int capacity = recordSize - TAG_LENGTH - 1;
    long total = (long) plaintext.length + padding;
    long recordCount = Math.max(1, (total + capacity - 1) / capacity);
    // At most ~2^32 octets over at least one octet per record: no long overflow below.
    long bodyLength =
        FIXED_HEADER_LENGTH + (long) keyId.length + total + recordCount * (TAG_LENGTH + 1);
    if (bodyLength > MAX_BODY_LENGTH) {
      throw new IllegalArgumentException(
          "padding: "
              + padding
              + " octets after "
              + plaintext.length
              + " octets of data in"
              + " records of rs="
              + recordSize
              + " would make a body of "
              + bodyLength
              + " octets; expected at most MAX_BODY_LENGTH="
              + MAX_BODY_LENGTH);
    }
    int records = (int) recordCount;
    int[] dataPerRecord = new int[records];
    int[] padPerRecord = new int[records];
    long pos = 0;
    for (int i = 0; i < records; i++) {
      long end = Math.min(pos + capacity, total);
      long dataEnd = Math.min(end, plaintext.length);
      dataPerRecord[i] = (int) Math.max(0, dataEnd - pos);
      padPerRecord[i] = (int) (end - pos) - dataPerRecord[i];
      pos = end;
    }
    return encryptRecords(plaintext, dataPerRecord, padPerRecord, ikm, salt, keyId, recordSize);
  }

  /**
   * Encrypts with full control of the record layout, to reproduce published bodies exactly (RFC
   * 8188 §3.2): record {@code i} carries {@code dataPerRecord[i]} octets of the plaintext, its
   * delimiter, and {@code padPerRecord[i]} zero octets.
   *
   * @param plaintext the data; the layout must consume it exactly
   * @param dataPerRecord data octets per record
   * @param padPerRecord padding octets per record; same length as {@code dataPerRecord}
   * @param ikm the input keying material
   * @param salt exactly 16 octets
   * @param keyId 0 to 255 octets
   * @param recordSize {@code rs}, ≥ 18; every record's data + padding must be ≤ {@code rs − 17}
   * @return the body
   * @throws IllegalArgumentException if the layout does not fit, does not consume the plaintext, or
   *     would make a body longer than {@link #MAX_BODY_LENGTH}
   */
  public static byte[] encryptRecords(
      byte[] plaintext,
      int[] dataPerRecord,
      int[] padPerRecord,
      byte[] ikm,
      byte[] salt,
      byte[] keyId,
      int recordSize) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(ikm, "ikm");
    requireNonNull(salt, "salt");
    requireNonNull(keyId, "keyId");
    checkRecordSize(recordSize);
    if (salt.length != SALT_LENGTH) {
      throw new IllegalArgumentException("salt: expected 16 octets, got " + salt.length);
    }
    if (keyId.length > 255) {
      throw new IllegalArgumentException("keyId: expected at most 255 octets, got " + keyId.length);
    }
    if (dataPerRecord.length == 0 || dataPerRecord.length != padPerRecord.length) {
      throw new IllegalArgumentException(
          "record layout: expected equally long, non-empty data and padding plans");
    }
    long sum = 0;
    long bodyLength = FIXED_HEADER_LENGTH + (long) keyId.length;
    for (int i = 0; i < dataPerRecord.length; i++) {
      if (dataPerRecord[i] < 0
          || padPerRecord[i] < 0
          || (long) dataPerRecord[i] + padPerRecord[i] > recordSize - TAG_LENGTH - 1) {
        throw new IllegalArgumentException(
            "record layout: record " + i + " does not fit in rs=" + recordSize);
      }
      sum += dataPerRecord[i];
      bodyLength += (long) dataPerRecord[i] + padPerRecord[i] + 1 + TAG_LENGTH;
    }
    if (sum != plaintext.length) {
      throw new IllegalArgumentException(
          "record layout: covers " + sum + " octets, plaintext has " + plaintext.length);
    }
    if (bodyLength > MAX_BODY_LENGTH) {
      throw new IllegalArgumentException(
          "record layout: would make a body of "
              + bodyLength
              + " octets; expected at most MAX_BODY_LENGTH="
              + MAX_BODY_LENGTH);
    }
    byte[][] keys = deriveKeys(salt, ikm);
    byte[] cek = keys[1];
    byte[] nonce = keys[2];
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) bodyLength);
    out.write(salt, 0, SALT_LENGTH);
    out.write(recordSize >>> 24);
    out.write(recordSize >>> 16);
    out.write(recordSize >>> 8);
    out.write(recordSize);
    out.write(keyId.length);
    out.write(keyId, 0, keyId.length);
    int pos = 0;
    for (int i = 0; i < dataPerRecord.length; i++) {
      boolean last = i == dataPerRecord.length - 1;
      byte[] record = new byte[dataPerRecord[i] + 1 + padPerRecord[i]];
      System.arraycopy(plaintext, pos, record, 0, dataPerRecord[i]);
      record[dataPerRecord[i]] = last ? (byte) 2 : (byte) 1;
      pos += dataPerRecord[i];
      byte[] sealed = AesGcm.DEFAULT.seal(cek, nonceFor(nonce, i), record, 0, record.length);
      Arrays.fill(record, (byte) 0);
      out.write(sealed, 0, sealed.length);
    }
    return out.toByteArray();
  }

  /**
   * Decrypts a body.
   *
   * @param body header and records; not modified
   * @param ikm the input keying material
   * @return the plaintext (data without delimiters and padding)
   * @throws PushCryptoException for any malformed, truncated or unauthentic body
   */
  public static byte[] decrypt(byte[] body, byte[] ikm) {
    return decrypt(body, ikm, Integer.MAX_VALUE);
  }

  /**
   * Decrypts a body, refusing plaintext longer than a cap.
   *
   * @param body header and records; not modified
   * @param ikm the input keying material
   * @param maxPlaintextLength the largest plaintext accepted, octets
   * @return the plaintext
   * @throws PushCryptoException for any malformed, truncated or unauthentic body, or a plaintext
   *     over the cap
   */
  public static byte[] decrypt(byte[] body, byte[] ikm, int maxPlaintextLength) {
    requireNonNull(body, "body");
    requireNonNull(ikm, "ikm");
    Header header = Header.parse(body);
    return decryptRecords(body, header, ikm, Integer.MAX_VALUE, maxPlaintextLength);
  }

  static byte[] decryptRecords(
      byte[] body, Header header, byte[] ikm, int maxRecords, int maxPlaintextLength) {
    int off = header.length();
    int remaining = body.length - off;
    if (remaining == 0) {
      throw new PushCryptoException(
          "aes128gcm: no records after the header (truncated; the final record is missing)");
    }
    long rs = header.recordSize;
    long recordCount = (remaining + rs - 1) / rs;
    if (recordCount > maxRecords) {
      throw new PushCryptoException(
          "aes128gcm: "
              + recordCount
              + " records (rs="
              + rs
              + ", "
              + remaining
              + " octets), at most "
              + maxRecords
              + " allowed here");
    }
    int lastLength = (int) (remaining - (recordCount - 1) * rs);
    if (lastLength < TAG_LENGTH + 1) {
      throw new PushCryptoException(
          "aes128gcm: final record of "
              + lastLength
              + " octets is shorter than delimiter + 16-octet tag (17)");
    }
    byte[][] keys = deriveKeys(header.salt, ikm);
    byte[] cek = keys[1];
    byte[] nonce = keys[2];
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(remaining, 1 << 16));
    try {
      for (long i = 0; i < recordCount; i++) {
        boolean last = i == recordCount - 1;
        int len = last ? lastLength : (int) rs;
        byte[] plain;
        try {
          plain = AesGcm.DEFAULT.open(cek, nonceFor(nonce, i), body, off, len);
        } catch (AesGcm.AuthenticationFailedException e) {
          throw new PushCryptoException(
              "aes128gcm: record " + i + " failed authentication (wrong key or tampered body)");
        }
        off += len;
        int d = plain.length - 1;
        while (d >= 0 && plain[d] == 0) {
          d--;
        }
        if (d < 0) {
          throw new PushCryptoException(
              "aes128gcm: record " + i + " has no padding delimiter (all octets zero)");
        }
        int delimiter = plain[d] & 0xff;
        if (last && delimiter != 2) {
          throw new PushCryptoException(
              delimiter == 1
                  ? "aes128gcm: last record has delimiter 0x01, expected 0x02 (truncated message)"
                  : "aes128gcm: last record has delimiter 0x"
                      + String.format("%02x", delimiter)
                      + ", expected 0x02");
        }
        if (!last && delimiter != 1) {
          throw new PushCryptoException(
              "aes128gcm: record "
                  + i
                  + " has delimiter 0x"
                  + String.format("%02x", delimiter)
                  + ", expected 0x01 in a non-final record");
        }
        if ((long) out.size() + d > maxPlaintextLength) {
          throw new PushCryptoException(
              "aes128gcm: plaintext exceeds the cap of " + maxPlaintextLength + " octets");
        }
        out.write(plain, 0, d);
        Arrays.fill(plain, (byte) 0);
      }
      return out.toByteArray();
    } finally {
      Arrays.fill(cek, (byte) 0);
    }
  }

  /** {PRK, CEK, NONCE} for a salt and IKM (RFC 8188 §2.2–2.3). */
  static byte[][] deriveKeys(byte[] salt, byte[] ikm) {
    byte[] prk = Hmac.extract(salt, ikm);
    return new byte[][] {prk, Hmac.expand(prk, CEK_INFO, 16), Hmac.expand(prk, NONCE_INFO, 12)};
  }

  static byte[] nonceFor(byte[] base, long seq) {
    byte[] n = base.clone();
    for (int i = 0; i < 8; i++) {
      n[11 - i] ^= (byte) (seq >>> (8 * i));
    }
    return n;
  }

  private static void checkRecordSize(int recordSize) {
    if (recordSize < MIN_RECORD_SIZE) {
      throw new IllegalArgumentException(
          "recordSize: expected >= 18 (RFC 8188 §2.1), got " + recordSize);
    }
  }
}
