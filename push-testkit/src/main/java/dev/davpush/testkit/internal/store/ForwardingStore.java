package dev.davpush.testkit.internal.store;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.spi.SubscriptionStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SubscriptionStore} that forwards every call, unchanged, to another store: a subclass
 * overrides only the calls it changes. It is the base of the reference server's planted store
 * faults ({@code dev.davpush.testkit.reference.faults}) and of the broken stores in the kit's own
 * contract tests. Internal: its package is not exported.
 *
 * <p>Thread safety: as the delegate; this class adds no state.
 */
public abstract class ForwardingStore implements SubscriptionStore {
  /** The wrapped store, which receives every call a subclass does not override. */
  protected final SubscriptionStore delegate;

  /**
   * Wraps a store.
   *
   * @param delegate the store to forward to; not closed or otherwise owned by this one
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingStore(SubscriptionStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
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
