package dev.davpush.testkit.engine;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal {@link DavResources}: push-capable collections added by path, parents by cutting the
 * last segment, every principal may subscribe to every known collection.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class Calendars implements DavResources {
  private final Map<String, DavResource> collections = new ConcurrentHashMap<>();

  /** Adds a push-capable collection ({@code /cal/work/}) with a random topic. */
  Calendars collection(String path) {
    collections.put(
        path,
        new DavResource(
            path, Topic.random(), SupportedTriggers.of(Depth.INFINITY, Depth.INFINITY), true));
    return this;
  }

  @Override
  public Optional<DavResource> resource(String path) {
    return Optional.ofNullable(collections.get(path));
  }

  @Override
  public Optional<String> parent(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return p.isEmpty() || slash < 0 ? Optional.empty() : Optional.of(p.substring(0, slash + 1));
  }

  @Override
  public boolean maySubscribe(String principal, String path) {
    return collections.containsKey(path);
  }

  @Override
  public Optional<String> syncToken(String path) {
    return Optional.of("http://127.0.0.1/sync/" + Math.abs(path.hashCode()));
  }
}
