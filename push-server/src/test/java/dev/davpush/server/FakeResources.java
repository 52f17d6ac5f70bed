package dev.davpush.server;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory resource tree: paths like {@code /cal/alice/work/}; parents by cutting segments. */
class FakeResources implements DavResources {
  final Map<String, DavResource> resources = new ConcurrentHashMap<>();
  final Map<String, Set<String>> allowed = new ConcurrentHashMap<>();
  final Map<String, String> syncTokens = new ConcurrentHashMap<>();
  final List<Thread> callers = new CopyOnWriteArrayList<>();

  DavResource collection(String path, SupportedTriggers triggers) {
    DavResource r = new DavResource(path, Topic.random(), triggers, true);
    resources.put(path, r);
    return r;
  }

  DavResource collection(String path) {
    return collection(path, SupportedTriggers.of(Depth.INFINITY, Depth.INFINITY));
  }

  DavResource file(String path) {
    DavResource r =
        new DavResource(
            path, Topic.random(), SupportedTriggers.of(Depth.INFINITY, Depth.ONE), false);
    resources.put(path, r);
    return r;
  }

  FakeResources allow(String principal, String... paths) {
    allowed.computeIfAbsent(principal, p -> ConcurrentHashMap.newKeySet()).addAll(List.of(paths));
    return this;
  }

  @Override
  public Optional<DavResource> resource(String path) {
    callers.add(Thread.currentThread());
    return Optional.ofNullable(resources.get(path));
  }

  @Override
  public Optional<String> parent(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    if (p.isEmpty() || slash < 0) {
      return Optional.empty();
    }
    return Optional.of(p.substring(0, slash + 1));
  }

  @Override
  public boolean maySubscribe(String principal, String path) {
    return allowed.getOrDefault(principal, Set.of()).contains(path);
  }

  @Override
  public Optional<String> syncToken(String path) {
    return Optional.ofNullable(syncTokens.get(path));
  }
}
