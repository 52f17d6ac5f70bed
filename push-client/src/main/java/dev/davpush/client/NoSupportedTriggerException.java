package dev.davpush.client;

import dev.davpush.Precondition;

/**
 * {@code 403} with the precondition {@code no-supported-trigger (also read as no-trigger-supported
 * and trigger-not-supported)}: no requested trigger is supported (R-WDP-24).
 *
 * <p>Thread safety: immutable.
 */
public final class NoSupportedTriggerException extends RegistrationRefusedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the server refused and what to do
   */
  public NoSupportedTriggerException(String message) {
    super(Precondition.NO_SUPPORTED_TRIGGER, message);
  }
}
