package dev.davpush.testkit.reference.faults;

import dev.davpush.Registration;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.internal.store.ForwardingStore;
import java.util.Optional;

/**
 * {@link PlantedFault#UPDATE_REPLACES_REGISTRATION}: asked for the registration of a (principal,
 * resource, push resource), it drops that registration and answers "none", so the engine makes a
 * new one with a new URL instead of updating.
 *
 * <p>Thread safety: as the delegate (the drop and the answer are not atomic; fine for a test
 * server).
 */
final class ReplacingStore extends ForwardingStore {
  ReplacingStore(SubscriptionStore delegate) {
    super(delegate);
  }

  @Override
  public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) {
    delegate.find(owner, resourcePath, subscriptionId).ifPresent(r -> delegate.remove(r.id()));
    return Optional.empty();
  }
}
