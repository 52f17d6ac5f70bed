package dev.davpush.testkit.report;

import dev.davpush.PushException;

/**
 * A baseline file cannot be used: it is not JSON, has another schema version, names a requirement
 * the catalogue does not have, lists an ID twice, or expects an outcome that is not a deviation.
 * The message names the file (when there is one) and the entry.
 *
 * <p>Thread safety: immutable once thrown.
 */
public final class BaselineException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where
   */
  public BaselineException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong and where
   * @param cause the parser's failure
   */
  public BaselineException(String message, Throwable cause) {
    super(message, cause);
  }
}
