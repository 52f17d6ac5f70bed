package dev.davpush.testkit.reference.faults;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.internal.store.ForwardingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link PlantedFault#SEND_TO_EXPIRED}: registrations come back live whatever their expiry, and
 * expired ones are never purged, so the engine keeps sending to them.
 *
 * <p>Thread safety: as the delegate.
 */
final class ExpiryIgnoringStore extends ForwardingStore {
  ExpiryIgnoringStore(SubscriptionStore delegate) {
    super(delegate);
  }

  @Override
  public List<Registration> findByTopic(Topic topic) {
    return delegate.findByTopic(topic).stream().map(ExpiryIgnoringStore::live).toList();
  }

  @Override
  public Optional<Registration> find(String id) {
    return delegate.find(id).map(ExpiryIgnoringStore::live);
  }

  @Override
  public int removeExpired(Instant now) {
    return 0;
  }

  private static Registration live(Registration r) {
    Instant now = Instant.now();
    return r.isExpired(now) ? r.toBuilder().expires(now.plus(Duration.ofDays(1))).build() : r;
  }
}
