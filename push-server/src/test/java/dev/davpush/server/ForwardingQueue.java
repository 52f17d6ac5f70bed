package dev.davpush.server;

import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A queue that hands every call to an {@link InMemoryDeliveryQueue}; tests override a part. */
class ForwardingQueue implements DeliveryQueue {
  final InMemoryDeliveryQueue inner = new InMemoryDeliveryQueue();

  @Override
  public PendingDelivery offer(PendingDelivery delivery) {
    return inner.offer(delivery);
  }

  @Override
  public List<PendingDelivery> offerAll(List<PendingDelivery> deliveries) {
    return inner.offerAll(deliveries);
  }

  @Override
  public List<PendingDelivery> poll(Instant now, int max) {
    return inner.poll(now, max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return inner.nextDue();
  }

  @Override
  public void acknowledge(PendingDelivery delivery) {
    inner.acknowledge(delivery);
  }

  @Override
  public PendingDelivery reschedule(PendingDelivery next) {
    return inner.reschedule(next);
  }

  @Override
  public List<PendingDelivery> drain() {
    return inner.drain();
  }

  @Override
  public int size() {
    return inner.size();
  }
}
