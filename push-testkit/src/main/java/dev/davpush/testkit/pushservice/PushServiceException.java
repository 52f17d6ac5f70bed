package dev.davpush.testkit.pushservice;

import dev.davpush.PushException;

/**
 * The embedded push service could not be started (for example the requested port is taken).
 *
 * <p>Thread safety: immutable once thrown.
 */
public class PushServiceException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, kept for diagnosis
   */
  public PushServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
