package dev.davpush.webpush.internal;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA-256 and the HKDF steps of RFC 5869 as RFC 8188/8291 use them (one output block).
 *
 * <p>Thread safety: stateless.
 */
public final class Hmac {
  private Hmac() {}

  /** HMAC-SHA-256(key, data...) → 32 bytes. */
  public static byte[] hmac(byte[] key, byte[]... data) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    for (byte[] d : data) {
      mac.update(d, 0, d.length);
    }
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  /** HKDF-Extract: PRK = HMAC(salt, ikm). */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    return hmac(salt, ikm);
  }

  /** HKDF-Expand for L ≤ 32: the first {@code length} bytes of HMAC(prk, info ‖ 0x01). */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length > 32) {
      throw new IllegalArgumentException("HKDF: at most 32 bytes supported");
    }
    byte[] t = hmac(prk, info, new byte[] {1});
    if (length == 32) {
      return t;
    }
    byte[] out = new byte[length];
    System.arraycopy(t, 0, out, 0, length);
    return out;
  }
}
