package dev.davpush.webpush.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AEAD_AES_128_GCM with empty associated data and a 16-byte tag (RFC 5116 §5.1), in two
 * implementations: the JDK's (AES-NI and CLMUL intrinsics) and BouncyCastle's lightweight one.
 * {@link #DEFAULT} is the one chosen by measurement (see the benchmarks module).
 *
 * <p>Thread safety: implementations are stateless.
 */
public enum AesGcm {
  /** The JDK's {@code AES/GCM/NoPadding}. */
  JDK {
    @Override
    public byte[] seal(byte[] key, byte[] nonce, byte[] in, int off, int len) {
      try {
        return encryptCipher(key, nonce).doFinal(in, off, len);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-128-GCM unavailable", e);
      }
    }

    @Override
    public byte[] open(byte[] key, byte[] nonce, byte[] in, int off, int len)
        throws AuthenticationFailedException {
      try {
        Cipher c = CIPHER.get();
        c.init(
            Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        return c.doFinal(in, off, len);
      } catch (javax.crypto.AEADBadTagException e) {
        throw new AuthenticationFailedException();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-128-GCM unavailable", e);
      }
    }
  },
  /** BouncyCastle's {@code GCMBlockCipher} over its AES engine. */
  BOUNCY_CASTLE {
    @Override
    public byte[] seal(byte[] key, byte[] nonce, byte[] in, int off, int len) {
      GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
      c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
      byte[] out = new byte[c.getOutputSize(len)];
      int n = c.processBytes(in, off, len, out, 0);
      try {
        c.doFinal(out, n);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("AES-128-GCM encryption failed", e);
      }
      return out;
    }

    @Override
    public byte[] open(byte[] key, byte[] nonce, byte[] in, int off, int len)
        throws AuthenticationFailedException {
      if (len < TAG_LENGTH) {
        throw new AuthenticationFailedException();
      }
      GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
      c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce));
      byte[] out = new byte[c.getOutputSize(len)];
      int n = c.processBytes(in, off, len, out, 0);
      try {
        c.doFinal(out, n);
      } catch (InvalidCipherTextException e) {
        java.util.Arrays.fill(out, (byte) 0);
        throw new AuthenticationFailedException();
      }
      return out;
    }
  };

  /** One JDK cipher per thread, re-initialised with a fresh key and nonce for every record. */
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM/NoPadding unavailable", e);
            }
          });

  /**
   * The thread's cipher initialised for encryption. The JDK refuses to encrypt twice with the same
   * key and nonce on one cipher object; only known-answer tests do that, and they get a new one.
   */
  private static Cipher encryptCipher(byte[] key, byte[] nonce) throws GeneralSecurityException {
    Cipher c = CIPHER.get();
    SecretKeySpec k = new SecretKeySpec(key, "AES");
    GCMParameterSpec p = new GCMParameterSpec(128, nonce);
    try {
      c.init(Cipher.ENCRYPT_MODE, k, p);
    } catch (java.security.InvalidAlgorithmParameterException reused) {
      c = Cipher.getInstance("AES/GCM/NoPadding");
      CIPHER.set(c);
      c.init(Cipher.ENCRYPT_MODE, k, p);
    }
    return c;
  }

  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  /**
   * The implementation the library uses: the JDK's, about 3× faster than BouncyCastle's for a
   * 301-byte record on JDK 17 and 25 (P256PrimitivesBenchmark; see push-webpush/PERFORMANCE.md).
   */
  public static final AesGcm DEFAULT = JDK;

  /** Encrypts; returns ciphertext ‖ tag. */
  public abstract byte[] seal(byte[] key, byte[] nonce, byte[] in, int off, int len);

  /** Decrypts and authenticates; returns the plaintext. */
  public abstract byte[] open(byte[] key, byte[] nonce, byte[] in, int off, int len)
      throws AuthenticationFailedException;

  /** The tag did not verify. */
  public static final class AuthenticationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    AuthenticationFailedException() {
      super("AEAD tag mismatch", null, false, false);
    }
  }
}
