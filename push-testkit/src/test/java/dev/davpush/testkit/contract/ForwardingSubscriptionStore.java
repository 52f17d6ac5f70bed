package dev.davpush.testkit.contract;

import dev.davpush.Registration;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.internal.store.ForwardingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store that hands every call to a delegate, and remembers the ids it saved so that planted
 * faults can look at everything stored. Each {@link BrokenStore} overrides what it breaks.
 */
class ForwardingSubscriptionStore extends ForwardingStore {
  private final Set<String> savedIds = ConcurrentHashMap.newKeySet();

  ForwardingSubscriptionStore(SubscriptionStore delegate) {
    super(delegate);
  }

  /** Everything stored now. */
  List<Registration> all() {
    List<Registration> out = new ArrayList<>();
    for (String id : savedIds) {
      delegate.find(id).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public void save(Registration registration) {
    super.save(registration);
    savedIds.add(registration.id());
  }
}
