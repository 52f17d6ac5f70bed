package dev.davpush.benchmarks.fanout;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest DAV server view the engine needs: one push-capable collection {@link #COLLECTION}
 * with a fixed topic and content and property updates supported to depth 1; members ({@link
 * #member}) are not push-capable themselves and have the collection as parent. The collection's
 * sync-token is a counter that {@link #commitChange()} advances.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class CalendarResources implements DavResources {
  /** The one push-capable collection. */
  static final String COLLECTION = "/cal/";

  /** Its topic. */
  static final Topic TOPIC = Topic.of("fanout-bench-calendar");

  private final DavResource calendar =
      new DavResource(COLLECTION, TOPIC, SupportedTriggers.of(Depth.ONE, Depth.ONE), true);
  private final AtomicLong version = new AtomicLong();

  /**
   * Records a committed change of a member: the collection's sync-token advances.
   *
   * @return the new version, which {@link #syncTokenOf(long)} turns into the token
   */
  long commitChange() {
    return version.incrementAndGet();
  }

  /** The sync-token of a version (an absolute URI, as RFC 6578 asks). */
  static String syncTokenOf(long version) {
    return "http://127.0.0.1/sync/" + version;
  }

  /** A member path of the collection. */
  static String member(long n) {
    return COLLECTION + "event-" + n + ".ics";
  }

  @Override
  public Optional<DavResource> resource(String path) {
    return COLLECTION.equals(path) ? Optional.of(calendar) : Optional.empty();
  }

  @Override
  public Optional<String> parent(String path) {
    if (path.equals(COLLECTION)) {
      return Optional.of("/");
    }
    return path.startsWith(COLLECTION) ? Optional.of(COLLECTION) : Optional.empty();
  }

  @Override
  public boolean maySubscribe(String principal, String path) {
    return true;
  }

  @Override
  public Optional<String> syncToken(String path) {
    return COLLECTION.equals(path) ? Optional.of(syncTokenOf(version.get())) : Optional.empty();
  }
}
