package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored WebDAV-Push registration: one subscription of one principal on one resource
 * (draft-bitfire-webdav-push §3), with its absolute registration URL, the effective triggers and
 * the expiry.
 *
 * <p>Identity is the {@link #id()}; the natural key is (owner, resource path, subscription id)
 * (digest ambiguity A-27).
 *
 * <p>Thread safety: immutable.
 */
public final class Registration {
  private final String id;
  private final URI registrationUrl;
  private final String resourcePath;
  private final Topic topic;
  private final String owner;
  private final Subscription subscription;
  private final List<Trigger> triggers;
  private final Instant expires;
  private final Instant created;

  private Registration(Builder b) {
    this.id = requireNonNull(b.id, "id");
    this.registrationUrl = requireNonNull(b.registrationUrl, "registrationUrl");
    this.resourcePath = requireNonNull(b.resourcePath, "resourcePath");
    this.topic = requireNonNull(b.topic, "topic");
    this.owner = requireNonNull(b.owner, "owner");
    this.subscription = requireNonNull(b.subscription, "subscription");
    this.triggers = List.copyOf(requireNonNull(b.triggers, "triggers"));
    this.expires = requireNonNull(b.expires, "expires");
    this.created = requireNonNull(b.created, "created");
    if (!registrationUrl.isAbsolute()) {
      throw new IllegalArgumentException("registrationUrl: must be absolute (R-WDP-25)");
    }
    if (triggers.isEmpty()) {
      throw new IllegalArgumentException("triggers: a registration has at least one trigger");
    }
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
   * A builder holding this registration's values, to derive an updated one.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .registrationUrl(registrationUrl)
        .resourcePath(resourcePath)
        .topic(topic)
        .owner(owner)
        .subscription(subscription)
        .triggers(triggers)
        .expires(expires)
        .created(created);
  }

  /**
   * The opaque, unguessable identifier; the last path segment of the registration URL.
   *
   * @return never empty
   */
  public String id() {
    return id;
  }

  /**
   * The absolute registration URL returned in {@code Location} (R-WDP-25).
   *
   * @return an absolute URI
   */
  public URI registrationUrl() {
    return registrationUrl;
  }

  /**
   * The server-relative path of the subscribed resource, as the server's {@link
   * dev.davpush.spi.DavResources} names it.
   *
   * @return the path
   */
  public String resourcePath() {
    return resourcePath;
  }

  /**
   * The topic of the subscribed resource at registration time.
   *
   * @return the topic
   */
  public Topic topic() {
    return topic;
  }

  /**
   * The principal that registered.
   *
   * @return the principal name as the server knows it
   */
  public String owner() {
    return owner;
  }

  /**
   * The transport-specific subscription.
   *
   * @return the subscription
   */
  public Subscription subscription() {
    return subscription;
  }

  /**
   * The effective triggers, after downgrade (R-WDP-19).
   *
   * @return one or two triggers
   */
  public List<Trigger> triggers() {
    return triggers;
  }

  /**
   * The effective expiry (R-WDP-26).
   *
   * @return the instant after which no message is sent (R-WDP-33)
   */
  public Instant expires() {
    return expires;
  }

  /**
   * When the registration was first created.
   *
   * @return the creation instant
   */
  public Instant created() {
    return created;
  }

  /**
   * Whether the registration has expired at {@code now}.
   *
   * @param now the current instant
   * @return true if {@code now} is not before {@link #expires()}
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expires);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Registration r
        && id.equals(r.id)
        && registrationUrl.equals(r.registrationUrl)
        && resourcePath.equals(r.resourcePath)
        && topic.equals(r.topic)
        && owner.equals(r.owner)
        && subscription.equals(r.subscription)
        && triggers.equals(r.triggers)
        && expires.equals(r.expires)
        && created.equals(r.created);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, expires);
  }

  /** Shows neither the registration URL nor the subscription's secrets. */
  @Override
  public String toString() {
    return "Registration[id="
        + id.substring(0, Math.min(4, id.length()))
        + "…, resourcePath="
        + resourcePath
        + ", owner="
        + owner
        + ", subscription="
        + subscription
        + ", triggers="
        + triggers
        + ", expires="
        + expires
        + "]";
  }

  /**
   * Builds a {@link Registration}; every value is required.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable URI registrationUrl;
    private @Nullable String resourcePath;
    private @Nullable Topic topic;
    private @Nullable String owner;
    private @Nullable Subscription subscription;
    private @Nullable List<Trigger> triggers;
    private @Nullable Instant expires;
    private @Nullable Instant created;

    private Builder() {}

    /**
     * Sets the identifier.
     *
     * @param id the identifier
     * @return this builder
     */
    public Builder id(String id) {
      this.id = requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the absolute registration URL.
     *
     * @param registrationUrl the absolute registration URL
     * @return this builder
     */
    public Builder registrationUrl(URI registrationUrl) {
      this.registrationUrl = requireNonNull(registrationUrl, "registrationUrl");
      return this;
    }

    /**
     * Sets the subscribed resource's path.
     *
     * @param resourcePath the subscribed resource's path
     * @return this builder
     */
    public Builder resourcePath(String resourcePath) {
      this.resourcePath = requireNonNull(resourcePath, "resourcePath");
      return this;
    }

    /**
     * Sets the resource's topic.
     *
     * @param topic the resource's topic
     * @return this builder
     */
    public Builder topic(Topic topic) {
      this.topic = requireNonNull(topic, "topic");
      return this;
    }

    /**
     * Sets the registering principal.
     *
     * @param owner the registering principal
     * @return this builder
     */
    public Builder owner(String owner) {
      this.owner = requireNonNull(owner, "owner");
      return this;
    }

    /**
     * Sets the subscription.
     *
     * @param subscription the subscription
     * @return this builder
     */
    public Builder subscription(Subscription subscription) {
      this.subscription = requireNonNull(subscription, "subscription");
      return this;
    }

    /**
     * Sets the effective triggers; copied.
     *
     * @param triggers the effective triggers; copied
     * @return this builder
     */
    public Builder triggers(List<Trigger> triggers) {
      this.triggers = List.copyOf(requireNonNull(triggers, "triggers"));
      return this;
    }

    /**
     * Sets the effective expiry.
     *
     * @param expires the effective expiry
     * @return this builder
     */
    public Builder expires(Instant expires) {
      this.expires = requireNonNull(expires, "expires");
      return this;
    }

    /**
     * Sets the creation instant.
     *
     * @param created the creation instant
     * @return this builder
     */
    public Builder created(Instant created) {
      this.created = requireNonNull(created, "created");
      return this;
    }

    /**
     * Builds the registration.
     *
     * @return the registration
     * @throws NullPointerException if a value is missing
     * @throws IllegalArgumentException if the URL is relative or there is no trigger
     */
    public Registration build() {
      return new Registration(this);
    }
  }
}
