package dev.davpush;

/**
 * A store refused a registration because another one (with another id) already holds the same
 * natural key: principal, resource path and push resource (R-WDP-28, digest ambiguity A-27). Raised
 * by {@link dev.davpush.spi.SubscriptionStore#save}; the engine then updates the registration that
 * won.
 *
 * <p>Thread safety: immutable.
 */
public class RegistrationConflictException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what conflicted; never a push resource URL
   */
  public RegistrationConflictException(String message) {
    super(message);
  }
}
