package dev.davpush.testkit.runner;

import dev.davpush.PushException;

/**
 * The run could not start or continue against the target: unreachable, authentication refused, not
 * a collection, no WebDAV-Push support, a write the kit needs was refused, or the target refuses or
 * cannot reach the kit's push service for a reason of the kit's configuration (plain HTTP, a
 * loopback address, an untrusted certificate; the message says what to configure). The command line
 * prints the message and exits with status 2.
 *
 * <p>Thread safety: immutable once thrown.
 */
public final class TargetException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the problem, in words a server author can act on
   */
  public TargetException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the problem
   * @param cause the underlying failure
   */
  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}
