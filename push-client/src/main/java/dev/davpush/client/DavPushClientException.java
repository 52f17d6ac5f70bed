package dev.davpush.client;

import dev.davpush.PushException;

/**
 * The root of the failures of {@link DavPushClient} other than a refused registration (which is a
 * {@link RegistrationRefusedException}): no answer, an unexpected status, an unreadable answer, a
 * refused redirect.
 *
 * <p>Messages name the method, the origin and the path of the request, never credentials, and never
 * a push resource URL.
 *
 * <p>Thread safety: immutable.
 */
public class DavPushClientException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, what was expected and what to do
   */
  public DavPushClientException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong, what was expected and what to do
   * @param cause the underlying failure
   */
  public DavPushClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
