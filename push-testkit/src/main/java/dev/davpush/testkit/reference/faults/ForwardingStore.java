package dev.davpush.testkit.reference.faults;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.spi.SubscriptionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A store that forwards every call to another: the base of the planted faults that wrap the store.
 *
 * <p>Thread safety: as the delegate.
 */
abstract class ForwardingStore implements SubscriptionStore {
  /** The wrapped store. */
  final SubscriptionStore delegate;

  ForwardingStore(SubscriptionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void save(Registration registration) {
    delegate.save(registration);
  }

  @Override
  public Optional<Registration> find(String id) {
    return delegate.find(id);
  }

  @Override
  public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) {
    return delegate.find(owner, resourcePath, subscriptionId);
  }

  @Override
  public List<Registration> findByTopic(Topic topic) {
    return delegate.findByTopic(topic);
  }

  @Override
  public List<Registration> findBySubscription(String subscriptionId) {
    return delegate.findBySubscription(subscriptionId);
  }

  @Override
  public boolean remove(String id) {
    return delegate.remove(id);
  }

  @Override
  public int removeBySubscription(String subscriptionId) {
    return delegate.removeBySubscription(subscriptionId);
  }

  @Override
  public int removeExpired(Instant now) {
    return delegate.removeExpired(now);
  }

  @Override
  public int countByOwner(String owner) {
    return delegate.countByOwner(owner);
  }

  @Override
  public int countByResource(String resourcePath) {
    return delegate.countByResource(resourcePath);
  }

  @Override
  public List<Registration> distinctSubscriptions(
      @Nullable String afterSubscriptionId, Instant now, int limit) {
    return delegate.distinctSubscriptions(afterSubscriptionId, now, limit);
  }

  @Override
  public void recordSuccess(String subscriptionId, Instant at) {
    delegate.recordSuccess(subscriptionId, at);
  }

  @Override
  public Instant recordFailure(String subscriptionId, Instant at) {
    return delegate.recordFailure(subscriptionId, at);
  }
}
