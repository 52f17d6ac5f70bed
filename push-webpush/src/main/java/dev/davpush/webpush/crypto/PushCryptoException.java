package dev.davpush.webpush.crypto;

import dev.davpush.PushException;

/**
 * Bad key material, a malformed or unauthentic ciphertext, or an invalid VAPID token: the one
 * exception this package throws for bad input. No BouncyCastle or JCA exception type escapes; no
 * partial plaintext is ever returned.
 *
 * <p>Thread safety: immutable.
 */
public class PushCryptoException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and why
   */
  public PushCryptoException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong and why
   * @param cause the underlying failure
   */
  public PushCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
