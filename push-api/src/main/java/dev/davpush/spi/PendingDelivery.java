package dev.davpush.spi;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.Urgency;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One push message waiting to be sent to one push resource: the value the engine hands to a {@link
 * DeliveryQueue} between coalescing and sending (architecture, "The dispatch pipeline", stage 4).
 * It is everything a durable queue must persist; {@link #serialize()} gives its stable text form
 * and {@link #parse(String)} reads it back.
 *
 * <p>The engine re-reads the registration by {@link #registrationId()} before every attempt, so an
 * attempt uses the newest key material (digest ambiguity A-26) and is dropped once the registration
 * is gone or expired (R-WDP-33).
 *
 * <p>Two waiting deliveries with the same {@link #coalescingKey()} (push resource and WebDAV-Push
 * topic) are one message: a queue merges a new one into the waiting one (R-WDP-43; see {@link
 * DeliveryQueue#offer}). The {@link #idempotencyKey()} names one message as sent: a retry keeps it,
 * a merge into a waiting delivery keeps the waiting one's, so a duplicate sent by an at-least-once
 * queue carries the same key.
 *
 * <p>Thread safety: immutable.
 */
public final class PendingDelivery {
  /** The first line of the serialised form, naming its version. */
  public static final String FORMAT = "davpush-pending-delivery/1";

  private static final Comparator<PropertyName> PROPERTY_ORDER =
      Comparator.comparing(PropertyName::namespaceUri).thenComparing(PropertyName::localName);

  private final String registrationId;
  private final String subscriptionId;
  private final PushMessage message;
  private final Urgency urgency;
  private final int attempt;
  private final Instant notBefore;
  private final Instant deadline;
  private final String idempotencyKey;

  private PendingDelivery(Builder b) {
    this.registrationId = requireNonNull(b.registrationId, "registrationId");
    this.subscriptionId = requireNonNull(b.subscriptionId, "subscriptionId");
    this.message = requireNonNull(b.message, "message");
    this.urgency = b.urgency;
    this.attempt = b.attempt;
    this.notBefore = requireNonNull(b.notBefore, "notBefore");
    this.deadline = requireNonNull(b.deadline, "deadline");
    this.idempotencyKey = requireNonNull(b.idempotencyKey, "idempotencyKey");
  }

  /**
   * A new builder.
   *
   * @return a builder; attempt 1, urgency {@link Urgency#NORMAL}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this delivery's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.registrationId = registrationId;
    b.subscriptionId = subscriptionId;
    b.message = message;
    b.urgency = urgency;
    b.attempt = attempt;
    b.notBefore = notBefore;
    b.deadline = deadline;
    b.idempotencyKey = idempotencyKey;
    return b;
  }

  /**
   * The registration the message goes to (the first of its coalesced group).
   *
   * @return the registration id
   */
  public String registrationId() {
    return registrationId;
  }

  /**
   * The push resource's transport-specific id ({@link dev.davpush.Subscription#id()}); a
   * capability, never logged whole.
   *
   * @return the subscription id
   */
  public String subscriptionId() {
    return subscriptionId;
  }

  /**
   * The push message, not yet encoded.
   *
   * @return the message
   */
  public PushMessage message() {
    return message;
  }

  /**
   * The RFC 8030 §5.3 urgency the message is sent with.
   *
   * @return the urgency
   */
  public Urgency urgency() {
    return urgency;
  }

  /**
   * The number of the next attempt.
   *
   * @return ≥ 1; 1 for the first
   */
  public int attempt() {
    return attempt;
  }

  /**
   * The earliest instant of the next attempt.
   *
   * @return the instant
   */
  public Instant notBefore() {
    return notBefore;
  }

  /**
   * The instant after which the message is not sent any more: its creation plus its TTL. The {@code
   * TTL} header of an attempt is the time left until it.
   *
   * @return the instant
   */
  public Instant deadline() {
    return deadline;
  }

  /**
   * The key naming this message as sent; kept by retries and by merges into it.
   *
   * @return 1 to 64 characters of {@code [A-Za-z0-9_-]}
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /**
   * The key under which waiting deliveries are merged: the push resource and the WebDAV-Push topic
   * (none for a key-rotation message).
   *
   * @return {@code subscriptionId + "\n" + topic}; a capability, never logged
   */
  public String coalescingKey() {
    return subscriptionId + "\n" + message.topic().map(Topic::value).orElse("");
  }

  /**
   * This delivery for its next attempt.
   *
   * @param notBefore the earliest instant of that attempt
   * @return a copy with {@code attempt + 1} and the new not-before instant
   */
  public PendingDelivery next(Instant notBefore) {
    return toBuilder().attempt(attempt + 1).notBefore(notBefore).build();
  }

  /**
   * This waiting delivery with a later one for the same {@link #coalescingKey()} merged in
   * (R-WDP-43): the message is {@link PushMessage#merge merged} (newest sync-token, property
   * updates united), the deadline is the later of the two, and registration, attempt, not-before
   * and idempotency key stay this one's.
   *
   * @param later a delivery with the same coalescing key
   * @return the merged delivery
   * @throws IllegalArgumentException if the coalescing keys differ
   */
  public PendingDelivery mergedWith(PendingDelivery later) {
    requireNonNull(later, "later");
    if (!coalescingKey().equals(later.coalescingKey())) {
      throw new IllegalArgumentException(
          "mergedWith: deliveries of different push resources or topics cannot be merged");
    }
    return toBuilder()
        .message(message.merge(later.message))
        .deadline(later.deadline.isAfter(deadline) ? later.deadline : deadline)
        .urgency(urgency.compareTo(later.urgency) >= 0 ? urgency : later.urgency)
        .build();
  }

  /**
   * The stable text form: the line {@value #FORMAT}, then one {@code name=value} line per part,
   * values percent-encoded (UTF-8). Instants are ISO-8601 in UTC. Parts that are absent are
   * omitted; property names are listed by namespace URI, then local name, so equal deliveries have
   * the same form. The form contains the subscription id, a capability: store it as a secret.
   *
   * @return the serialised form; {@link #parse(String)} reads it back to an equal value whose form
   *     is the same
   */
  public String serialize() {
    StringBuilder s = new StringBuilder(256).append(FORMAT).append('\n');
    line(s, "registration", registrationId);
    line(s, "subscription", subscriptionId);
    line(s, "urgency", urgency.token());
    line(s, "attempt", Integer.toString(attempt));
    line(s, "not-before", notBefore.toString());
    line(s, "deadline", deadline.toString());
    line(s, "idempotency-key", idempotencyKey);
    message.topic().ifPresent(t -> line(s, "topic", t.value()));
    message
        .contentUpdate()
        .ifPresent(c -> line(s, "content-update", c.syncTokenValue().map(v -> "=" + v).orElse("")));
    message
        .propertyUpdate()
        .ifPresent(
            p -> {
              line(s, "property-update", Integer.toString(p.properties().size()));
              // a set's iteration order varies with how it was built: sort for a stable form
              List<PropertyName> sorted = new ArrayList<>(p.properties());
              sorted.sort(PROPERTY_ORDER);
              for (PropertyName n : sorted) {
                line(s, "property", enc(n.namespaceUri()) + " " + enc(n.localName()));
              }
            });
    return s.toString();
  }

  /**
   * Reads the form {@link #serialize()} writes.
   *
   * @param text the serialised form
   * @return the delivery
   * @throws IllegalArgumentException if the text is not that form (names the line or part)
   */
  public static PendingDelivery parse(String text) {
    requireNonNull(text, "text");
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].equals(FORMAT)) {
      throw new IllegalArgumentException("pending delivery: expected first line " + FORMAT);
    }
    Map<String, String> parts = new LinkedHashMap<>();
    List<PropertyName> properties = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("pending delivery: line " + (i + 1) + " has no name");
      }
      String name = l.substring(0, eq);
      String value = dec(l.substring(eq + 1));
      if (name.equals("property")) {
        String[] nl = value.split(" ", -1);
        if (nl.length != 2) {
          throw new IllegalArgumentException(
              "pending delivery: line " + (i + 1) + " is not 'property=namespace local'");
        }
        properties.add(PropertyName.of(dec(nl[0]), dec(nl[1])));
      } else if (parts.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("pending delivery: part '" + name + "' repeated");
      }
    }
    try {
      PushMessage.Builder m = PushMessage.builder();
      String topic = parts.get("topic");
      if (topic != null) {
        m.topic(Topic.of(topic));
      }
      String content = parts.get("content-update");
      if (content != null) {
        m.contentUpdate(
            new PushMessage.ContentUpdate(content.startsWith("=") ? content.substring(1) : null));
      }
      String props = parts.get("property-update");
      if (props != null) {
        if (Integer.parseInt(props) != properties.size()) {
          throw new IllegalArgumentException(
              "pending delivery: property-update announces "
                  + props
                  + " properties, found "
                  + properties.size());
        }
        m.propertyUpdate(new PushMessage.PropertyUpdate(new LinkedHashSet<>(properties)));
      } else if (!properties.isEmpty()) {
        throw new IllegalArgumentException("pending delivery: property without property-update");
      }
      return builder()
          .registrationId(required(parts, "registration"))
          .subscriptionId(required(parts, "subscription"))
          .urgency(Urgency.parse(required(parts, "urgency")))
          .attempt(Integer.parseInt(required(parts, "attempt")))
          .notBefore(Instant.parse(required(parts, "not-before")))
          .deadline(Instant.parse(required(parts, "deadline")))
          .idempotencyKey(required(parts, "idempotency-key"))
          .message(m.build())
          .build();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("pending delivery: " + e.getMessage(), e);
    }
  }

  private static String required(Map<String, String> parts, String name) {
    String v = parts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("pending delivery: part '" + name + "' missing");
    }
    return v;
  }

  private static void line(StringBuilder s, String name, String value) {
    s.append(name).append('=').append(enc(value)).append('\n');
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private static String dec(String v) {
    return URLDecoder.decode(v, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PendingDelivery p
        && registrationId.equals(p.registrationId)
        && subscriptionId.equals(p.subscriptionId)
        && message.equals(p.message)
        && urgency == p.urgency
        && attempt == p.attempt
        && notBefore.equals(p.notBefore)
        && deadline.equals(p.deadline)
        && idempotencyKey.equals(p.idempotencyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registrationId, subscriptionId, message, attempt, notBefore, deadline);
  }

  /** Shows no capability: the registration id and push resource are abbreviated. */
  @Override
  public String toString() {
    return "PendingDelivery[registration="
        + registrationId.substring(0, Math.min(4, registrationId.length()))
        + "…, attempt="
        + attempt
        + ", urgency="
        + urgency.token()
        + ", notBefore="
        + notBefore
        + ", deadline="
        + deadline
        + ", key="
        + idempotencyKey
        + ", message="
        + message
        + "]";
  }

  /**
   * Builds a {@link PendingDelivery}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private static final java.util.regex.Pattern KEY =
        java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private @Nullable String registrationId;
    private @Nullable String subscriptionId;
    private @Nullable PushMessage message;
    private Urgency urgency = Urgency.NORMAL;
    private int attempt = 1;
    private @Nullable Instant notBefore;
    private @Nullable Instant deadline;
    private @Nullable String idempotencyKey;

    private Builder() {}

    /**
     * Sets the registration id (required).
     *
     * @param id the id of the registration the message goes to
     * @return this builder
     */
    public Builder registrationId(String id) {
      this.registrationId = requireNonNull(id, "registrationId");
      return this;
    }

    /**
     * Sets the push resource's subscription id (required).
     *
     * @param id {@link dev.davpush.Subscription#id()} of the registration's subscription
     * @return this builder
     */
    public Builder subscriptionId(String id) {
      this.subscriptionId = requireNonNull(id, "subscriptionId");
      return this;
    }

    /**
     * Sets the message (required).
     *
     * @param message the push message
     * @return this builder
     */
    public Builder message(PushMessage message) {
      this.message = requireNonNull(message, "message");
      return this;
    }

    /**
     * Sets the urgency; default {@link Urgency#NORMAL}.
     *
     * @param urgency the RFC 8030 urgency
     * @return this builder
     */
    public Builder urgency(Urgency urgency) {
      this.urgency = requireNonNull(urgency, "urgency");
      return this;
    }

    /**
     * Sets the number of the next attempt; default 1.
     *
     * @param attempt ≥ 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt: expected >= 1, got " + attempt);
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * Sets the earliest instant of the next attempt (required).
     *
     * @param notBefore the instant
     * @return this builder
     */
    public Builder notBefore(Instant notBefore) {
      this.notBefore = requireNonNull(notBefore, "notBefore");
      return this;
    }

    /**
     * Sets the deadline (required): creation plus TTL.
     *
     * @param deadline the instant after which the message is not sent
     * @return this builder
     */
    public Builder deadline(Instant deadline) {
      this.deadline = requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * Sets the idempotency key (required).
     *
     * @param key 1 to 64 characters of {@code [A-Za-z0-9_-]}
     * @return this builder
     * @throws IllegalArgumentException if the key breaks that shape
     */
    public Builder idempotencyKey(String key) {
      requireNonNull(key, "idempotencyKey");
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "idempotencyKey: expected 1..64 characters of [A-Za-z0-9_-], got "
                + key.length()
                + " characters");
      }
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Builds the delivery.
     *
     * @return the delivery
     * @throws NullPointerException if a required part is missing (named in the message)
     */
    public PendingDelivery build() {
      return new PendingDelivery(this);
    }
  }
}
