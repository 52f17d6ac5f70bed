package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * No answer could be obtained from a push service: connection refused, timeout, TLS failure,
 * encryption failure before sending. Any answer of a push service, whatever its status, is a {@link
 * dev.davpush.spi.DeliveryResult} instead.
 *
 * <p>Every instance carries a {@link Reason}, so that a caller (the engine) can tell failures that
 * are worth retrying later ({@link Reason#retryable()}) from those that will fail the same way
 * again. The two constructors without a reason give {@link Reason#OTHER}.
 *
 * <p>Thread safety: immutable.
 */
public class DeliveryException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Why no answer was obtained. Transports classify each failure into exactly one reason; the set
   * may grow in later versions, so callers should decide on {@link #retryable()} rather than switch
   * over every constant.
   *
   * <p>Thread safety: immutable.
   */
  public enum Reason {
    /**
     * A time limit passed before an answer: establishing the connection (TCP or TLS handshake),
     * obtaining a connection from the transport's pool (a full pool counts, even when the transport
     * does not wait for one), or waiting for the response. Retryable.
     */
    TIMEOUT(true),
    /**
     * The connection failed without an answer: refused, reset, or closed by the peer before a
     * complete response head arrived (including an HTTP/2 stream reset or GOAWAY before the
     * response). Retryable.
     */
    CONNECTION_FAILED(true),
    /**
     * The push service's host name could not be resolved (unknown host, DNS failure). Retryable.
     */
    NAME_RESOLUTION(true),
    /**
     * The TLS handshake failed: certificate not trusted or not matching the host, no common
     * protocol or cipher suite, or a peer that does not speak TLS. Retryable, since certificates
     * get fixed and middleboxes come and go; a retry policy bounds the attempts.
     */
    TLS(true),
    /**
     * The transport's SSRF policy refused the target, by its URL or by an address its host resolves
     * to. Not retryable: the same target will be refused again.
     */
    REFUSED_BY_POLICY(false),
    /**
     * The subscription's key material is unusable (for example a public key that is not a valid
     * P-256 point), so the message cannot be encrypted. Not retryable.
     */
    ENCRYPTION(false),
    /**
     * This transport cannot send this delivery as it stands: a subscription of another transport,
     * an unsupported content encoding, a payload above the transport's limit. Not retryable.
     */
    UNSUPPORTED(false),
    /** The transport was closed before the delivery could be sent. Not retryable on it. */
    CLOSED(false),
    /**
     * A failure the transport did not classify (for example a malformed answer that is not HTTP, or
     * a cancelled request), and the reason of the constructors without one. Retryable: a delivery
     * exception means that no answer was obtained, which is most often transient; the caller's
     * retry policy bounds the attempts.
     */
    OTHER(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether a later attempt of the same delivery may succeed.
     *
     * @return true for {@link #TIMEOUT}, {@link #CONNECTION_FAILED}, {@link #NAME_RESOLUTION},
     *     {@link #TLS} and {@link #OTHER}; false for the others
     */
    public boolean retryable() {
      return retryable;
    }
  }

  /** Why no answer could be obtained; part of the serialized form. */
  private final Reason reason;

  /**
   * Creates the exception with reason {@link Reason#OTHER}.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   * @param cause the underlying failure
   */
  public DeliveryException(String message, Throwable cause) {
    this(Reason.OTHER, message, cause);
  }

  /**
   * Creates the exception without a cause, with reason {@link Reason#OTHER}.
   *
   * @param message what failed; never the whole push resource URL (capability URL)
   */
  public DeliveryException(String message) {
    this(Reason.OTHER, message);
  }

  /**
   * Creates the exception with a reason and a cause.
   *
   * @param reason why no answer was obtained
   * @param message what failed; never the whole push resource URL (capability URL)
   * @param cause the underlying failure, kept for diagnosis
   * @throws NullPointerException if {@code reason} is null
   */
  public DeliveryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception with a reason and without a cause.
   *
   * @param reason why no answer was obtained
   * @param message what failed; never the whole push resource URL (capability URL)
   * @throws NullPointerException if {@code reason} is null
   */
  public DeliveryException(Reason reason, String message) {
    super(message);
    this.reason = requireNonNull(reason, "reason");
  }

  /**
   * Why no answer was obtained.
   *
   * @return the reason; {@link Reason#OTHER} when constructed without one
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Whether a later attempt of the same delivery may succeed; shorthand for {@code
   * reason().retryable()}.
   *
   * @return the reason's verdict
   */
  public boolean retryable() {
    return reason.retryable();
  }
}
