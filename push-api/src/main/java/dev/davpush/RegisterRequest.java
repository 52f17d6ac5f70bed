package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The content of a {@code push-register} request (draft-bitfire-webdav-push §3.1, R-WDP-12): one
 * subscription, the requested triggers, and an optional requested expiry.
 *
 * @param subscription the transport-specific subscription
 * @param triggers the requested triggers, possibly empty (the engine then refuses with {@link
 *     Precondition#NO_SUPPORTED_TRIGGER}); copied
 * @param expires the requested expiry, or null to let the server choose
 *     <p>Thread safety: immutable.
 */
public record RegisterRequest(
    Subscription subscription, List<Trigger> triggers, @Nullable Instant expires) {
  /**
   * Validates and copies.
   *
   * @param subscription as described on the record
   * @param triggers as described on the record
   * @param expires as described on the record
   */
  public RegisterRequest {
    requireNonNull(subscription, "subscription");
    triggers = List.copyOf(requireNonNull(triggers, "triggers"));
  }

  /**
   * The requested expiry.
   *
   * @return empty if the client requested none
   */
  public Optional<Instant> requestedExpiry() {
    return Optional.ofNullable(expires);
  }
}
