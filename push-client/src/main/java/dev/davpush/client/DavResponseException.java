package dev.davpush.client;

/**
 * A DAV request got an answer the client cannot use: malformed or hostile XML in a {@code 207} or
 * an error body, a body larger than {@link DavPushClient.Builder#maxResponseBytes}, or a successful
 * registration without a usable {@code Location}. The cause, when there is one, is the reader's
 * {@link dev.davpush.xml.PushXmlException} with line and column.
 *
 * <p>Thread safety: immutable.
 */
public class DavResponseException extends DavPushClientException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the answer
   */
  public DavResponseException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong with the answer
   * @param cause the reader's exception
   */
  public DavResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
