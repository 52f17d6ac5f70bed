package dev.davpush.client;

/**
 * A DAV request got an answer whose status the operation does not expect, for example {@code 500}
 * to a registration, {@code 401} after the credentials were tried, or {@code 403} without a
 * WebDAV-Push precondition.
 *
 * <p>Thread safety: immutable.
 */
public class DavStatusException extends DavPushClientException {
  private static final long serialVersionUID = 1L;

  /** The status of the answer; part of the serialized form. */
  private final int status;

  /** The request method; part of the serialized form. */
  private final String method;

  /**
   * Creates the exception.
   *
   * @param method the request method
   * @param status the status code
   * @param message what was expected and what to do
   */
  public DavStatusException(String method, int status, String message) {
    super(message);
    this.method = method;
    this.status = status;
  }

  /**
   * The status of the answer.
   *
   * @return 100..599
   */
  public int status() {
    return status;
  }

  /**
   * The method of the request.
   *
   * @return for example {@code POST}
   */
  public String method() {
    return method;
  }
}
