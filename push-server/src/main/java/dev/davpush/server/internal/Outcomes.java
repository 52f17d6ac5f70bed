package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.DeliveryException;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The outcome stage (architecture, "The dispatch pipeline", stage 6) as a pure function: what
 * follows one attempt of one pending delivery.
 *
 * <ul>
 *   <li>Any 2xx: delivered.
 *   <li>404 or 410: gone; every registration of the push resource is removed (R-WDP-45).
 *   <li>429 and 5xx: retried with jittered exponential backoff, never before {@code Retry-After}
 *       (RFC 8030 §8.4), while the next attempt starts at least {@link #MIN_TTL_LEFT} before the
 *       message's deadline (its TTL); 429 also holds back every other message to that push resource
 *       until then.
 *   <li>No answer (timeout, reset, refused, DNS, TLS, the engine's own attempt timeout): retried
 *       like 5xx, unless the failure is one that cannot heal by waiting ({@link
 *       DeliveryException.Reason#retryable()}). A transport that fails with anything but a {@link
 *       DeliveryException} broke its contract: given up.
 *   <li>Any other answer (400, 401, 403, 413, 3xx, …): given up.
 * </ul>
 *
 * <p>Thread safety: stateless.
 */
public final class Outcomes {
  /** The TTL a retry must still have when it starts: one second, the unit of the TTL header. */
  public static final Duration MIN_TTL_LEFT = Duration.ofSeconds(1);

  private Outcomes() {}

  /** What follows an attempt. */
  public enum Kind {
    /** The push service accepted the message. */
    DELIVERED,
    /** The push resource is gone (404/410). */
    GONE,
    /** Try again at {@link Decision#retryAt()}. */
    RETRY,
    /** No further attempt; {@link Decision#reason()} says why. */
    GIVE_UP
  }

  /**
   * A decision.
   *
   * @param kind what follows
   * @param retryAt the next attempt's not-before instant ({@link Kind#RETRY} only), else null
   * @param reason a short reason for logs (status or failure kind), never a secret
   * @param failure whether the attempt counts as a failure of the push resource (R-WDP-45 grace
   *     period): rejected answers, 5xx and no answer do; 429 does not
   * @param rateLimited whether the push service asked to slow down (429)
   */
  public record Decision(
      Kind kind, @Nullable Instant retryAt, String reason, boolean failure, boolean rateLimited) {}

  /**
   * Decides what follows an attempt.
   *
   * @param result the push service's answer, or null if there was none
   * @param error the failure when there was no answer, else null
   * @param delivery the delivery that was attempted
   * @param now the current instant
   * @param policy the backoff
   * @param jitter a number in {@code [0, 1)}
   * @return the decision
   */
  public static Decision decide(
      @Nullable DeliveryResult result,
      @Nullable Throwable error,
      PendingDelivery delivery,
      Instant now,
      RetryPolicy policy,
      double jitter) {
    requireNonNull(delivery, "delivery");
    requireNonNull(now, "now");
    requireNonNull(policy, "policy");
    if (result instanceof DeliveryResult.Delivered d) {
      return new Decision(Kind.DELIVERED, null, Integer.toString(d.status()), false, false);
    }
    if (result instanceof DeliveryResult.Gone g) {
      return new Decision(Kind.GONE, null, Integer.toString(g.status()), false, false);
    }
    if (result instanceof DeliveryResult.RetryLater rl) {
      boolean limited = rl.status() == 429;
      return retry(
          delivery,
          now,
          policy,
          jitter,
          rl.retryAfter(),
          "status " + rl.status(),
          !limited,
          limited);
    }
    if (result instanceof DeliveryResult.Rejected r) {
      return new Decision(
          Kind.GIVE_UP, null, "status " + r.status() + " (" + r.reason() + ")", true, false);
    }
    Throwable cause = unwrap(error);
    String what = describe(cause);
    if (cause instanceof DeliveryException de) {
      if (!de.reason().retryable()) {
        return new Decision(Kind.GIVE_UP, null, what, true, false);
      }
      return retry(delivery, now, policy, jitter, null, what, true, false);
    }
    if (cause instanceof TimeoutException) {
      return retry(delivery, now, policy, jitter, null, what, true, false); // attempt timeout
    }
    // a transport that breaks its contract (throws, or fails with another exception): a bug
    // that waiting does not fix
    return new Decision(Kind.GIVE_UP, null, what + " (transport broke its contract)", true, false);
  }

  private static Decision retry(
      PendingDelivery d,
      Instant now,
      RetryPolicy policy,
      double jitter,
      @Nullable Duration retryAfter,
      String what,
      boolean failure,
      boolean limited) {
    if (d.attempt() >= policy.maximumAttempts()) {
      return new Decision(
          Kind.GIVE_UP, null, what + " after " + d.attempt() + " attempts", failure, limited);
    }
    Duration delay = policy.delay(d.attempt(), retryAfter, jitter);
    // compared as durations: a push service may send any Retry-After; now + delay can overflow.
    // The next attempt needs MIN_TTL_LEFT of its TTL: one due at the deadline would never be sent.
    if (delay.compareTo(Duration.between(now, d.deadline()).minus(MIN_TTL_LEFT)) > 0) {
      return new Decision(
          Kind.GIVE_UP, null, what + "; TTL over before the next attempt", failure, limited);
    }
    return new Decision(Kind.RETRY, now.plus(delay), what, failure, limited);
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "no answer (no result)";
    }
    if (t instanceof DeliveryException de) {
      return "no answer (" + de.reason().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (t instanceof TimeoutException) {
      return "no answer (attempt timeout)";
    }
    return "no answer (" + t.getClass().getSimpleName() + ")";
  }
}
