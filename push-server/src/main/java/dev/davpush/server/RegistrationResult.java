package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.Registration;

/**
 * The outcome of a successful registration (R-WDP-24..28).
 *
 * @param registration the stored registration, with absolute URL and effective expiry
 * @param created true for a new registration, false when an existing one (same principal, resource
 *     and push resource) was updated
 *     <p>Thread safety: immutable.
 */
public record RegistrationResult(Registration registration, boolean created) {
  /**
   * Validates.
   *
   * @param registration as described on the record
   * @param created as described on the record
   */
  public RegistrationResult {
    requireNonNull(registration, "registration");
  }
}
