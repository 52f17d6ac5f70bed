package dev.davpush.testkit.contract;

import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A queue that hands every call to a delegate, and remembers what it saw so that planted faults can
 * act on it: the claimed deliveries by idempotency key (from {@code poll}, until acknowledged or
 * rescheduled), and the deliveries known to wait by coalescing key (from {@code offer}, until
 * polled). Each {@link BrokenQueue} overrides what it breaks.
 */
class ForwardingDeliveryQueue implements DeliveryQueue {
  final DeliveryQueue delegate;
  final int capacity;
  final Map<String, PendingDelivery> claimedByKey = new ConcurrentHashMap<>();
  final Map<String, PendingDelivery> waitingByCoalescingKey = new ConcurrentHashMap<>();

  ForwardingDeliveryQueue(DeliveryQueue delegate, int capacity) {
    this.delegate = delegate;
    this.capacity = capacity;
  }

  /** The claimed delivery with a coalescing key, if this queue handed one out. */
  Optional<PendingDelivery> claimedWithCoalescingKey(String coalescingKey) {
    return claimedByKey.values().stream()
        .filter(d -> d.coalescingKey().equals(coalescingKey))
        .findFirst();
  }

  @Override
  public PendingDelivery offer(PendingDelivery delivery) {
    PendingDelivery waiting = delegate.offer(delivery);
    waitingByCoalescingKey.put(waiting.coalescingKey(), waiting);
    return waiting;
  }

  @Override
  public List<PendingDelivery> poll(Instant now, int max) {
    List<PendingDelivery> claimed = delegate.poll(now, max);
    for (PendingDelivery d : claimed) {
      waitingByCoalescingKey.remove(d.coalescingKey());
      claimedByKey.put(d.idempotencyKey(), d);
    }
    return claimed;
  }

  @Override
  public Optional<Instant> nextDue() {
    return delegate.nextDue();
  }

  @Override
  public void acknowledge(PendingDelivery delivery) {
    claimedByKey.remove(delivery.idempotencyKey());
    delegate.acknowledge(delivery);
  }

  @Override
  public PendingDelivery reschedule(PendingDelivery next) {
    claimedByKey.remove(next.idempotencyKey());
    PendingDelivery waiting = delegate.reschedule(next);
    waitingByCoalescingKey.put(waiting.coalescingKey(), waiting);
    return waiting;
  }

  @Override
  public List<PendingDelivery> drain() {
    waitingByCoalescingKey.clear();
    return delegate.drain();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
