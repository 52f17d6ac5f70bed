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

  /**
   * Creates the exception.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   * @param cause the underlying failure
   */
  public DeliveryException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   */
  public DeliveryException(String message) {
    super(message);
  }
}
