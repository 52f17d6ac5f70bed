package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import dev.davpush.Topic;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where the {@link ReferenceServer} keeps the topic of each collection: a random topic given at
 * first use and kept until the collection is deleted, one per collection (draft §2.1, R-WDP-8). The
 * default keeps them in memory; a server whose registrations outlive it (the kit's {@code serve
 * --jdbc-url}) keeps them where its registrations are, so that a restarted server matches its
 * changes to the registrations made before.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface CollectionTopics {
  /**
   * The topic of a collection, created at the first call for its path.
   *
   * @param canonicalPath the collection's canonical path, ending in {@code /}
   * @return the same topic on every call until {@link #forget} forgets it
   * @throws dev.davpush.PushException if the topic cannot be read or stored
   */
  Topic topic(String canonicalPath);

  /**
   * Forgets the topics of a deleted collection and of everything below it (a collection made again
   * at that path gets a new topic).
   *
   * @param canonicalPath the deleted collection's canonical path, ending in {@code /}
   * @return the collection's topic, if it had one
   * @throws dev.davpush.PushException if the topics cannot be removed
   */
  Optional<Topic> forget(String canonicalPath);

  /**
   * Topics in this process's memory, the default.
   *
   * @return a new, empty set of topics
   */
  static CollectionTopics inMemory() {
    return new CollectionTopics() {
      private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();

      @Override
      public Topic topic(String canonicalPath) {
        return topics.computeIfAbsent(
            requireNonNull(canonicalPath, "canonicalPath"), p -> Topic.random());
      }

      @Override
      public Optional<Topic> forget(String canonicalPath) {
        Topic t = topics.remove(requireNonNull(canonicalPath, "canonicalPath"));
        topics.keySet().removeIf(p -> p.startsWith(canonicalPath));
        return Optional.ofNullable(t);
      }
    };
  }
}
