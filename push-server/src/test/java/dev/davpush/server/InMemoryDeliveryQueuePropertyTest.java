package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.Urgency;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link InMemoryDeliveryQueue} against a model of the {@link dev.davpush.spi.DeliveryQueue}
 * contract: any sequence of offer, poll, acknowledge, reschedule and drain gives the same answers
 * and the same size and next due instant as the model.
 */
class InMemoryDeliveryQueuePropertyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  // ------------------------------------------------------------------ operations

  sealed interface Op permits Offer, Poll, Ack, Reschedule, Drain {}

  /** Offers a new delivery to push resource {@code sub}, topic {@code topic}. */
  record Offer(int sub, int topic, int notBefore, boolean property, int token, Urgency urgency)
      implements Op {}

  record Poll(int now, int max) implements Op {}

  /** Acknowledges the claimed delivery at {@code index} (mod count), or an unknown one. */
  record Ack(int index) implements Op {}

  /** Reschedules the claimed delivery at {@code index} (mod count) {@code delay} seconds later. */
  record Reschedule(int index, int notBefore) implements Op {}

  record Drain() implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> offer =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 10),
                Arbitraries.of(true, false, false),
                Arbitraries.integers().between(0, 99),
                Arbitraries.of(Urgency.class))
            .as(Offer::new);
    Arbitrary<Op> poll =
        Combinators.combine(
                Arbitraries.integers().between(0, 12), Arbitraries.integers().between(1, 4))
            .as(Poll::new);
    Arbitrary<Op> ack = Arbitraries.integers().between(0, 10).map(Ack::new);
    Arbitrary<Op> reschedule =
        Combinators.combine(
                Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 12))
            .as(Reschedule::new);
    Arbitrary<Op> drain = Arbitraries.just(new Drain());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, offer),
            net.jqwik.api.Tuple.of(3, poll),
            net.jqwik.api.Tuple.of(2, ack),
            net.jqwik.api.Tuple.of(2, reschedule),
            net.jqwik.api.Tuple.of(1, drain))
        .list()
        .ofMaxSize(60);
  }

  // ------------------------------------------------------------------ the model

  /** The contract in the plainest terms: a map of waiting ones by key, a map of claimed ones. */
  static final class Model {
    record Waiting(PendingDelivery delivery, long seq) {}

    final int capacity;
    final Map<String, Waiting> waiting = new HashMap<>();
    final Map<String, PendingDelivery> claimed = new TreeMap<>(); // by idempotency key
    long seq;

    Model(int capacity) {
      this.capacity = capacity;
    }

    List<Waiting> ordered() {
      List<Waiting> w = new ArrayList<>(waiting.values());
      w.sort(
          Comparator.comparing((Waiting x) -> x.delivery().notBefore())
              .thenComparingLong(Waiting::seq));
      return w;
    }

    /** Empty: refused because full. */
    Optional<PendingDelivery> offer(PendingDelivery d) {
      Waiting w = waiting.get(d.coalescingKey());
      if (w != null) {
        PendingDelivery merged = w.delivery().mergedWith(d);
        if (d.notBefore().isBefore(merged.notBefore())) {
          merged = merged.toBuilder().notBefore(d.notBefore()).build(); // due earlier
        }
        waiting.put(d.coalescingKey(), new Waiting(merged, w.seq())); // keeps its place
        return Optional.of(merged);
      }
      if (waiting.size() + claimed.size() >= capacity) {
        return Optional.empty();
      }
      waiting.put(d.coalescingKey(), new Waiting(d, seq++));
      return Optional.of(d);
    }

    List<PendingDelivery> poll(Instant now, int max) {
      List<PendingDelivery> out = new ArrayList<>();
      for (Waiting w : ordered()) {
        if (out.size() == max || w.delivery().notBefore().isAfter(now)) {
          break;
        }
        waiting.remove(w.delivery().coalescingKey());
        claimed.put(w.delivery().idempotencyKey(), w.delivery());
        out.add(w.delivery());
      }
      return out;
    }

    PendingDelivery reschedule(PendingDelivery next) {
      claimed.remove(next.idempotencyKey());
      Waiting w = waiting.get(next.coalescingKey());
      if (w == null) {
        waiting.put(next.coalescingKey(), new Waiting(next, seq++));
        return next;
      }
      PendingDelivery old = w.delivery();
      PendingDelivery merged =
          next.mergedWith(old).toBuilder()
              .idempotencyKey(old.idempotencyKey())
              .attempt(Math.max(next.attempt(), old.attempt()))
              .notBefore(
                  next.notBefore().isAfter(old.notBefore()) ? next.notBefore() : old.notBefore())
              .build();
      waiting.put(next.coalescingKey(), new Waiting(merged, w.seq()));
      return merged;
    }

    List<PendingDelivery> drain() {
      List<PendingDelivery> out = ordered().stream().map(Waiting::delivery).toList();
      waiting.clear();
      return out;
    }

    int size() {
      return waiting.size() + claimed.size();
    }

    Optional<Instant> nextDue() {
      List<Waiting> o = ordered();
      return o.isEmpty() ? Optional.empty() : Optional.of(o.get(0).delivery().notBefore());
    }
  }

  // ------------------------------------------------------------------ the property

  @Property
  void behavesLikeTheModel(
      @ForAll @IntRange(min = 1, max = 6) int capacity, @ForAll("ops") List<Op> ops) {
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(capacity);
    Model model = new Model(capacity);
    int keys = 0;
    for (Op op : ops) {
      if (op instanceof Offer o) {
        PendingDelivery d = delivery(o, "k" + keys++);
        Optional<PendingDelivery> expected = model.offer(d);
        if (expected.isEmpty()) {
          int size = queue.size();
          Optional<Instant> due = queue.nextDue();
          assertThatThrownBy(() -> queue.offer(d)).isInstanceOf(DeliveryQueueFullException.class);
          assertThat(queue.size()).isEqualTo(size);
          assertThat(queue.nextDue()).isEqualTo(due);
        } else {
          assertThat(queue.offer(d)).as(op.toString()).isEqualTo(expected.get());
        }
      } else if (op instanceof Poll p) {
        Instant now = T0.plusSeconds(p.now());
        assertThat(queue.poll(now, p.max()))
            .as(op.toString())
            .containsExactlyElementsOf(model.poll(now, p.max()));
      } else if (op instanceof Ack a) {
        List<PendingDelivery> claimed = List.copyOf(model.claimed.values());
        if (claimed.isEmpty()) {
          queue.acknowledge(delivery(new Offer(0, 0, 0, false, 0, Urgency.NORMAL), "unknown"));
        } else {
          PendingDelivery d = claimed.get(a.index() % claimed.size());
          model.claimed.remove(d.idempotencyKey());
          queue.acknowledge(d);
          queue.acknowledge(d); // ending it twice is ignored
        }
      } else if (op instanceof Reschedule r) {
        List<PendingDelivery> claimed = List.copyOf(model.claimed.values());
        if (!claimed.isEmpty()) {
          PendingDelivery next =
              claimed.get(r.index() % claimed.size()).next(T0.plusSeconds(r.notBefore()));
          assertThat(queue.reschedule(next)).as(op.toString()).isEqualTo(model.reschedule(next));
        }
      } else {
        assertThat(queue.drain()).containsExactlyElementsOf(model.drain());
      }
      assertThat(queue.size()).as("size after " + op).isEqualTo(model.size());
      assertThat(queue.nextDue()).as("next due after " + op).isEqualTo(model.nextDue());
    }
    assertThat(queue.drain()).containsExactlyElementsOf(model.drain());
    assertThat(queue.size()).isEqualTo(model.claimed.size());
  }

  static PendingDelivery delivery(Offer o, String key) {
    Topic topic = Topic.of("topic-" + o.topic());
    PushMessage m =
        o.property()
            ? PushMessage.builder()
                .topic(topic)
                .propertyUpdate(new PushMessage.PropertyUpdate())
                .build()
            : PushMessage.contentUpdate(topic, "http://example.com/sync/" + o.token());
    return PendingDelivery.builder()
        .registrationId("r-" + key)
        .subscriptionId("https://push.example/" + o.sub())
        .message(m)
        .urgency(o.urgency())
        .notBefore(T0.plusSeconds(o.notBefore()))
        .deadline(T0.plusSeconds(3600 + o.token()))
        .idempotencyKey(key)
        .build();
  }

  // ------------------------------------------------------------------ examples

  @Example
  void aFullQueueRefusesAndStaysUnchangedButStillMergesIntoAWaitingOne() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(1);
    PendingDelivery a = delivery(new Offer(0, 0, 0, false, 1, Urgency.NORMAL), "a");
    q.offer(a);
    PendingDelivery other = delivery(new Offer(1, 0, 0, false, 1, Urgency.NORMAL), "b");

    assertThatThrownBy(() -> q.offer(other))
        .isInstanceOf(DeliveryQueueFullException.class)
        .hasMessageContaining("capacity 1");
    PendingDelivery newer = delivery(new Offer(0, 0, 5, false, 2, Urgency.NORMAL), "c");
    PendingDelivery merged = q.offer(newer);

    assertThat(merged.idempotencyKey()).isEqualTo("a");
    assertThat(merged.notBefore()).isEqualTo(a.notBefore());
    assertThat(merged.message().contentUpdate().orElseThrow().syncToken())
        .isEqualTo("http://example.com/sync/2");
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.drain()).containsExactly(merged);
  }

  @Example
  void aClaimedDeliveryIsNeverMergedInto() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    PendingDelivery a = delivery(new Offer(0, 0, 0, false, 1, Urgency.NORMAL), "a");
    q.offer(a);
    assertThat(q.poll(T0, 10)).containsExactly(a);

    PendingDelivery b = delivery(new Offer(0, 0, 0, false, 2, Urgency.NORMAL), "b");
    assertThat(q.offer(b)).isEqualTo(b);
    assertThat(q.size()).isEqualTo(2);
  }

  @Example
  void aRescheduledDeliveryMergesIntoTheWaitingOneAndKeepsItsKey() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    PendingDelivery a = delivery(new Offer(0, 0, 0, true, 1, Urgency.NORMAL), "a");
    q.offer(a);
    q.poll(T0, 1);
    PendingDelivery b = delivery(new Offer(0, 0, 3, false, 2, Urgency.NORMAL), "b");
    q.offer(b);

    PendingDelivery waiting = q.reschedule(a.next(T0.plusSeconds(7)));

    assertThat(waiting.idempotencyKey()).isEqualTo("b");
    assertThat(waiting.attempt()).isEqualTo(2);
    assertThat(waiting.notBefore()).isEqualTo(T0.plusSeconds(7));
    assertThat(waiting.message().propertyUpdate()).isPresent(); // R-WDP-43: not lost
    assertThat(waiting.message().contentUpdate()).isPresent();
    assertThat(q.size()).isEqualTo(1);
  }

  @Example
  void pollReturnsDueOnesEarliestFirst() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    PendingDelivery late = delivery(new Offer(0, 0, 5, false, 1, Urgency.NORMAL), "late");
    PendingDelivery early = delivery(new Offer(1, 0, 1, false, 1, Urgency.NORMAL), "early");
    PendingDelivery notYet = delivery(new Offer(2, 0, 9, false, 1, Urgency.NORMAL), "notyet");
    q.offer(late);
    q.offer(notYet);
    q.offer(early);

    assertThat(q.poll(T0.plusSeconds(5), 10)).containsExactly(early, late);
    assertThat(q.nextDue()).contains(notYet.notBefore());
  }
}
