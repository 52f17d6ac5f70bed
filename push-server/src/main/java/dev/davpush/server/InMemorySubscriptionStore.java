package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Topic;
import dev.davpush.spi.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * In-memory {@link SubscriptionStore}: registrations live in maps indexed by id, by natural key
 * (owner, resource path, subscription id; digest ambiguity A-27), by topic and by subscription
 * id. Nothing survives the JVM.
 *
 * <p>Every method takes one lock, so each is atomic with respect to all others and the indexes
 * never disagree; {@link #save} checks before it changes anything, so a refused save leaves the
 * store as it was.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class InMemorySubscriptionStore implements SubscriptionStore {
  private record NaturalKey(String owner, String resourcePath, String subscriptionId) {
    static NaturalKey of(Registration r) {
      return new NaturalKey(r.owner(), r.resourcePath(), r.subscription().id());
    }
  }

  private final Object lock = new Object();
  private final Map<String, Registration> byId = new HashMap<>();
  private final Map<NaturalKey, String> byNaturalKey = new HashMap<>();
  private final Map<Topic, Set<String>> byTopic = new HashMap<>();
  private final Map<String, Set<String>> bySubscription = new HashMap<>();
  private final Map<String, Integer> countByOwner = new HashMap<>();
  private final Map<String, Integer> countByResource = new HashMap<>();
  private final Map<String, Health> health = new HashMap<>();

  /** Delivery health of one push resource: the start of its current failure streak. */
  private record Health(@Nullable Instant lastSuccess, @Nullable Instant firstFailure) {}

  /** Creates an empty store. */
  public InMemorySubscriptionStore() {}

  /**
   * {@inheritDoc}
   *
   * @throws RegistrationConflictException if a registration with another id already holds the
   *     same (owner, resource path, subscription id); the store is then unchanged
   */
  @Override
  public void save(Registration registration) {
    requireNonNull(registration, "registration");
    NaturalKey key = NaturalKey.of(registration);
    synchronized (lock) {
      String holder = byNaturalKey.get(key);
      if (holder != null && !holder.equals(registration.id())) {
        throw new RegistrationConflictException(
            "registration conflict: another registration of the same principal already binds"
                + " this subscription to resource " + registration.resourcePath()
                + "; update that registration instead of saving a new one");
      }
      Registration previous = byId.get(registration.id());
      if (previous != null) {
        unindex(previous);
      }
      byId.put(registration.id(), registration);
      countByOwner.merge(registration.owner(), 1, Integer::sum);
      countByResource.merge(registration.resourcePath(), 1, Integer::sum);
      byNaturalKey.put(key, registration.id());
      byTopic.computeIfAbsent(registration.topic(), t -> new LinkedHashSet<>())
          .add(registration.id());
      bySubscription
          .computeIfAbsent(registration.subscription().id(), s -> new LinkedHashSet<>())
          .add(registration.id());
    }
  }

  @Override
  public Optional<Registration> find(String id) {
    requireNonNull(id, "id");
    synchronized (lock) {
      return Optional.ofNullable(byId.get(id));
    }
  }

  @Override
  public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) {
    NaturalKey key =
        new NaturalKey(
            requireNonNull(owner, "owner"),
            requireNonNull(resourcePath, "resourcePath"),
            requireNonNull(subscriptionId, "subscriptionId"));
    synchronized (lock) {
      String id = byNaturalKey.get(key);
      return id == null ? Optional.empty() : Optional.of(byId.get(id));
    }
  }

  @Override
  public List<Registration> findByTopic(Topic topic) {
    requireNonNull(topic, "topic");
    synchronized (lock) {
      return resolve(byTopic.get(topic));
    }
  }

  @Override
  public List<Registration> findBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    synchronized (lock) {
      return resolve(bySubscription.get(subscriptionId));
    }
  }

  @Override
  public boolean remove(String id) {
    requireNonNull(id, "id");
    synchronized (lock) {
      Registration r = byId.remove(id);
      if (r == null) {
        return false;
      }
      unindex(r);
      return true;
    }
  }

  @Override
  public int removeBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    synchronized (lock) {
      Set<String> ids = bySubscription.get(subscriptionId);
      if (ids == null) {
        return 0;
      }
      int removed = 0;
      for (String id : List.copyOf(ids)) {
        Registration r = byId.remove(id);
        if (r != null) {
          unindex(r);
          removed++;
        }
      }
      return removed;
    }
  }

  @Override
  public int removeExpired(Instant now) {
    requireNonNull(now, "now");
    synchronized (lock) {
      List<Registration> expired = new ArrayList<>();
      for (Registration r : byId.values()) {
        if (r.isExpired(now)) {
          expired.add(r);
        }
      }
      for (Registration r : expired) {
        byId.remove(r.id());
        unindex(r);
      }
      return expired.size();
    }
  }

  /**
   * The number of stored registrations, expired ones included.
   *
   * @return ≥ 0
   */
  public int size() {
    synchronized (lock) {
      return byId.size();
    }
  }

  // Callers hold the lock. Removes r from every secondary index (not from byId).
  private void unindex(Registration r) {
    NaturalKey key = NaturalKey.of(r);
    if (r.id().equals(byNaturalKey.get(key))) {
      byNaturalKey.remove(key);
    }
    removeFrom(byTopic, r.topic(), r.id());
    removeFrom(bySubscription, r.subscription().id(), r.id());
    if (!bySubscription.containsKey(r.subscription().id())) {
      health.remove(r.subscription().id());
    }
    decrement(countByOwner, r.owner());
    decrement(countByResource, r.resourcePath());
  }

  private static void decrement(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  @Override
  public int countByOwner(String owner) {
    requireNonNull(owner, "owner");
    synchronized (lock) {
      return countByOwner.getOrDefault(owner, 0);
    }
  }

  @Override
  public int countByResource(String resourcePath) {
    requireNonNull(resourcePath, "resourcePath");
    synchronized (lock) {
      return countByResource.getOrDefault(resourcePath, 0);
    }
  }

  @Override
  public List<Registration> distinctSubscriptions(
      @Nullable String afterSubscriptionId, Instant now, int limit) {
    requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: expected >= 1, got " + limit);
    }
    synchronized (lock) {
      TreeMap<String, Set<String>> sorted = new TreeMap<>(bySubscription);
      Map<String, Set<String>> tail =
          afterSubscriptionId == null ? sorted : sorted.tailMap(afterSubscriptionId, false);
      List<Registration> page = new ArrayList<>(Math.min(limit, tail.size()));
      for (Set<String> ids : tail.values()) {
        for (String id : ids) {
          Registration r = byId.get(id);
          if (!r.isExpired(now)) {
            page.add(r);
            break;
          }
        }
        if (page.size() == limit) {
          break;
        }
      }
      return List.copyOf(page);
    }
  }

  @Override
  public void recordSuccess(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    synchronized (lock) {
      if (bySubscription.containsKey(subscriptionId)) {
        health.put(subscriptionId, new Health(at, null));
      }
    }
  }

  @Override
  public Instant recordFailure(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    synchronized (lock) {
      Health h = health.get(subscriptionId);
      if (h != null && h.firstFailure() != null) {
        return h.firstFailure();
      }
      if (bySubscription.containsKey(subscriptionId)) {
        health.put(subscriptionId, new Health(h == null ? null : h.lastSuccess(), at));
      }
      return at;
    }
  }

  private static <K> void removeFrom(Map<K, Set<String>> index, K key, String id) {
    Set<String> ids = index.get(key);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        index.remove(key);
      }
    }
  }

  // Callers hold the lock.
  private List<Registration> resolve(@Nullable Set<String> ids) {
    if (ids == null) {
      return List.of();
    }
    List<Registration> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add(byId.get(id));
    }
    return List.copyOf(out);
  }
}
