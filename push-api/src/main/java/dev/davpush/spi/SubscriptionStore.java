package dev.davpush.spi;

import dev.davpush.Registration;
import dev.davpush.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Persistence of registrations, indexed by id, by natural key, by topic and by subscription id
 * (push resource). The engine reaches storage only through this interface, so durable and shared
 * stores (JDBC) plug in. {@code dev.davpush.server.InMemorySubscriptionStore} ships with the
 * engine.
 *
 * <p>Every method is atomic with respect to the others; a failure throws a {@link
 * dev.davpush.PushException} and changes nothing.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface SubscriptionStore {

  /**
   * Inserts a registration, or replaces the stored one with the same id.
   *
   * @param registration the registration
   * @throws dev.davpush.RegistrationConflictException if another registration (different id)
   *     already has the same (owner, resource path, subscription id) key; nothing is changed
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

  /**
   * How many registrations a principal holds, expired ones included (the engine's cap on
   * registrations per principal).
   *
   * @param owner the principal
   * @return ≥ 0
   */
  int countByOwner(String owner);

  /**
   * How many registrations a resource has, expired ones included (the engine's cap on registrations
   * per resource).
   *
   * @param resourcePath the resource path as stored
   * @return ≥ 0
   */
  int countByResource(String resourcePath);

  /**
   * One page of the distinct subscriptions (push resources) with at least one registration not
   * expired at {@code now}, ordered by subscription id; for each, one such registration stands for
   * all (the key-rotation message of R-WDP-55 goes once to every push resource).
   *
   * @param afterSubscriptionId the last subscription id of the previous page, or null for the first
   *     page
   * @param now the current instant
   * @param limit the page size; ≥ 1
   * @return up to {@code limit} registrations with distinct subscription ids, each greater than
   *     {@code afterSubscriptionId}; fewer than {@code limit} only on the last page
   */
  List<Registration> distinctSubscriptions(
      @Nullable String afterSubscriptionId, Instant now, int limit);

  /**
   * Records that a message reached a push resource: its failure streak ends (R-WDP-45 grace
   * period).
   *
   * @param subscriptionId the transport-specific subscription id
   * @param at when the push service accepted the message
   */
  void recordSuccess(String subscriptionId, Instant at);

  /**
   * Records that a delivery to a push resource failed (rejected, or no answer), and returns when
   * its current failure streak began: the first failure after its last success.
   *
   * @param subscriptionId the transport-specific subscription id
   * @param at when the failure happened
   * @return the start of the streak; {@code at} if this failure starts it
   */
  Instant recordFailure(String subscriptionId, Instant at);
}
