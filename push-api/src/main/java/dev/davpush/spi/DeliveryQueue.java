package dev.davpush.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where pending deliveries wait between coalescing and sending (architecture, "The dispatch
 * pipeline", stage 4). The engine offers what coalescing produced, polls what is due, and reports
 * the end of each claimed delivery; a queue decides nothing about HTTP. The engine's default is
 * {@code dev.davpush.server.InMemoryDeliveryQueue}; a durable queue (a database table) plugs in
 * here without touching the pipeline.
 *
 * <p>Life of a delivery: {@link #offer} makes it <em>waiting</em>; {@link #poll} makes a due one
 * <em>claimed</em> (by this engine); {@link #acknowledge} ends it (delivered, gone or given up);
 * {@link #reschedule} makes a claimed one waiting again for its next attempt. A claimed delivery is
 * never returned by {@code poll} again unless it is rescheduled (a durable queue may return it
 * again after its claimant died: at-least-once).
 *
 * <p>Exceptions contract: {@link DeliveryQueueFullException} when a capacity is reached; any other
 * failure (a database that went away) is a {@link dev.davpush.PushException} and changes nothing.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface DeliveryQueue extends AutoCloseable {
  /**
   * Adds a delivery, or merges it into the waiting delivery with the same {@link
   * PendingDelivery#coalescingKey()} ({@link PendingDelivery#mergedWith}: the waiting one keeps its
   * attempt and idempotency key, and its not-before unless the offered one is due earlier, as a
   * change of high importance is). A claimed delivery is never merged into.
   *
   * @param delivery the delivery
   * @return the delivery as it now waits: {@code delivery} itself, or the merged one
   * @throws DeliveryQueueFullException if the queue is at capacity and there was nothing to merge
   *     into; the queue is then unchanged
   */
  PendingDelivery offer(PendingDelivery delivery);

  /**
   * Offers several deliveries, with the result {@link #offer} would give offering them one by one
   * in list order. The engine hands over a fan-out in pages of up to {@value #OFFER_PAGE}, so that
   * a queue that can store many at once (one statement and one commit for a database) does so; the
   * default offers one by one.
   *
   * <p>Not atomic: when it throws, a part of the list may be queued. The engine then offers each
   * delivery of the page again with {@link #offer}, which merges into what still waits (same
   * coalescing key); a delivery the engine claimed in between is sent twice (at least once).
   *
   * @param deliveries the deliveries, in order, each with its own idempotency key
   * @return the deliveries as they now wait, in the same order and as many: each one itself, or the
   *     one it was merged into
   * @throws DeliveryQueueFullException if the queue reached its capacity on the way
   * @throws IllegalArgumentException if two deliveries of the list share an idempotency key
   */
  default List<PendingDelivery> offerAll(List<PendingDelivery> deliveries) {
    Set<String> keys = new HashSet<>();
    for (PendingDelivery d : deliveries) {
      if (!keys.add(d.idempotencyKey())) {
        throw new IllegalArgumentException(
            "offerAll: two deliveries share an idempotency key; nothing was offered");
      }
    }
    List<PendingDelivery> waiting = new ArrayList<>(deliveries.size());
    for (PendingDelivery d : deliveries) {
      waiting.add(offer(d));
    }
    return waiting;
  }

  /** The most deliveries the engine passes to one {@link #offerAll} call: 500. */
  int OFFER_PAGE = 500;

  /**
   * Claims waiting deliveries whose {@link PendingDelivery#notBefore()} is at or before {@code
   * now}, earliest first.
   *
   * @param now the current instant
   * @param max how many at most; ≥ 1
   * @return the claimed deliveries; empty if none is due
   */
  List<PendingDelivery> poll(Instant now, int max);

  /**
   * The earliest not-before instant of the waiting deliveries, for the engine's timer.
   *
   * @return empty if nothing waits
   */
  Optional<Instant> nextDue();

  /**
   * Ends a claimed delivery; unknown or already ended ones are ignored.
   *
   * @param delivery a delivery {@link #poll} returned (matched by idempotency key)
   */
  void acknowledge(PendingDelivery delivery);

  /**
   * Puts a claimed delivery back for a later attempt: it waits again under its coalescing key, so
   * changes offered meanwhile merge into it. If another delivery with the same coalescing key is
   * already waiting (offered while this one was claimed), the two become one: the message is {@code
   * next}'s merged with the waiting one's (which is newer), the later not-before and the higher
   * attempt win, and the waiting one's idempotency key is kept.
   *
   * @param next the delivery for its next attempt ({@link PendingDelivery#next})
   * @return the delivery as it now waits: {@code next}, or the merged one
   */
  PendingDelivery reschedule(PendingDelivery next);

  /**
   * Removes and returns every waiting delivery; claimed ones are not touched. The engine calls it
   * at close only for a queue that is not {@link #durable()}.
   *
   * @return the deliveries that were waiting
   */
  List<PendingDelivery> drain();

  /**
   * How many deliveries wait or are claimed.
   *
   * @return ≥ 0
   */
  int size();

  /**
   * Whether waiting deliveries survive this process (a database), so that the engine leaves them in
   * place at close instead of handing them back.
   *
   * @return false by default
   */
  default boolean durable() {
    return false;
  }

  /**
   * Gives the queue a way to wake its engine when work arrives that the engine could not know of:
   * deliveries another process put in (a durable queue adopting the rows of a node that died, or an
   * application offering on another node). The engine calls it once, when it is built, before it
   * first polls; {@code wake} makes the engine {@link #poll} soon, on one of its own threads, and
   * returns at once. The queue calls it after the new work is visible to {@code poll} (for a
   * database: after the commit), from any thread, as often as it likes; calls after the engine
   * closed do nothing.
   *
   * <p>A queue serves one engine: a second call replaces the first hook. The default ignores the
   * hook, which suits a queue that only its engine fills (the engine polls after every offer and
   * when {@link #nextDue()} says).
   *
   * @param wake makes the engine poll soon; never null
   */
  default void onWork(Runnable wake) {}

  /** Releases what this queue created; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
