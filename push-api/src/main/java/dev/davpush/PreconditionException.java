package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * A registration was refused for a WebDAV-Push precondition; servers answer {@code 403} with a
 * {@code DAV:error} body naming {@link #precondition()} (R-WDP-24).
 *
 * <p>Thread safety: immutable.
 */
public class PreconditionException extends PushException {
  private static final long serialVersionUID = 1L;

  /** The failed precondition; part of the serialized form. */
  private final Precondition precondition;

  /**
   * Creates the exception.
   *
   * @param precondition the failed precondition
   * @param message why, in words a client developer can act on
   */
  public PreconditionException(Precondition precondition, String message) {
    super(message);
    this.precondition = requireNonNull(precondition, "precondition");
  }

  /**
   * Creates the exception with a cause.
   *
   * @param precondition the failed precondition
   * @param message why, in words a client developer can act on
   * @param cause the underlying failure
   */
  public PreconditionException(Precondition precondition, String message, Throwable cause) {
    super(message, cause);
    this.precondition = requireNonNull(precondition, "precondition");
  }

  /**
   * The failed precondition.
   *
   * @return never null
   */
  public Precondition precondition() {
    return precondition;
  }
}
