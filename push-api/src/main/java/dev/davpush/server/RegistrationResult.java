package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.Registration;

/**
 * The outcome of a successful registration (R-WDP-24..28).
 *
 * @param registration the stored registration, with absolute URL and effective expiry
 * @param created true for a new registration, false when an existing one (same principal,
 *     resource and push resource) was updated
 */
public record RegistrationResult(Registration registration, boolean created) {
  /** Validates. */
  public RegistrationResult {
    requireNonNull(registration, "registration");
  }
}
