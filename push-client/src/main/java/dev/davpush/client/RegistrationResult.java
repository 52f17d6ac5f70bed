package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of a successful registration, update or refresh.
 *
 * <p>Thread safety: immutable.
 *
 * @param registration the registration as it now stands
 * @param kind what happened to the registration URL
 * @param deviations what the server did against the draft that the client worked around (a relative
 *     {@code Location}, a missing {@code Expires} …); copied
 */
public record RegistrationResult(
    PushRegistration registration, Kind kind, List<ServerDeviation> deviations) {
  /**
   * Validates and copies.
   *
   * @param registration as described on the record
   * @param kind as described on the record
   * @param deviations as described on the record
   */
  public RegistrationResult {
    requireNonNull(registration, "registration");
    requireNonNull(kind, "kind");
    deviations = List.copyOf(requireNonNull(deviations, "deviations"));
  }

  /**
   * What happened to the registration URL.
   *
   * <p>Thread safety: immutable.
   */
  public enum Kind {
    /** A first registration: the server minted a registration URL. */
    CREATED,
    /** An update or refresh of an existing registration: the same registration URL (R-WDP-28). */
    UPDATED,
    /**
     * An update or refresh answered with a different registration URL: the server had forgotten the
     * registration (expired, reset, or removed) and made a new one. The old URL is no longer valid;
     * {@code Push-Dont-Notify} must name the new one.
     */
    REPLACED
  }
}
