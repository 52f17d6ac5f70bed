package dev.davpush.testkit.contract;

import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.spi.SubscriptionStore;

/** The store contract against the engine's in-memory store. */
class InMemorySubscriptionStoreContractTest extends SubscriptionStoreContract {
  @Override
  protected SubscriptionStore createStore() {
    return new InMemorySubscriptionStore();
  }
}
