package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.Topic;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A committed change of a WebDAV resource, as the DAV server reports it to {@link
 * PushEngine#publish}: which resource, what kind of change, who made it, and which registrations
 * asked not to be notified ({@code Push-Dont-Notify}, R-WDP-38..42).
 *
 * <p>Thread safety: immutable.
 */
public final class Change {
  private final String path;
  private final boolean content;
  private final @Nullable Set<PropertyName> properties;
  private final @Nullable String principal;
  private final Set<URI> dontNotify;
  private final boolean dontNotifyAll;
  private final @Nullable Topic deletedTopic;
  private final Importance importance;

  private Change(Builder b) {
    this.path = b.path;
    this.content = b.content;
    this.properties = b.properties == null ? null : Set.copyOf(b.properties);
    this.principal = b.principal;
    this.dontNotify = Set.copyOf(b.dontNotify);
    this.dontNotifyAll = b.dontNotifyAll;
    this.deletedTopic = b.deletedTopic;
    this.importance = b.importance;
  }

  /**
   * How much a change matters to the clients that watch it: the engine maps it to the RFC 8030
   * {@code Urgency} of the message (R-WDP-61) and to how long coalescing may hold it back (the TC
   * PUSH implementation guide: push and poll by load and importance).
   *
   * <p>Thread safety: immutable.
   */
  public enum Importance {
    /**
     * A change nobody waits for (a holiday calendar, a bulk import): {@code Urgency: low}; held
     * back for the whole coalescing window.
     */
    LOW,
    /**
     * The default: the engine's default urgency ({@code normal} unless configured); the first
     * change of a burst goes out at once, later ones at the end of the coalescing window.
     */
    NORMAL,
    /**
     * A change a user should see at once (an event with an alarm in the next 15 minutes, a new
     * meeting invitation): {@code Urgency: high}; never held back by coalescing.
     */
    HIGH
  }

  /**
   * A content update of the resource at {@code path}: a member (or the resource) was added, changed
   * or removed (R-WDP-16). Deleting a resource is a content update (R-WDP-23).
   *
   * @param path the server-relative path of the changed resource
   * @return a builder
   */
  public static Builder contentUpdate(String path) {
    return new Builder(path, true, null);
  }

  /**
   * A property update of the resource at {@code path} (R-WDP-21).
   *
   * @param path the server-relative path of the changed resource
   * @param properties the changed properties; copied
   * @return a builder
   */
  public static Builder propertyUpdate(String path, Set<PropertyName> properties) {
    return new Builder(path, false, requireNonNull(properties, "properties"));
  }

  /**
   * The changed resource.
   *
   * @return the server-relative path
   */
  public String path() {
    return path;
  }

  /**
   * Whether this is a content update.
   *
   * @return true for content updates
   */
  public boolean isContentUpdate() {
    return content;
  }

  /**
   * The changed properties of a property update.
   *
   * @return empty for content updates
   */
  public Optional<Set<PropertyName>> properties() {
    return Optional.ofNullable(properties);
  }

  /**
   * The principal that made the change; {@code Push-Dont-Notify} only applies to that principal's
   * registrations (R-WDP-62).
   *
   * @return empty if unknown
   */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /**
   * The registration URLs named in {@code Push-Dont-Notify}.
   *
   * @return possibly empty
   */
  public Set<URI> dontNotify() {
    return dontNotify;
  }

  /**
   * Whether {@code Push-Dont-Notify: *} was sent.
   *
   * @return true for {@code *}
   */
  public boolean dontNotifyAll() {
    return dontNotifyAll;
  }

  /**
   * The topic the changed resource had, when it no longer exists.
   *
   * @return empty unless set with {@link Builder#deletedTopic(Topic)}
   */
  public Optional<Topic> deletedTopic() {
    return Optional.ofNullable(deletedTopic);
  }

  /**
   * How much the change matters.
   *
   * @return {@link Importance#NORMAL} unless the server said otherwise
   */
  public Importance importance() {
    return importance;
  }

  /**
   * Builds a {@link Change}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private final String path;
    private final boolean content;
    private final @Nullable Set<PropertyName> properties;
    private @Nullable String principal;
    private final Set<URI> dontNotify = new LinkedHashSet<>();
    private boolean dontNotifyAll;
    private @Nullable Topic deletedTopic;
    private Importance importance = Importance.NORMAL;

    private Builder(String path, boolean content, @Nullable Set<PropertyName> properties) {
      this.path = requireNonNull(path, "path");
      this.content = content;
      this.properties = properties;
    }

    /**
     * Sets the principal that made the change.
     *
     * @param principal the principal name, or null if unknown
     * @return this builder
     */
    public Builder principal(@Nullable String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Adds registration URLs from {@code Push-Dont-Notify}.
     *
     * @param registrationUrls absolute URLs as the client echoed them
     * @return this builder
     */
    public Builder dontNotify(Set<URI> registrationUrls) {
      for (URI u : requireNonNull(registrationUrls, "registrationUrls")) {
        dontNotify.add(requireNonNull(u, "registrationUrls element"));
      }
      return this;
    }

    /**
     * Records {@code Push-Dont-Notify: *}.
     *
     * @param all true if {@code *} was sent
     * @return this builder
     */
    public Builder dontNotifyAll(boolean all) {
      this.dontNotifyAll = all;
      return this;
    }

    /**
     * Records the topic of a resource that was deleted by this change, so that registrations on the
     * deleted resource itself still get the content update (R-WDP-23). The engine looks the changed
     * path up in {@link dev.davpush.spi.DavResources} only later, on its own threads, when a
     * deleted resource is usually gone; without this topic only the registrations on its ancestors
     * are reached. Ignored while {@code DavResources} still knows the path.
     *
     * @param topic the topic the deleted resource had, or null
     * @return this builder
     */
    public Builder deletedTopic(@Nullable Topic topic) {
      this.deletedTopic = topic;
      return this;
    }

    /**
     * Sets how much the change matters; default {@link Importance#NORMAL}.
     *
     * @param importance the importance
     * @return this builder
     */
    public Builder importance(Importance importance) {
      this.importance = requireNonNull(importance, "importance");
      return this;
    }

    /**
     * Builds the change.
     *
     * @return the change
     */
    public Change build() {
      return new Change(this);
    }
  }
}
