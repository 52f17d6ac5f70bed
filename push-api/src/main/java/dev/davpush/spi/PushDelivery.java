package dev.davpush.spi;

import static java.util.Objects.requireNonNull;

import dev.davpush.Subscription;
import dev.davpush.Urgency;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One push message to one subscription, as handed to a {@link PushTransport}: the payload (not yet
 * encrypted) and the RFC 8030 §5 delivery options.
 *
 * <p>Thread safety: immutable.
 */
public final class PushDelivery {
  /** Default {@link #ttl()}: one day (digest ambiguity A-7: a TTL is always sent). */
  public static final Duration DEFAULT_TTL = Duration.ofDays(1);

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final Subscription subscription;
  private final byte[] payload;
  private final Duration ttl;
  private final Urgency urgency;
  private final @Nullable String topic;

  private PushDelivery(Builder b) {
    this.subscription = requireNonNull(b.subscription, "subscription");
    this.payload = requireNonNull(b.payload, "payload");
    this.ttl = b.ttl;
    this.urgency = b.urgency;
    this.topic = b.topic;
  }

  /**
   * A new builder.
   *
   * @param subscription the recipient
   * @param payload the plaintext payload; copied
   * @return a builder with the defaults
   */
  public static Builder builder(Subscription subscription, byte[] payload) {
    return new Builder(subscription, payload);
  }

  /**
   * The recipient.
   *
   * @return the subscription
   */
  public Subscription subscription() {
    return subscription;
  }

  /**
   * The plaintext payload.
   *
   * @return a fresh copy
   */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The payload length without copying.
   *
   * @return length in bytes
   */
  public int payloadLength() {
    return payload.length;
  }

  /**
   * The RFC 8030 §5.2 time to live, sent in whole seconds in the {@code TTL} header.
   *
   * @return ≥ 0 seconds
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * The RFC 8030 §5.3 urgency.
   *
   * @return the urgency; {@link Urgency#NORMAL} by default
   */
  public Urgency urgency() {
    return urgency;
  }

  /**
   * The RFC 8030 §5.4 {@code Topic} header (replaces undelivered messages with the same value); not
   * the WebDAV-Push topic.
   *
   * @return empty when no {@code Topic} header is sent
   */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * Builds a {@link PushDelivery}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private final Subscription subscription;
    private final byte[] payload;
    private Duration ttl = DEFAULT_TTL;
    private Urgency urgency = Urgency.NORMAL;
    private @Nullable String topic;

    private Builder(Subscription subscription, byte[] payload) {
      this.subscription = requireNonNull(subscription, "subscription");
      this.payload = requireNonNull(payload, "payload").clone();
    }

    /**
     * Sets the time to live; default {@link PushDelivery#DEFAULT_TTL}.
     *
     * @param ttl ≥ 0; sub-second parts are dropped
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder ttl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl: expected >= 0 seconds, got " + ttl);
      }
      this.ttl = Duration.ofSeconds(ttl.getSeconds());
      return this;
    }

    /**
     * Sets the urgency; default {@link Urgency#NORMAL}.
     *
     * @param urgency the urgency
     * @return this builder
     */
    public Builder urgency(Urgency urgency) {
      this.urgency = requireNonNull(urgency, "urgency");
      return this;
    }

    /**
     * Sets the RFC 8030 {@code Topic} header; default none.
     *
     * @param topic 1 to 32 characters of {@code [A-Za-z0-9_-]}, or null for none
     * @return this builder
     * @throws IllegalArgumentException if the value breaks RFC 8030 §5.4
     */
    public Builder topic(@Nullable String topic) {
      if (topic != null && !TOPIC.matcher(topic).matches()) {
        throw new IllegalArgumentException(
            "topic: RFC 8030 requires 1..32 characters of [A-Za-z0-9_-]");
      }
      this.topic = topic;
      return this;
    }

    /**
     * Builds the delivery.
     *
     * @return the delivery
     */
    public PushDelivery build() {
      return new PushDelivery(this);
    }
  }
}
