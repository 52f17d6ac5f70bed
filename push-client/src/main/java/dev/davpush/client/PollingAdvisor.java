package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Recommends when to poll a collection next, from the state of its push (R-WDP-1: a client never
 * depends on push alone; R-WDP-32; the TC PUSH implementation guide on push and poll strategies).
 * The reasoning behind the defaults is in {@code docs/client.md}.
 *
 * <p>The interval per state: {@link PushState#ACTIVE} {@link #DEFAULT_ACTIVE_INTERVAL}; {@link
 * PushState#REGISTERED_UNCONFIRMED} {@link #DEFAULT_UNCONFIRMED_INTERVAL}; every other state
 * (failing, expired, refused, not offered) {@link #DEFAULT_POLL_INTERVAL}, the application's plain
 * polling. A refresh interval the server advertises (Apple or CalConnect {@code refresh-interval})
 * caps the interval in every state: the server asks to hear from its clients at least that often.
 * Then a jitter of ±{@link #DEFAULT_JITTER} spreads clients apart, and the result is clamped to
 * [{@link Builder#minimum}, {@link Builder#maximum}] — never outside, whatever the input.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class PollingAdvisor {
  /** Default plain polling interval, when push does not work: 15 minutes. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(15);

  /** Default interval while push is registered but unconfirmed: 1 hour. */
  public static final Duration DEFAULT_UNCONFIRMED_INTERVAL = Duration.ofHours(1);

  /** Default interval while push works: 6 hours (the safety net of R-WDP-1). */
  public static final Duration DEFAULT_ACTIVE_INTERVAL = Duration.ofHours(6);

  /** Default lower bound of every recommendation: 5 minutes. */
  public static final Duration DEFAULT_MINIMUM = Duration.ofMinutes(5);

  /** Default upper bound of every recommendation: 24 hours. */
  public static final Duration DEFAULT_MAXIMUM = Duration.ofHours(24);

  /** The largest upper bound accepted: 7 days; polling never stops (R-WDP-1). */
  public static final Duration MAXIMUM_CAP = Duration.ofDays(7);

  /** The smallest lower bound accepted: 1 minute. */
  public static final Duration MINIMUM_FLOOR = Duration.ofMinutes(1);

  /** Default relative jitter: 0.1 (±10 %). */
  public static final double DEFAULT_JITTER = 0.1;

  private final Duration pollInterval;
  private final Duration unconfirmedInterval;
  private final Duration activeInterval;
  private final Duration minimum;
  private final Duration maximum;
  private final double jitter;
  private final RandomGenerator random;

  private PollingAdvisor(Builder b) {
    this.pollInterval = b.pollInterval;
    this.unconfirmedInterval = b.unconfirmedInterval;
    this.activeInterval = b.activeInterval;
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.jitter = b.jitter;
    this.random = b.random != null ? b.random : new SecureRandom();
  }

  /**
   * An advisor with the defaults.
   *
   * @return the advisor
   */
  public static PollingAdvisor defaults() {
    return builder().build();
  }

  /**
   * A builder with the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Derives the push state of a collection from what the client saw.
   *
   * @param offered whether discovery found WebDAV-Push with Web Push on it
   * @param refused whether the last registration attempt was refused with a precondition
   * @param registration the live registration, or null if none
   * @param lastMessage when the last push message for it arrived, or null
   * @param lastUnannouncedChange when polling last found a change no message had announced, or null
   * @param now the current time
   * @return the state
   */
  public static PushState assess(
      boolean offered,
      boolean refused,
      @Nullable PushRegistration registration,
      @Nullable Instant lastMessage,
      @Nullable Instant lastUnannouncedChange,
      Instant now) {
    requireNonNull(now, "now");
    if (!offered) {
      return PushState.NOT_OFFERED;
    }
    if (refused) {
      return PushState.REFUSED;
    }
    if (registration == null || registration.isExpired(now)) {
      return PushState.EXPIRED;
    }
    if (lastUnannouncedChange != null
        && (lastMessage == null || lastUnannouncedChange.isAfter(lastMessage))) {
      return PushState.FAILING;
    }
    return lastMessage != null ? PushState.ACTIVE : PushState.REGISTERED_UNCONFIRMED;
  }

  /**
   * Recommends the next poll.
   *
   * @param state the push state of the collection
   * @param lastPoll when the collection was last polled (or now, if never)
   * @param serverRefreshInterval a refresh interval the server advertises ({@link
   *     PushDiscovery#refreshInterval()}), or null
   * @return the recommendation; its interval lies within [{@link #minimum()}, {@link #maximum()}]
   */
  public Recommendation recommend(
      PushState state, Instant lastPoll, @Nullable Duration serverRefreshInterval) {
    requireNonNull(state, "state");
    requireNonNull(lastPoll, "lastPoll");
    Duration base;
    String reason;
    switch (state) {
      case ACTIVE -> {
        base = activeInterval;
        reason = "push works; polling is the safety net (R-WDP-1)";
      }
      case REGISTERED_UNCONFIRMED -> {
        base = unconfirmedInterval;
        reason = "registered, but no push message has confirmed delivery yet";
      }
      case FAILING -> {
        base = pollInterval;
        reason = "polling found changes push did not announce: poll as without push, re-register";
      }
      case EXPIRED -> {
        base = pollInterval;
        reason = "no live registration: poll as without push, register again";
      }
      case REFUSED -> {
        base = pollInterval;
        reason = "the server refused the registration: poll";
      }
      case NOT_OFFERED -> {
        base = pollInterval;
        reason = "the server offers no push here: poll";
      }
      default -> throw new IllegalStateException("unknown state " + state);
    }
    if (serverRefreshInterval != null
        && !serverRefreshInterval.isNegative()
        && !serverRefreshInterval.isZero()
        && serverRefreshInterval.compareTo(base) < 0) {
      base = serverRefreshInterval;
      reason += "; capped by the server's refresh-interval";
    }
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    long millis = (long) Math.min(Long.MAX_VALUE / 2.0, base.toMillis() * factor);
    Duration interval = clamp(Duration.ofMillis(millis));
    return new Recommendation(lastPoll.plus(interval), interval, state, reason);
  }

  private Duration clamp(Duration d) {
    if (d.compareTo(minimum) < 0) {
      return minimum;
    }
    return d.compareTo(maximum) > 0 ? maximum : d;
  }

  /**
   * The lower bound of every recommended interval.
   *
   * @return the bound
   */
  public Duration minimum() {
    return minimum;
  }

  /**
   * The upper bound of every recommended interval.
   *
   * @return the bound
   */
  public Duration maximum() {
    return maximum;
  }

  /**
   * A recommendation.
   *
   * <p>Thread safety: immutable.
   *
   * @param nextPoll when to poll next: the last poll plus {@code interval}
   * @param interval the recommended interval, within the advisor's bounds
   * @param state the state it was computed for
   * @param reason why, in words for logs and support
   */
  public record Recommendation(
      Instant nextPoll, Duration interval, PushState state, String reason) {
    /**
     * Validates.
     *
     * @param nextPoll as described on the record
     * @param interval as described on the record
     * @param state as described on the record
     * @param reason as described on the record
     */
    public Recommendation {
      requireNonNull(nextPoll, "nextPoll");
      requireNonNull(interval, "interval");
      requireNonNull(state, "state");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * Builds a {@link PollingAdvisor}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration unconfirmedInterval = DEFAULT_UNCONFIRMED_INTERVAL;
    private Duration activeInterval = DEFAULT_ACTIVE_INTERVAL;
    private Duration minimum = DEFAULT_MINIMUM;
    private Duration maximum = DEFAULT_MAXIMUM;
    private double jitter = DEFAULT_JITTER;
    private @Nullable RandomGenerator random;

    private Builder() {}

    /**
     * Sets the plain polling interval (push not working).
     *
     * @param d positive; default {@link #DEFAULT_POLL_INTERVAL}
     * @return this builder
     */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /**
     * Sets the interval while push is registered but unconfirmed.
     *
     * @param d positive; default {@link #DEFAULT_UNCONFIRMED_INTERVAL}
     * @return this builder
     */
    public Builder unconfirmedInterval(Duration d) {
      this.unconfirmedInterval = positive(d, "unconfirmedInterval");
      return this;
    }

    /**
     * Sets the interval while push works.
     *
     * @param d positive; default {@link #DEFAULT_ACTIVE_INTERVAL}
     * @return this builder
     */
    public Builder activeInterval(Duration d) {
      this.activeInterval = positive(d, "activeInterval");
      return this;
    }

    /**
     * Sets the lower bound.
     *
     * @param d {@link #MINIMUM_FLOOR} or more; default {@link #DEFAULT_MINIMUM}
     * @return this builder
     */
    public Builder minimum(Duration d) {
      positive(d, "minimum");
      if (d.compareTo(MINIMUM_FLOOR) < 0) {
        throw new IllegalArgumentException("minimum: expected at least 1 minute, got " + d);
      }
      this.minimum = d;
      return this;
    }

    /**
     * Sets the upper bound.
     *
     * @param d at most {@link #MAXIMUM_CAP}; default {@link #DEFAULT_MAXIMUM}
     * @return this builder
     */
    public Builder maximum(Duration d) {
      positive(d, "maximum");
      if (d.compareTo(MAXIMUM_CAP) > 0) {
        throw new IllegalArgumentException(
            "maximum: expected at most 7 days (polling never stops, R-WDP-1), got " + d);
      }
      this.maximum = d;
      return this;
    }

    /**
     * Sets the relative jitter.
     *
     * @param j 0 .. 0.5; default {@link #DEFAULT_JITTER}
     * @return this builder
     */
    public Builder jitter(double j) {
      if (!(j >= 0 && j <= 0.5)) {
        throw new IllegalArgumentException("jitter: expected 0 .. 0.5, got " + j);
      }
      this.jitter = j;
      return this;
    }

    /**
     * Sets the randomness of the jitter.
     *
     * @param random default a {@link SecureRandom}
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the advisor.
     *
     * @return the advisor
     * @throws IllegalArgumentException if the minimum exceeds the maximum
     */
    public PollingAdvisor build() {
      if (minimum.compareTo(maximum) > 0) {
        throw new IllegalArgumentException("minimum " + minimum + " exceeds maximum " + maximum);
      }
      return new PollingAdvisor(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected a positive duration, got " + d);
      }
      return d;
    }
  }
}
