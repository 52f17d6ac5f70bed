package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coalescing stage (architecture, "The dispatch pipeline", stage 3; R-WDP-43): decides when a
 * message for a (push resource, topic) may go out, so that a burst of changes gives at most two
 * messages per window: the first change of a quiet period at once (leading edge), everything after
 * it within the window merged into one message at the window's end (trailing edge). The merging
 * itself is the delivery queue's ({@link dev.davpush.spi.DeliveryQueue#offer}); this class only
 * chooses the not-before instant.
 *
 * <p>The window grows with load ({@link #window}); how much a message may be held back is its
 * {@link Holdback} (the engine maps a change's importance to it).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Coalescer {
  /** The backlog (deliveries waiting or in flight) at which the window reaches its maximum. */
  public static final int FULL_LOAD_BACKLOG = 50_000;

  /** At most this many (push resource, topic) keys are remembered; beyond it stale ones go. */
  static final int MAX_KEYS = 1_000_000;

  private final Duration base;
  private final Duration maximum;
  private final Map<Key, Instant> lastScheduled = new ConcurrentHashMap<>();

  private record Key(String subscriptionId, Topic topic) {}

  /** How much a message may be held back. */
  public enum Holdback {
    /** Never: the message goes out at once (a change of high importance). */
    NONE,
    /** The first of a burst at once, later ones at the end of the window (normal importance). */
    EDGE,
    /** Always until the end of the window (low importance). */
    FULL
  }

  /**
   * Creates the stage.
   *
   * @param base the window at no load; ≥ 0 (zero disables coalescing across publishes)
   * @param maximum the window at full load; ≥ base
   */
  public Coalescer(Duration base, Duration maximum) {
    this.base = requireNonNull(base, "base");
    this.maximum = requireNonNull(maximum, "maximum");
    if (base.isNegative() || maximum.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "coalescing window: expected 0 <= base <= maximum, got " + base + ", " + maximum);
    }
  }

  /**
   * The coalescing window for a backlog: {@code base} when idle, growing linearly to {@code
   * maximum} at {@link #FULL_LOAD_BACKLOG} and staying there.
   *
   * @param base the window at no load; ≥ 0
   * @param maximum the window at full load; ≥ base
   * @param backlog deliveries waiting or in flight; negative counts as 0
   * @return a duration in {@code [base, maximum]}, non-decreasing in {@code backlog}
   */
  public static Duration window(Duration base, Duration maximum, int backlog) {
    if (backlog <= 0) {
      return base;
    }
    if (backlog >= FULL_LOAD_BACKLOG) {
      return maximum;
    }
    long spanMillis = maximum.toMillis() - base.toMillis();
    return base.plusMillis(spanMillis * backlog / FULL_LOAD_BACKLOG);
  }

  /**
   * The not-before instant of a new message, and the bookkeeping for the next one.
   *
   * <ul>
   *   <li>{@link Holdback#NONE}: now.
   *   <li>A message is already scheduled for later (a trailing edge): that instant, so the new
   *       change merges into it.
   *   <li>The last message went out less than a window ago: the end of that window (a new trailing
   *       edge). {@link Holdback#FULL} without a recent message: the end of a window starting now.
   *   <li>Otherwise (a quiet period ended): now (the leading edge).
   * </ul>
   *
   * @param subscriptionId the push resource
   * @param topic the WebDAV-Push topic
   * @param holdback how much the message may be held back
   * @param now the current instant
   * @param backlog deliveries waiting or in flight, for {@link #window}
   * @return the not-before instant, never before {@code now}
   */
  public Instant notBefore(
      String subscriptionId, Topic topic, Holdback holdback, Instant now, int backlog) {
    if (holdback == Holdback.NONE || base.isZero() && maximum.isZero()) {
      return now;
    }
    Duration w = window(base, maximum, backlog);
    Key key = new Key(subscriptionId, topic);
    Instant[] out = new Instant[1];
    lastScheduled.compute(
        key,
        (k, last) -> {
          Instant at;
          if (last != null && last.isAfter(now)) {
            at = last;
          } else if (last != null && now.isBefore(last.plus(w))) {
            at = last.plus(w);
          } else if (holdback == Holdback.FULL) {
            at = now.plus(w);
          } else {
            at = now;
          }
          out[0] = at;
          return at;
        });
    if (lastScheduled.size() > MAX_KEYS) {
      forgetBefore(now.minus(maximum));
    }
    return out[0];
  }

  /**
   * Forgets keys whose last message was scheduled before an instant (they no longer hold anything
   * back).
   *
   * @param cutoff keys scheduled before it are dropped
   * @return how many were dropped
   */
  public int forgetBefore(Instant cutoff) {
    int before = lastScheduled.size();
    lastScheduled.values().removeIf(at -> at.isBefore(cutoff));
    return before - lastScheduled.size();
  }

  /**
   * How many keys are remembered.
   *
   * @return ≥ 0
   */
  public int size() {
    return lastScheduled.size();
  }
}
