package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The engine's default {@link DeliveryQueue}: pending deliveries in memory, ordered by their
 * not-before instant, merged per coalescing key while they wait, bounded by a capacity. Nothing
 * survives the JVM: at close the engine {@linkplain #drain() drains} it and hands back what was
 * still waiting.
 *
 * <p>Memory: about 300 bytes per waiting delivery plus its message; the default capacity of {@value
 * #DEFAULT_CAPACITY} deliveries bounds it near 60 MiB.
 *
 * <p>Thread safety: safe for concurrent use; every method takes one lock.
 */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
  /** The default capacity, in deliveries (waiting and claimed together). */
  public static final int DEFAULT_CAPACITY = 200_000;

  private static final Comparator<Entry> ORDER =
      Comparator.comparing((Entry e) -> e.delivery.notBefore()).thenComparingLong(e -> e.seq);

  private final int capacity;
  private final Object lock = new Object();
  private final TreeSet<Entry> waiting = new TreeSet<>(ORDER);
  private final Map<String, Entry> waitingByKey = new HashMap<>();
  private final Map<String, PendingDelivery> claimed = new HashMap<>();
  private long seq;

  private static final class Entry {
    final PendingDelivery delivery;
    final long seq;

    Entry(PendingDelivery delivery, long seq) {
      this.delivery = delivery;
      this.seq = seq;
    }
  }

  /** A queue with {@link #DEFAULT_CAPACITY}. */
  public InMemoryDeliveryQueue() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * A queue with a capacity.
   *
   * @param capacity how many deliveries may wait or be claimed at once; ≥ 1
   * @throws IllegalArgumentException if below 1
   */
  public InMemoryDeliveryQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: expected >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * The capacity.
   *
   * @return deliveries, ≥ 1
   */
  public int capacity() {
    return capacity;
  }

  @Override
  public PendingDelivery offer(PendingDelivery delivery) {
    requireNonNull(delivery, "delivery");
    String key = delivery.coalescingKey();
    synchronized (lock) {
      Entry existing = waitingByKey.get(key);
      if (existing != null) {
        PendingDelivery merged = existing.delivery.mergedWith(delivery);
        if (delivery.notBefore().isBefore(merged.notBefore())) {
          merged = merged.toBuilder().notBefore(delivery.notBefore()).build(); // due earlier
        }
        replace(existing, merged, key);
        return merged;
      }
      if (waiting.size() + claimed.size() >= capacity) {
        throw new DeliveryQueueFullException(capacity);
      }
      add(delivery, key);
      return delivery;
    }
  }

  @Override
  public List<PendingDelivery> poll(Instant now, int max) {
    requireNonNull(now, "now");
    if (max < 1) {
      throw new IllegalArgumentException("max: expected >= 1, got " + max);
    }
    synchronized (lock) {
      List<PendingDelivery> out = new ArrayList<>(Math.min(max, waiting.size()));
      while (out.size() < max && !waiting.isEmpty()) {
        Entry first = waiting.first();
        if (first.delivery.notBefore().isAfter(now)) {
          break;
        }
        waiting.pollFirst();
        waitingByKey.remove(first.delivery.coalescingKey());
        claimed.put(first.delivery.idempotencyKey(), first.delivery);
        out.add(first.delivery);
      }
      return out;
    }
  }

  @Override
  public Optional<Instant> nextDue() {
    synchronized (lock) {
      return waiting.isEmpty()
          ? Optional.empty()
          : Optional.of(waiting.first().delivery.notBefore());
    }
  }

  @Override
  public void acknowledge(PendingDelivery delivery) {
    requireNonNull(delivery, "delivery");
    synchronized (lock) {
      claimed.remove(delivery.idempotencyKey());
    }
  }

  @Override
  public PendingDelivery reschedule(PendingDelivery next) {
    requireNonNull(next, "next");
    String key = next.coalescingKey();
    synchronized (lock) {
      claimed.remove(next.idempotencyKey());
      Entry existing = waitingByKey.get(key);
      if (existing != null) {
        PendingDelivery w = existing.delivery;
        PendingDelivery merged =
            next.mergedWith(w).toBuilder()
                .idempotencyKey(w.idempotencyKey())
                .attempt(Math.max(next.attempt(), w.attempt()))
                .notBefore(
                    next.notBefore().isAfter(w.notBefore()) ? next.notBefore() : w.notBefore())
                .build();
        replace(existing, merged, key);
        return merged;
      }
      add(next, key);
      return next;
    }
  }

  @Override
  public List<PendingDelivery> drain() {
    synchronized (lock) {
      List<PendingDelivery> out = new ArrayList<>(waiting.size());
      for (Entry e : waiting) {
        out.add(e.delivery);
      }
      waiting.clear();
      waitingByKey.clear();
      return out;
    }
  }

  @Override
  public int size() {
    synchronized (lock) {
      return waiting.size() + claimed.size();
    }
  }

  // Callers hold the lock.
  private void add(PendingDelivery d, String key) {
    Entry e = new Entry(d, seq++);
    waiting.add(e);
    waitingByKey.put(key, e);
  }

  // Callers hold the lock. The merged delivery keeps the waiting one's place (its sequence
  // number), so that merging into it never moves it behind deliveries due at the same instant.
  private void replace(Entry existing, PendingDelivery merged, String key) {
    waiting.remove(existing);
    Entry e = new Entry(merged, existing.seq);
    waiting.add(e);
    waitingByKey.put(key, e);
  }
}
