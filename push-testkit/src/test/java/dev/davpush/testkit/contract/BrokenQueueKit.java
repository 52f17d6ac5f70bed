package dev.davpush.testkit.contract;

import dev.davpush.server.InMemoryDeliveryQueue;
import dev.davpush.spi.DeliveryQueue;

/**
 * The queue kit against {@link #fault} (or, when null, the in-memory queue as it is). Not run by
 * the build on its own: {@link ContractKitSelfTest} runs it through the Launcher once per fault.
 */
class BrokenQueueKit extends DeliveryQueueContract {
  static volatile BrokenQueue fault;

  @Override
  protected DeliveryQueue createQueue() {
    return create(InMemoryDeliveryQueue.DEFAULT_CAPACITY);
  }

  @Override
  protected DeliveryQueue createQueue(int capacity) {
    return create(capacity);
  }

  private static DeliveryQueue create(int capacity) {
    BrokenQueue f = fault;
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(capacity);
    return f == null ? q : f.wrap(q, capacity);
  }
}
