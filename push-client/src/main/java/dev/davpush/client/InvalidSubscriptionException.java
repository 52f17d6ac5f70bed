package dev.davpush.client;

import dev.davpush.Precondition;

/**
 * {@code 403} with the precondition {@code invalid-subscription}: the request carried no valid
 * subscription (R-WDP-24).
 *
 * <p>Thread safety: immutable.
 */
public final class InvalidSubscriptionException extends RegistrationRefusedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the server refused and what to do
   */
  public InvalidSubscriptionException(String message) {
    super(Precondition.INVALID_SUBSCRIPTION, message);
  }
}
