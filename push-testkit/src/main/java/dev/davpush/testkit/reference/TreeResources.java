package dev.davpush.testkit.reference;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import java.util.Optional;

/**
 * The engine's view of the reference server's tree: every collection is push-capable with content
 * updates to depth 1 and property updates at depth 0, and has a random topic of its own, fixed
 * until the collection is deleted (kept in a {@link CollectionTopics}); members are not
 * push-capable; every authenticated principal may subscribe.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class TreeResources implements DavResources {
  /** What every collection supports: content depth 1, property depth 0. */
  static final SupportedTriggers SUPPORTED = SupportedTriggers.of(Depth.ONE, Depth.ZERO);

  private final DavTree tree;
  private final CollectionTopics topics;

  TreeResources(DavTree tree, CollectionTopics topics) {
    this.tree = tree;
    this.topics = topics;
  }

  @Override
  public Optional<DavResource> resource(String path) {
    String canonical = tree.collectionPath(path);
    if (canonical == null) {
      return Optional.empty();
    }
    return Optional.of(new DavResource(canonical, topic(canonical), SUPPORTED, true));
  }

  @Override
  public Optional<String> parent(String path) {
    String p = DavTree.parentPath(path);
    return p.isEmpty() ? Optional.empty() : Optional.of(p);
  }

  @Override
  public boolean maySubscribe(String principal, String path) {
    return !principal.isEmpty();
  }

  @Override
  public Optional<String> syncToken(String path) {
    return Optional.ofNullable(tree.collectionSyncToken(path));
  }

  private Topic topic(String canonicalPath) {
    return topics.topic(canonicalPath);
  }

  /**
   * Forgets the topics of a deleted collection and everything below it.
   *
   * @param canonicalPath the deleted collection's path
   * @return the collection's topic, if it had one
   */
  Optional<Topic> forget(String canonicalPath) {
    return topics.forget(canonicalPath);
  }
}
