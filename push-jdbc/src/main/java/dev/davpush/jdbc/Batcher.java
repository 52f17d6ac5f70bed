package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for single-key calls: concurrent callers of {@link #call} are served by one
 * statement over all their keys ({@code … WHERE key = ANY(?)}), so that N engine threads ending N
 * deliveries at once cost one round trip instead of N.
 *
 * <p>No timer and no added wait: the first caller finds nobody running and runs a batch of one at
 * once (the leader). Callers arriving while a batch runs queue up; when it ends, the first of them
 * leads the next batch with all that queued meanwhile (at most {@code maxBatch}). Every caller's
 * statement therefore starts after the caller arrived, so a read sees at least what was committed
 * before the call, and a write is committed (or failed) when {@code call} returns: the semantics of
 * one statement per call, with fewer round trips.
 *
 * <p>Failures: if the batch's work throws, every caller of that batch gets a failure of its own
 * (same message, the batch's failure as the cause) and nothing of the batch is kept.
 *
 * <p>Thread safety: safe for concurrent use; callers block until their batch ends.
 *
 * @param <K> the key type (equal keys in one batch are sent once)
 * @param <V> what the work yields per key
 */
final class Batcher<K, V> {
  /** The work of one batch. */
  interface Work<K, V> {
    /**
     * Runs one statement over the keys.
     *
     * @param keys distinct keys, 1 to {@code maxBatch}, in arrival order
     * @return a value per key; a key without one gets null
     * @throws PushException if the statement failed (nothing of it is kept)
     */
    Map<K, V> run(List<K> keys);
  }

  private final String what;
  private final int maxBatch;
  private final Work<K, V> work;
  private final Object lock = new Object();
  private final ArrayDeque<Entry<K, V>> pending = new ArrayDeque<>();
  private boolean running;

  Batcher(String what, int maxBatch, Work<K, V> work) {
    this.what = requireNonNull(what, "what");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch: expected >= 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.work = requireNonNull(work, "work");
  }

  private static final class Entry<K, V> {
    final K key;
    boolean lead;
    boolean done;
    @Nullable V value;
    @Nullable RuntimeException failure;

    Entry(K key) {
      this.key = key;
    }
  }

  /**
   * Runs the work for this key, batched with the keys of concurrent callers.
   *
   * @param key the key
   * @return the work's value for the key, or null
   * @throws PushException if the batch's statement failed
   */
  @Nullable V call(K key) {
    Entry<K, V> me = new Entry<>(requireNonNull(key, "key"));
    boolean interrupted = false;
    synchronized (lock) {
      pending.add(me);
      if (!running) {
        running = true;
        me.lead = true;
      }
      while (!me.lead && !me.done) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true; // the batch runs anyway; its outcome is ours
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!me.done) {
      lead();
    }
    if (me.failure != null) {
      throw me.failure instanceof DatabaseException d
          ? new DatabaseException(
              requireNonNull(d.getMessage()), (SQLException) requireNonNull(d.getCause()))
          : new PushException(what + " failed: " + me.failure.getMessage(), me.failure);
    }
    return me.value;
  }

  /** How many calls wait for a batch to take them: for tests. */
  int waiting() {
    synchronized (lock) {
      return pending.size();
    }
  }

  // Runs one batch (the leader is its first entry), then hands the lead to the next waiting caller.
  private void lead() {
    List<Entry<K, V>> batch = new ArrayList<>();
    synchronized (lock) {
      while (!pending.isEmpty() && batch.size() < maxBatch) {
        batch.add(pending.poll());
      }
    }
    LinkedHashSet<K> keys = new LinkedHashSet<>();
    for (Entry<K, V> e : batch) {
      keys.add(e.key);
    }
    Map<K, V> values = null;
    RuntimeException failure = null;
    try {
      values = work.run(List.copyOf(keys));
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (lock) {
      for (Entry<K, V> e : batch) {
        e.done = true;
        e.failure = failure;
        e.value = values == null ? null : values.get(e.key);
      }
      Entry<K, V> next = pending.peek();
      if (next != null) {
        next.lead = true;
      } else {
        running = false;
      }
      lock.notifyAll();
    }
  }
}
