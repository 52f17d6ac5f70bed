package dev.davpush.testkit.contract;

import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.spi.SubscriptionStore;

/**
 * The store kit against {@link #fault} (or, when null, the in-memory store as it is). Not run by
 * the build on its own (its name does not end in {@code Test}): {@link ContractKitSelfTest} runs it
 * through the Launcher once per fault.
 */
class BrokenStoreKit extends SubscriptionStoreContract {
  static volatile BrokenStore fault;

  @Override
  protected SubscriptionStore createStore() {
    BrokenStore f = fault;
    return f == null ? new InMemorySubscriptionStore() : f.create();
  }
}
