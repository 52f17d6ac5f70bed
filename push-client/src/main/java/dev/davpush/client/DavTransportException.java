package dev.davpush.client;

/**
 * A DAV request got no HTTP answer: the connection failed, TLS failed, the name did not resolve, or
 * the answer did not complete within the client's timeouts ({@link #timedOut()}).
 *
 * <p>Thread safety: immutable.
 */
public class DavTransportException extends DavPushClientException {
  private static final long serialVersionUID = 1L;

  /** Whether a timeout ended the request; part of the serialized form. */
  private final boolean timedOut;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   * @param timedOut whether a timeout ended the request
   * @param cause the underlying failure
   */
  public DavTransportException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /**
   * Whether the request ran out of time ({@link DavPushClient.Builder#responseTimeout} or {@link
   * DavPushClient.Builder#requestTimeout}).
   *
   * @return true for a timeout
   */
  public boolean timedOut() {
    return timedOut;
  }
}
