package dev.davpush.spi;

import dev.davpush.Registration;
import dev.davpush.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of registrations, indexed by id, by natural key, by topic and by subscription id
 * (push resource). The engine reaches storage only through this interface, so durable and shared
 * stores (JDBC) plug in. {@code dev.davpush.server.InMemorySubscriptionStore} ships with the engine.
 *
 * <p>Every method is atomic with respect to the others; a failure throws a
 * {@link dev.davpush.PushException} and changes nothing.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface SubscriptionStore {


  /**
   * Inserts a registration, or replaces the stored one with the same id.
   *
   * @param registration the registration
   * @throws IllegalStateException if another registration (different id) already has the same
   *     (owner, resource path, subscription id) key
   */
  void save(Registration registration);

  /**
   * The registration with an id.
   *
   * @param id the registration id
   * @return empty if unknown
   */
  Optional<Registration> find(String id);

  /**
   * The registration with a natural key (digest ambiguity A-27).
   *
   * @param owner the principal
   * @param resourcePath the subscribed resource
   * @param subscriptionId the transport-specific subscription id (push resource URI)
   * @return empty if none
   */
  Optional<Registration> find(String owner, String resourcePath, String subscriptionId);

  /**
   * The registrations of a topic, expired ones included.
   *
   * @param topic the topic
   * @return a snapshot, in no particular order
   */
  List<Registration> findByTopic(Topic topic);

  /**
   * The registrations of one subscription on any resource.
   *
   * @param subscriptionId the transport-specific subscription id
   * @return a snapshot
   */
  List<Registration> findBySubscription(String subscriptionId);

  /**
   * Removes a registration.
   *
   * @param id the registration id
   * @return true if it existed
   */
  boolean remove(String id);

  /**
   * Removes every registration of a subscription, on every resource (R-WDP-45: the push service
   * reported the subscription gone).
   *
   * @param subscriptionId the transport-specific subscription id
   * @return how many were removed
   */
  int removeBySubscription(String subscriptionId);

  /**
   * Removes every registration that expired at or before {@code now}.
   *
   * @param now the current instant
   * @return how many were removed
   */
  int removeExpired(Instant now);
}
