package dev.davpush;

/**
 * Root of davpush's unchecked exception hierarchy.
 *
 * <p>Every domain failure of the library (malformed XML, bad key material, a failed delivery, a
 * refused registration) is a subclass; third-party exception types are wrapped with the cause kept,
 * so callers never import them.
 *
 * <p>Thread safety: immutable once thrown.
 */
public class PushException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, what was expected, and what to do
   */
  public PushException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, what was expected, and what to do
   * @param cause the underlying failure, kept for diagnosis
   */
  public PushException(String message, Throwable cause) {
    super(message, cause);
  }
}
