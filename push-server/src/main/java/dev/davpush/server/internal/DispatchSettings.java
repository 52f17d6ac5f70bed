package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.Urgency;
import java.time.Duration;

/**
 * The dispatcher's settings, as the engine's builder collected them (documented there).
 *
 * @param ttl the TTL of a message; also its delivery deadline
 * @param urgency the urgency of a change of normal importance
 * @param coalescingWindow the coalescing window at no load
 * @param maximumCoalescingWindow the coalescing window at full load
 * @param maxInFlightPerOrigin attempts in flight to one push-service origin, not counting slow ones
 * @param maxSlowPerOrigin slow attempts (no answer yet after the origin's slow threshold) to one
 *     origin that no longer hold a slot
 * @param maxInFlight attempts in flight engine-wide, slow ones included
 * @param maxPendingChanges changes waiting for fan-out before publish refuses
 * @param attemptTimeout the engine's own bound on one attempt, beyond the transport's timeouts
 * @param gracePeriod how long a push resource may keep failing before its registrations go
 * @param retryPolicy the backoff
 * @param keyRotationTimeout how long key-rotation messages are tried before the key switches
 */
public record DispatchSettings(
    Duration ttl,
    Urgency urgency,
    Duration coalescingWindow,
    Duration maximumCoalescingWindow,
    int maxInFlightPerOrigin,
    int maxSlowPerOrigin,
    int maxInFlight,
    int maxPendingChanges,
    Duration attemptTimeout,
    Duration gracePeriod,
    RetryPolicy retryPolicy,
    Duration keyRotationTimeout) {
  /**
   * Validates the settings.
   *
   * @param ttl as described on the record
   * @param urgency as described on the record
   * @param coalescingWindow as described on the record
   * @param maximumCoalescingWindow as described on the record
   * @param maxInFlightPerOrigin as described on the record
   * @param maxSlowPerOrigin as described on the record
   * @param maxInFlight as described on the record
   * @param maxPendingChanges as described on the record
   * @param attemptTimeout as described on the record
   * @param gracePeriod as described on the record
   * @param retryPolicy as described on the record
   * @param keyRotationTimeout as described on the record
   */
  public DispatchSettings {
    requireNonNull(ttl, "ttl");
    requireNonNull(urgency, "urgency");
    requireNonNull(coalescingWindow, "coalescingWindow");
    requireNonNull(maximumCoalescingWindow, "maximumCoalescingWindow");
    requireNonNull(attemptTimeout, "attemptTimeout");
    requireNonNull(gracePeriod, "gracePeriod");
    requireNonNull(retryPolicy, "retryPolicy");
    requireNonNull(keyRotationTimeout, "keyRotationTimeout");
    if (maxInFlightPerOrigin < 1
        || maxSlowPerOrigin < 0
        || maxInFlight < 1
        || maxPendingChanges < 1) {
      throw new IllegalArgumentException("dispatch limits must be positive");
    }
  }
}
