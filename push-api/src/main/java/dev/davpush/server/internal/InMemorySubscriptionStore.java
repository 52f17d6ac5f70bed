package dev.davpush.server.internal;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.spi.SubscriptionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** In-memory {@link SubscriptionStore}. Thread safety: safe for concurrent use. */
public final class InMemorySubscriptionStore implements SubscriptionStore {
  @Override public void save(Registration registration) { throw new UnsupportedOperationException(); }
  @Override public Optional<Registration> find(String id) { throw new UnsupportedOperationException(); }
  @Override public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) { throw new UnsupportedOperationException(); }
  @Override public List<Registration> findByTopic(Topic topic) { throw new UnsupportedOperationException(); }
  @Override public List<Registration> findBySubscription(String subscriptionId) { throw new UnsupportedOperationException(); }
  @Override public boolean remove(String id) { throw new UnsupportedOperationException(); }
  @Override public int removeBySubscription(String subscriptionId) { throw new UnsupportedOperationException(); }
  @Override public int removeExpired(Instant now) { throw new UnsupportedOperationException(); }
}
