package dev.davpush.client;

import dev.davpush.Precondition;

/**
 * {@code 403} with the precondition {@code push-not-available}: push is not available on the
 * resource, or the user may not register (R-WDP-24).
 *
 * <p>Thread safety: immutable.
 */
public final class PushNotAvailableException extends RegistrationRefusedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the server refused and what to do
   */
  public PushNotAvailableException(String message) {
    super(Precondition.PUSH_NOT_AVAILABLE, message);
  }
}
