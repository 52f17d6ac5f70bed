package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How often and how late the engine retries a delivery the push service answered with {@code 429}
 * or {@code 5xx} (RFC 8030 §8.4 for {@code Retry-After}; architecture "outcome").
 *
 * <p>The delay before attempt {@code n + 1} (after {@code n} attempts) is an exponential backoff
 * {@code initialBackoff · 2^(n-1)}, capped at {@code maximumBackoff}, with "equal jitter" (a
 * uniformly random point in its upper half), and never shorter than the push service's {@code
 * Retry-After}. A delivery is given up after {@code maximumAttempts} attempts, or when the next
 * attempt would start after the message's deadline (its TTL).
 *
 * @param maximumAttempts attempts in all, the first one included; ≥ 1
 * @param initialBackoff the backoff after the first attempt; &gt; 0
 * @param maximumBackoff the cap on the backoff (not on {@code Retry-After}); ≥ initialBackoff
 */
public record RetryPolicy(int maximumAttempts, Duration initialBackoff, Duration maximumBackoff) {
  /**
   * The default: backoff from 2 s doubling to at most 10 min, no cap on attempts: a message is
   * retried until its TTL would pass before the next attempt.
   */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ofMinutes(10));

  /**
   * Validates the values.
   *
   * @param maximumAttempts as described on the record
   * @param initialBackoff as described on the record
   * @param maximumBackoff as described on the record
   */
  public RetryPolicy {
    requireNonNull(initialBackoff, "initialBackoff");
    requireNonNull(maximumBackoff, "maximumBackoff");
    if (maximumAttempts < 1) {
      throw new IllegalArgumentException("maximumAttempts: expected >= 1, got " + maximumAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff: expected > 0, got " + initialBackoff);
    }
    if (maximumBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maximumBackoff: expected >= initialBackoff ("
              + initialBackoff
              + "), got "
              + maximumBackoff);
    }
  }

  /**
   * The delay before the next attempt.
   *
   * @param attemptsSoFar attempts already made; ≥ 1
   * @param retryAfter the push service's {@code Retry-After}, or null
   * @param jitter a number in {@code [0, 1)}
   * @return ≥ retryAfter, and ≥ half the capped backoff
   */
  public Duration delay(int attemptsSoFar, @Nullable Duration retryAfter, double jitter) {
    if (attemptsSoFar < 1) {
      throw new IllegalArgumentException("attemptsSoFar: expected >= 1, got " + attemptsSoFar);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter: expected [0, 1), got " + jitter);
    }
    long initialMillis = initialBackoff.toMillis();
    long capMillis = maximumBackoff.toMillis();
    int shift = Math.min(attemptsSoFar - 1, 40);
    long backoff =
        initialMillis > (capMillis >> shift)
            ? capMillis
            : Math.min(capMillis, initialMillis << shift);
    long half = backoff / 2;
    long jittered = half + (long) ((backoff - half) * jitter);
    Duration d = Duration.ofMillis(jittered);
    if (retryAfter != null && !retryAfter.isNegative() && retryAfter.compareTo(d) > 0) {
      d = retryAfter;
    }
    return d;
  }
}
