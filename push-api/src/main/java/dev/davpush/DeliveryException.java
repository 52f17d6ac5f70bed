package dev.davpush;

/**
 * No answer could be obtained from a push service: connection refused, timeout, TLS failure,
 * encryption failure before sending. Any answer of a push service, whatever its status, is a
 * {@link dev.davpush.spi.DeliveryResult} instead.
 *
 * <p>Thread safety: immutable.
 */
public class DeliveryException extends PushException {
  private static final long serialVersionUID = 1L;

  /** Why there was no answer. */
  public enum Reason {
    /** A connect, connection-lease or response timeout. */
    TIMEOUT(true),
    /** Refused, reset or closed before an answer. */
    CONNECTION_FAILED(true),
    /** The push service's host name did not resolve. */
    NAME_RESOLUTION(true),
    /** The TLS handshake or the certificate failed. */
    TLS(true),
    /** The SSRF policy refused the target; waiting does not change that. */
    REFUSED_BY_POLICY(false),
    /** The subscription's key material is unusable; waiting does not change that. */
    ENCRYPTION(false),
    /** Anything else. */
    OTHER(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether a later attempt may succeed.
     *
     * @return false for policy refusals and unusable keys
     */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why there was no answer
   * @param message what failed; never the whole push resource URL (capability URL)
   * @param cause the underlying failure, or null
   */
  public DeliveryException(Reason reason, String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why there was no answer.
   *
   * @return the reason; {@link Reason#OTHER} when the creator gave none
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Creates the exception.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   * @param cause the underlying failure
   */
  public DeliveryException(String message, Throwable cause) {
    super(message, cause);
    this.reason = Reason.OTHER;
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   */
  public DeliveryException(String message) {
    super(message);
    this.reason = Reason.OTHER;
  }
}
