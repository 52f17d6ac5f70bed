package dev.davpush.testkit.reference.faults;

import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.internal.store.ForwardingStore;

/**
 * {@link PlantedFault#KEEP_GONE_SUBSCRIPTIONS}: pretends to remove the registrations of a push
 * resource the push service reported gone, and keeps them.
 *
 * <p>Thread safety: as the delegate.
 */
final class KeepGoneStore extends ForwardingStore {
  KeepGoneStore(SubscriptionStore delegate) {
    super(delegate);
  }

  @Override
  public int removeBySubscription(String subscriptionId) {
    return 0;
  }
}
