package dev.davpush.testkit.contract;

import dev.davpush.server.InMemoryDeliveryQueue;
import dev.davpush.spi.DeliveryQueue;

/** The queue contract against the engine's in-memory queue, capacity rules included. */
class InMemoryDeliveryQueueContractTest extends DeliveryQueueContract {
  @Override
  protected DeliveryQueue createQueue() {
    return new InMemoryDeliveryQueue();
  }

  @Override
  protected DeliveryQueue createQueue(int capacity) {
    return new InMemoryDeliveryQueue(capacity);
  }
}
