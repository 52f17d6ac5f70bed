package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushMessage;
import java.time.Instant;

/**
 * One push message waiting to be sent to one push resource, as a plain value: what a durable
 * outbox would persist (architecture, "Designed now, built later"). Sending is meant to be
 * idempotent per (registration, message).
 *
 * <p>The engine re-reads the registration by {@link #registrationId()} before every attempt, so a
 * retry uses the newest key material (digest ambiguity A-26) and is dropped once the registration
 * is gone or expired (R-WDP-33).
 *
 * @param registrationId the id of the registration the message goes to (the first of its
 *     coalesced group)
 * @param message the push message, not yet encoded
 * @param attempt the number of the next attempt; 1 for the first
 * @param notBefore the earliest instant of the next attempt
 * @param deadline the instant after which the message is not sent any more (creation + TTL)
 */
public record PendingDelivery(
    String registrationId, PushMessage message, int attempt, Instant notBefore, Instant deadline) {
  /**
   * Validates the parts.
   *
   * @param registrationId as described on the record
   * @param message as described on the record
   * @param attempt as described on the record
   * @param notBefore as described on the record
   * @param deadline as described on the record
   */
  public PendingDelivery {
    requireNonNull(registrationId, "registrationId");
    requireNonNull(message, "message");
    requireNonNull(notBefore, "notBefore");
    requireNonNull(deadline, "deadline");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt: expected >= 1, got " + attempt);
    }
  }

  /**
   * The same delivery, for its next attempt.
   *
   * @param notBefore the earliest instant of that attempt
   * @return a copy with {@code attempt + 1}
   */
  public PendingDelivery next(Instant notBefore) {
    return new PendingDelivery(registrationId, message, attempt + 1, notBefore, deadline);
  }

  /** Shows the id only abbreviated: it is the capability part of the registration URL. */
  @Override
  public String toString() {
    return "PendingDelivery[registration="
        + registrationId.substring(0, Math.min(4, registrationId.length())) + "…, attempt="
        + attempt + ", notBefore=" + notBefore + ", deadline=" + deadline + ", message="
        + message + "]";
  }
}
