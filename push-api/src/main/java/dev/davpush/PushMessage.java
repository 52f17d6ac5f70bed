package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The content of a WebDAV-Push {@code push-message} (draft-bitfire-webdav-push §4.1, R-WDP-35): the
 * topic of the resource, and a content update (with the sync-token after the change) and/or a
 * property update. The VAPID key-rotation message (§6.2.1, R-WDP-55) has no topic and a property
 * update naming {@code transports}.
 *
 * <p>Thread safety: immutable.
 */
public final class PushMessage {
  private final @Nullable Topic topic;
  private final @Nullable ContentUpdate contentUpdate;
  private final @Nullable PropertyUpdate propertyUpdate;

  private PushMessage(Builder b) {
    this.topic = b.topic;
    this.contentUpdate = b.contentUpdate;
    this.propertyUpdate = b.propertyUpdate;
  }

  /**
   * A content-update message.
   *
   * @param topic the topic of the subscribed resource
   * @param syncToken the {@code DAV:sync-token} after the change, or null if the resource has none
   * @return the message
   */
  public static PushMessage contentUpdate(Topic topic, @Nullable String syncToken) {
    return builder().topic(topic).contentUpdate(new ContentUpdate(syncToken)).build();
  }

  /**
   * The VAPID key-rotation message: no topic, a property update naming {@code
   * {https://bitfire.at/webdav-push}transports} (R-WDP-55).
   *
   * @param transportsProperty the qualified name of the {@code transports} property
   * @return the message
   */
  public static PushMessage keyRotation(PropertyName transportsProperty) {
    return builder().propertyUpdate(new PropertyUpdate(Set.of(transportsProperty))).build();
  }

  /**
   * A new builder.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this message's parts.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topic = topic;
    b.contentUpdate = contentUpdate;
    b.propertyUpdate = propertyUpdate;
    return b;
  }

  /**
   * The topic.
   *
   * @return empty only for key-rotation messages
   */
  public Optional<Topic> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * The content update.
   *
   * @return empty if the message reports no content update
   */
  public Optional<ContentUpdate> contentUpdate() {
    return Optional.ofNullable(contentUpdate);
  }

  /**
   * The property update.
   *
   * @return empty if the message reports no property update
   */
  public Optional<PropertyUpdate> propertyUpdate() {
    return Optional.ofNullable(propertyUpdate);
  }

  /**
   * Whether this is a VAPID key-rotation message: no topic, and a property update.
   *
   * @return true for key rotation
   */
  public boolean isKeyRotation() {
    return topic == null && propertyUpdate != null;
  }

  /**
   * Merges a later message for the same topic into this one without losing meaning (R-WDP-43): the
   * later sync-token wins; property updates are united.
   *
   * @param later a message for the same topic, sent after this one
   * @return the combined message
   * @throws IllegalArgumentException if the topics differ
   */
  public PushMessage merge(PushMessage later) {
    requireNonNull(later, "later");
    if (!Objects.equals(topic, later.topic)) {
      throw new IllegalArgumentException("merge: messages of different topics cannot be merged");
    }
    Builder b = toBuilder();
    if (later.contentUpdate != null) {
      b.contentUpdate(later.contentUpdate);
    }
    if (later.propertyUpdate != null) {
      if (propertyUpdate == null) {
        b.propertyUpdate(later.propertyUpdate);
      } else {
        Set<PropertyName> all = new LinkedHashSet<>(propertyUpdate.properties());
        all.addAll(later.propertyUpdate.properties());
        b.propertyUpdate(new PropertyUpdate(all));
      }
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PushMessage m
        && Objects.equals(topic, m.topic)
        && Objects.equals(contentUpdate, m.contentUpdate)
        && Objects.equals(propertyUpdate, m.propertyUpdate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, contentUpdate, propertyUpdate);
  }

  /**
   * The message's shape only: the content is the end-to-end encrypted payload and is never printed.
   */
  @Override
  public String toString() {
    return "PushMessage[topic="
        + (topic == null ? "absent" : "[redacted]")
        + ", contentUpdate="
        + (contentUpdate == null
            ? "absent"
            : contentUpdate.syncToken() == null ? "present" : "with sync-token [redacted]")
        + ", propertyUpdate="
        + (propertyUpdate == null ? "absent" : propertyUpdate.properties().size() + " properties")
        + "]";
  }

  /**
   * The {@code content-update} of a push message.
   *
   * @param syncToken the {@code DAV:sync-token} after the change (R-WDP-36), or null
   *     <p>Thread safety: immutable.
   */
  public record ContentUpdate(@Nullable String syncToken) {
    /** Does not print the sync-token: it is part of the encrypted payload. */
    @Override
    public String toString() {
      return "ContentUpdate[syncToken=" + (syncToken == null ? "absent" : "[redacted]") + "]";
    }

    /**
     * The sync-token.
     *
     * @return empty if the message carries none
     */
    public Optional<String> syncTokenValue() {
      return Optional.ofNullable(syncToken);
    }
  }

  /**
   * The {@code property-update} of a push message: normally empty (R-WDP-37); lists {@code
   * transports} in a key-rotation message.
   *
   * @param properties the changed properties, possibly empty; copied
   *     <p>Thread safety: immutable.
   */
  public record PropertyUpdate(Set<PropertyName> properties) {
    /**
     * Copies the set.
     *
     * @param properties as described on the record
     */
    public PropertyUpdate {
      properties = Set.copyOf(requireNonNull(properties, "properties"));
    }

    /** An empty property update. */
    public PropertyUpdate() {
      this(Set.of());
    }
  }

  /**
   * Builds a {@link PushMessage}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private @Nullable Topic topic;
    private @Nullable ContentUpdate contentUpdate;
    private @Nullable PropertyUpdate propertyUpdate;

    private Builder() {}

    /**
     * Sets the topic.
     *
     * @param topic the topic, or null for a key-rotation message
     * @return this builder
     */
    public Builder topic(@Nullable Topic topic) {
      this.topic = topic;
      return this;
    }

    /**
     * Sets the content update.
     *
     * @param contentUpdate the content update, or null for none
     * @return this builder
     */
    public Builder contentUpdate(@Nullable ContentUpdate contentUpdate) {
      this.contentUpdate = contentUpdate;
      return this;
    }

    /**
     * Sets the property update.
     *
     * @param propertyUpdate the property update, or null for none
     * @return this builder
     */
    public Builder propertyUpdate(@Nullable PropertyUpdate propertyUpdate) {
      this.propertyUpdate = propertyUpdate;
      return this;
    }

    /**
     * Builds the message.
     *
     * @return the message; any combination of parts is allowed so that readers can represent what
     *     peers send
     */
    public PushMessage build() {
      return new PushMessage(this);
    }
  }
}
