package dev.davpush.testkit.contract;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.Urgency;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link DeliveryQueue}: every promise of its Javadoc that a test can check, one
 * test per {@link ContractRule} ({@code QUEUE-01} … {@code QUEUE-21}). Extend it in your test
 * sources and supply a fresh, empty queue; to have the capacity rules checked, also a queue with a
 * given capacity:
 *
 * <pre>{@code
 * class MyQueueContractTest extends DeliveryQueueContract {
 *   @Override
 *   protected DeliveryQueue createQueue() {
 *     return new MyQueue(freshSchema());
 *   }
 *
 *   @Override
 *   protected DeliveryQueue createQueue(int capacity) {
 *     return new MyQueue(freshSchema(), capacity);
 *   }
 * }
 * }</pre>
 *
 * <p>The kit passes every instant explicitly (the queue needs no clock of its own); its instants
 * are whole seconds and lie within two hours of {@link #T0}. QUEUE-05 checks that a claim still
 * holds when {@code poll} is called two hours (of the instants passed) after it: a durable queue
 * that hands the work of a dead claimant to others must not do so for a live one within that time.
 * Each test has a time limit of {@value #TIMEOUT_SECONDS} seconds, and every queue a test created
 * is closed after it.
 *
 * <p>Thread safety: JUnit creates one instance per test; not for other use.
 */
@DisplayNameGeneration(RuleDisplayNames.class)
@Timeout(value = DeliveryQueueContract.TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
public abstract class DeliveryQueueContract {
  /** Time limit of each test, in seconds: 60. */
  public static final long TIMEOUT_SECONDS = 60;

  /** The kit's "now" at the start of each test: 2030-01-01T00:00:00Z. */
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** The capacity the capacity rules (QUEUE-18, QUEUE-19) ask {@link #createQueue(int)} for. */
  public static final int SMALL_CAPACITY = 5;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger keys = new AtomicInteger();
  private final List<DeliveryQueue> created = new ArrayList<>();
  private @Nullable DeliveryQueue queue;

  /** For subclasses. */
  protected DeliveryQueueContract() {}

  /**
   * The queue under test, new and empty, with room for at least 1,000 deliveries; called once
   * before each test.
   *
   * @return an empty queue
   */
  protected abstract DeliveryQueue createQueue();

  /**
   * A new, empty queue that holds at most {@code capacity} deliveries, waiting and claimed, for the
   * capacity rules. The default returns null: the queue has no capacity a test can reach, and the
   * capacity rules are skipped (aborted, with that reason).
   *
   * @param capacity the capacity, {@link #SMALL_CAPACITY}
   * @return the queue, or null to skip the capacity rules
   */
  protected @Nullable DeliveryQueue createQueue(int capacity) {
    return null;
  }

  /**
   * Releases a queue after its test. The default {@linkplain DeliveryQueue#close() closes} it.
   *
   * @param queue a queue one of the factory methods returned
   * @throws Exception if releasing fails; the test then fails
   */
  protected void disposeQueue(DeliveryQueue queue) throws Exception {
    queue.close();
  }

  /** Creates the queue under test. */
  @BeforeEach
  public final void createQueueUnderTest() {
    DeliveryQueue q = requireNonNull(createQueue(), "createQueue() returned null");
    queue = q;
    created.add(q);
    if (q.size() != 0 || q.nextDue().isPresent()) {
      throw new IllegalStateException(
          "createQueue() must return an empty queue; this one holds " + q.size() + " deliveries");
    }
  }

  /**
   * Releases every queue the test created.
   *
   * @throws Exception if {@link #disposeQueue} fails
   */
  @AfterEach
  public final void disposeQueues() throws Exception {
    queue = null;
    Exception first = null;
    for (DeliveryQueue q : created) {
      try {
        disposeQueue(q);
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    created.clear();
    if (first != null) {
      throw first;
    }
  }

  /**
   * The queue under test, for subclasses' own tests.
   *
   * @return the queue {@link #createQueue()} gave for the running test
   */
  protected final DeliveryQueue queue() {
    DeliveryQueue q = queue;
    if (q == null) {
      throw new IllegalStateException("queue(): only while a test runs");
    }
    return q;
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private String push(String name) {
    return "https://push.example.test/push/" + run + "-" + name;
  }

  private String newKey() {
    return "k" + run + "-" + keys.incrementAndGet();
  }

  /** A content update for topic {@code topic} to push resource {@code push}, due at {@code due}. */
  private PendingDelivery delivery(String push, String topic, Instant due, String syncToken) {
    return PendingDelivery.builder()
        .registrationId("reg-" + run + "-" + push)
        .subscriptionId(push(push))
        .message(PushMessage.contentUpdate(Topic.of("topic-" + run + "-" + topic), syncToken))
        .notBefore(due)
        .deadline(due.plus(Duration.ofDays(1)))
        .idempotencyKey(newKey())
        .build();
  }

  private PendingDelivery delivery(String push, Instant due) {
    return delivery(push, "t", due, "sync-1");
  }

  private static Set<String> keysOf(Collection<PendingDelivery> deliveries) {
    return deliveries.stream().map(PendingDelivery::idempotencyKey).collect(Collectors.toSet());
  }

  private PendingDelivery claimOne(Instant now) {
    List<PendingDelivery> polled = queue().poll(now, 1);
    assertEquals(1, polled.size(), "poll(" + now + ", 1) claims the delivery that is due");
    return polled.get(0);
  }

  private DeliveryQueue queueWithCapacity() {
    DeliveryQueue candidate = createQueue(SMALL_CAPACITY);
    assumeTrue(
        candidate != null,
        "createQueue(int) is not overridden: the queue has no capacity a test can reach, so the"
            + " capacity rules are not checked");
    DeliveryQueue q = Objects.requireNonNull(candidate);
    created.add(q);
    if (q.size() != 0) {
      throw new IllegalStateException(
          "createQueue(int) must return an empty queue; this one holds "
              + q.size()
              + " deliveries");
    }
    return q;
  }

  // ---- rules ----------------------------------------------------------------------------------

  /** {@code offer}, {@code poll}, {@code nextDue}. */
  @Nested
  @DisplayName("Offering and polling")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class OfferingAndPolling {
    /** For JUnit. */
    public OfferingAndPolling() {}

    /** QUEUE-01. */
    @Test
    @Verifies(ContractRule.QUEUE_OFFER_THEN_POLL)
    public void offerThenPoll() {
      PendingDelivery d =
          PendingDelivery.builder()
              .registrationId("reg-" + run)
              .subscriptionId(push("a"))
              .message(
                  PushMessage.builder()
                      .topic(Topic.of("topic-" + run))
                      .contentUpdate(new PushMessage.ContentUpdate("http://example.test/sync/42"))
                      .propertyUpdate(
                          new PushMessage.PropertyUpdate(
                              Set.of(PropertyName.DISPLAYNAME, PropertyName.of("urn:x", "y"))))
                      .build())
              .urgency(Urgency.HIGH)
              .attempt(3)
              .notBefore(at(5))
              .deadline(at(86_400))
              .idempotencyKey(newKey())
              .build();
      assertEquals(d, queue().offer(d), "offer's result when nothing merges");
      assertEquals(List.of(d), queue().poll(at(5), 10), "poll once due");
    }

    /** QUEUE-02. */
    @Test
    @Verifies(ContractRule.QUEUE_NOT_BEFORE)
    public void notBefore() {
      PendingDelivery d = delivery("a", at(10));
      queue().offer(d);
      assertEquals(
          List.of(), queue().poll(at(10).minusMillis(1), 10), "poll a millisecond too early");
      assertEquals(Set.of(d.idempotencyKey()), keysOf(queue().poll(at(10), 10)), "poll at it");
    }

    /** QUEUE-03. */
    @Test
    @Verifies(ContractRule.QUEUE_EARLIEST_FIRST)
    public void earliestFirst() {
      PendingDelivery third = delivery("c", at(3));
      PendingDelivery first = delivery("a", at(1));
      PendingDelivery second = delivery("b", at(2));
      queue().offer(third);
      queue().offer(first);
      queue().offer(second);
      assertEquals(
          List.of(first.idempotencyKey(), second.idempotencyKey(), third.idempotencyKey()),
          queue().poll(at(60), 10).stream().map(PendingDelivery::idempotencyKey).toList(),
          "claimed in order of not-before");
    }

    /** QUEUE-04. */
    @Test
    @Verifies(ContractRule.QUEUE_POLL_MAX)
    public void pollMax() {
      for (int i = 0; i < 5; i++) {
        queue().offer(delivery("p" + i, at(i)));
      }
      assertEquals(2, queue().poll(at(60), 2).size(), "poll with max 2 of 5 due");
      assertEquals(1, queue().poll(at(60), 1).size(), "poll with max 1 of 3 due");
      assertEquals(2, queue().poll(at(60), 10).size(), "poll with max 10 of 2 due");
    }

    /** QUEUE-05. */
    @Test
    @Verifies(ContractRule.QUEUE_CLAIMED_ONCE)
    public void claimedOnce() {
      queue().offer(delivery("a", at(0)));
      claimOne(at(0));
      assertEquals(List.of(), queue().poll(at(0), 10), "poll right after the claim");
      assertEquals(List.of(), queue().poll(at(7200), 10), "poll two hours later");
    }

    /** QUEUE-06. */
    @Test
    @Verifies(ContractRule.QUEUE_NEXT_DUE)
    public void nextDue() {
      assertEquals(Optional.empty(), queue().nextDue(), "nextDue of an empty queue");
      queue().offer(delivery("b", at(20)));
      queue().offer(delivery("a", at(10)));
      queue().offer(delivery("c", at(30)));
      assertEquals(Optional.of(at(10)), queue().nextDue(), "the earliest of three");
      claimOne(at(10));
      assertEquals(Optional.of(at(20)), queue().nextDue(), "after the earliest was claimed");
      assertEquals(2, queue().poll(at(30), 10).size(), "the other two, claimed");
      assertEquals(Optional.empty(), queue().nextDue(), "with every delivery claimed");
    }
  }

  /** Merging per coalescing key (R-WDP-43). */
  @Nested
  @DisplayName("Coalescing")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Coalescing {
    /** For JUnit. */
    public Coalescing() {}

    /** QUEUE-07. */
    @Test
    @Verifies(ContractRule.QUEUE_OFFER_MERGES)
    public void offerMerges() {
      PendingDelivery waiting = delivery("a", "t", at(5), "sync-1");
      PendingDelivery later =
          delivery("a", "t", at(6), "sync-2").toBuilder()
              .urgency(Urgency.HIGH)
              .message(
                  PushMessage.builder()
                      .topic(waiting.message().topic().orElseThrow())
                      .contentUpdate(new PushMessage.ContentUpdate("sync-2"))
                      .propertyUpdate(new PushMessage.PropertyUpdate(Set.of(PropertyName.GETETAG)))
                      .build())
              .build();
      queue().offer(waiting);
      PendingDelivery expected = waiting.mergedWith(later);
      assertEquals(expected, queue().offer(later), "offer's result when it merges");
      assertEquals(List.of(expected), queue().poll(at(60), 10), "what waits after the merge");
    }

    /** QUEUE-08. */
    @Test
    @Verifies(ContractRule.QUEUE_MERGE_EARLIER)
    public void mergeEarlier() {
      queue().offer(delivery("a", "t", at(600), "sync-1"));
      PendingDelivery urgent = delivery("a", "t", at(1), "sync-2");
      assertEquals(at(1), queue().offer(urgent).notBefore(), "not-before of the merged delivery");
      assertEquals(Optional.of(at(1)), queue().nextDue(), "nextDue after the merge");
      assertEquals(1, queue().poll(at(1), 10).size(), "claimed at the earlier instant");
    }

    /** QUEUE-09. */
    @Test
    @Verifies(ContractRule.QUEUE_CLAIMED_NOT_MERGED)
    public void claimedNotMerged() {
      queue().offer(delivery("a", "t", at(0), "sync-1"));
      claimOne(at(0));
      PendingDelivery next = delivery("a", "t", at(1), "sync-2");
      assertEquals(next, queue().offer(next), "offer's result while the key's delivery is claimed");
      assertEquals(List.of(next), queue().poll(at(1), 10), "the new one waits on its own");
    }

    /** QUEUE-10. */
    @Test
    @Verifies(ContractRule.QUEUE_KEYS_SEPARATE)
    public void keysSeparate() {
      PendingDelivery a = delivery("a", "t1", at(0), "sync-1");
      PendingDelivery otherTopic = delivery("a", "t2", at(0), "sync-1");
      PendingDelivery otherPush = delivery("b", "t1", at(0), "sync-1");
      assertEquals(a, queue().offer(a), "first");
      assertEquals(otherTopic, queue().offer(otherTopic), "same push resource, another topic");
      assertEquals(otherPush, queue().offer(otherPush), "same topic, another push resource");
      assertEquals(
          keysOf(List.of(a, otherTopic, otherPush)),
          keysOf(queue().poll(at(0), 10)),
          "three deliveries claimed");
    }
  }

  /** {@code acknowledge}, {@code reschedule}. */
  @Nested
  @DisplayName("Ending and retrying")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class EndingAndRetrying {
    /** For JUnit. */
    public EndingAndRetrying() {}

    /** QUEUE-11. */
    @Test
    @Verifies(ContractRule.QUEUE_ACKNOWLEDGE)
    public void acknowledge() {
      queue().offer(delivery("a", at(0)));
      PendingDelivery claimed = claimOne(at(0));
      queue().acknowledge(claimed.next(at(3000)));
      assertEquals(0, queue().size(), "size after acknowledging a copy with the same key");
      assertEquals(List.of(), queue().poll(at(3600), 10), "poll after acknowledge");
    }

    /** QUEUE-12. */
    @Test
    @Verifies(ContractRule.QUEUE_ACKNOWLEDGE_UNKNOWN)
    public void acknowledgeUnknown() {
      queue().offer(delivery("a", at(0)));
      PendingDelivery claimed = claimOne(at(0));
      assertDoesNotThrow(() -> queue().acknowledge(delivery("x", at(0))), "an unknown delivery");
      assertEquals(1, queue().size(), "size after acknowledging an unknown delivery");
      queue().acknowledge(claimed);
      assertDoesNotThrow(() -> queue().acknowledge(claimed), "a delivery already ended");
      assertEquals(0, queue().size(), "size after acknowledging twice");
    }

    /** QUEUE-13. */
    @Test
    @Verifies(ContractRule.QUEUE_RESCHEDULE)
    public void reschedule() {
      PendingDelivery d = delivery("a", at(0));
      queue().offer(d);
      PendingDelivery next = claimOne(at(0)).next(at(60));
      assertEquals(next, queue().reschedule(next), "reschedule's result when nothing merges");
      assertEquals(List.of(), queue().poll(at(30), 10), "poll before the new not-before");
      List<PendingDelivery> again = queue().poll(at(60), 10);
      assertEquals(List.of(next), again, "poll at the new not-before");
      assertEquals(2, again.get(0).attempt(), "attempt of the rescheduled delivery");
      assertEquals(d.idempotencyKey(), again.get(0).idempotencyKey(), "its idempotency key");
    }

    /** QUEUE-14. */
    @Test
    @Verifies(ContractRule.QUEUE_RESCHEDULED_MERGES_LATER)
    public void rescheduledMergesLater() {
      PendingDelivery d = delivery("a", "t", at(0), "sync-1");
      queue().offer(d);
      PendingDelivery next = claimOne(at(0)).next(at(60));
      queue().reschedule(next);
      PendingDelivery later = delivery("a", "t", at(90), "sync-2");
      queue().offer(later);
      List<PendingDelivery> polled = queue().poll(at(3600), 10);
      assertEquals(keysOf(List.of(d)), keysOf(polled), "one delivery waited, under the first key");
      assertEquals(
          next.message().merge(later.message()),
          polled.get(0).message(),
          "its message, merged (newest sync-token)");
    }

    /** QUEUE-15. */
    @Test
    @Verifies(ContractRule.QUEUE_RESCHEDULE_MEETS_WAITING)
    public void rescheduleMeetsWaiting() {
      queue().offer(delivery("a", "t", at(0), "sync-1"));
      PendingDelivery next = claimOne(at(0)).next(at(60)).toBuilder().attempt(4).build();
      PendingDelivery waiting = delivery("a", "t", at(120), "sync-2");
      queue().offer(waiting);
      PendingDelivery result = queue().reschedule(next);
      assertEquals(waiting.idempotencyKey(), result.idempotencyKey(), "the waiting one's key");
      assertEquals(next.message().merge(waiting.message()), result.message(), "merged message");
      assertEquals(at(120), result.notBefore(), "the later not-before");
      assertEquals(4, result.attempt(), "the higher attempt");
      assertEquals(List.of(result), queue().poll(at(120), 10), "the one delivery that waits");
    }
  }

  /** {@code drain}, {@code size}, capacity. */
  @Nested
  @DisplayName("Size, capacity and drain")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class SizeCapacityAndDrain {
    /** For JUnit. */
    public SizeCapacityAndDrain() {}

    /** QUEUE-16. */
    @Test
    @Verifies(ContractRule.QUEUE_DRAIN)
    public void drain() {
      PendingDelivery c = delivery("c", at(0));
      queue().offer(c);
      PendingDelivery claimed = claimOne(at(0));
      PendingDelivery a = delivery("a", at(100));
      PendingDelivery b = delivery("b", at(200));
      queue().offer(a);
      queue().offer(b);
      assertEquals(keysOf(List.of(a, b)), keysOf(queue().drain()), "what drain returns");
      assertEquals(List.of(), queue().poll(at(1000), 10), "poll after drain");
      assertEquals(1, queue().size(), "size after drain: the claimed one");
      queue().acknowledge(claimed);
      assertEquals(0, queue().size(), "size after acknowledging the claimed one");
    }

    /** QUEUE-17. */
    @Test
    @Verifies(ContractRule.QUEUE_SIZE)
    public void size() {
      assertEquals(0, queue().size(), "empty");
      queue().offer(delivery("a", "t", at(0), "sync-1"));
      queue().offer(delivery("b", "t", at(5), "sync-1"));
      assertEquals(2, queue().size(), "two waiting");
      queue().offer(delivery("b", "t", at(5), "sync-2"));
      assertEquals(2, queue().size(), "after a merge");
      PendingDelivery claimed = claimOne(at(0));
      assertEquals(2, queue().size(), "one waiting, one claimed");
      queue().acknowledge(claimed);
      assertEquals(1, queue().size(), "after acknowledge");
    }

    /** QUEUE-18. */
    @Test
    @Verifies(ContractRule.QUEUE_FULL)
    public void full() {
      DeliveryQueue q = queueWithCapacity();
      List<PendingDelivery> offered = new ArrayList<>();
      for (int i = 0; i < SMALL_CAPACITY; i++) {
        PendingDelivery d = delivery("f" + i, at(i));
        q.offer(d);
        offered.add(d);
      }
      PendingDelivery extra = delivery("extra", at(0));
      assertThrows(DeliveryQueueFullException.class, () -> q.offer(extra), "offer at capacity");
      assertEquals(SMALL_CAPACITY, q.size(), "size after the refused offer");
      assertEquals(Optional.of(at(0)), q.nextDue(), "nextDue after the refused offer");
      assertEquals(keysOf(offered), keysOf(q.drain()), "what waits after the refused offer");
    }

    /** QUEUE-19. */
    @Test
    @Verifies(ContractRule.QUEUE_FULL_STILL_MERGES)
    public void fullStillMerges() {
      DeliveryQueue q = queueWithCapacity();
      for (int i = 0; i < SMALL_CAPACITY; i++) {
        q.offer(delivery("f" + i, "t", at(i), "sync-1"));
      }
      PendingDelivery merging = delivery("f0", "t", at(0), "sync-2");
      PendingDelivery result = assertDoesNotThrow(() -> q.offer(merging), "a merging offer");
      assertEquals(
          merging.message(), result.message(), "the merged message carries the newer token");
    }
  }

  /** Concurrent use and closing. */
  @Nested
  @DisplayName("Concurrency and closing")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class ConcurrencyAndClosing {
    /** For JUnit. */
    public ConcurrencyAndClosing() {}

    /**
     * QUEUE-20.
     *
     * @throws Exception if the threads cannot be run
     */
    @Test
    @Verifies(ContractRule.QUEUE_CONCURRENT_POLLS)
    public void concurrentPolls() throws Exception {
      int n = 300;
      Set<String> offered = new HashSet<>();
      for (int i = 0; i < n; i++) {
        PendingDelivery d = delivery("c" + i, at(i % 7));
        queue().offer(d);
        offered.add(d.idempotencyKey());
      }
      int threads = 4;
      ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    while (true) {
                      List<PendingDelivery> batch = queue().poll(at(60), 7);
                      if (batch.isEmpty()) {
                        return null;
                      }
                      batch.forEach(d -> claimed.add(d.idempotencyKey()));
                    }
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(n, claimed.size(), "claims in all (a delivery claimed twice counts twice)");
      assertEquals(offered, new HashSet<>(claimed), "the deliveries claimed");
    }

    /** QUEUE-21. */
    @Test
    @Verifies(ContractRule.QUEUE_CLOSE_IDEMPOTENT)
    public void closeIdempotent() {
      DeliveryQueue q = createQueue();
      created.add(q);
      assertDoesNotThrow(q::close, "first close");
      assertDoesNotThrow(q::close, "second close");
    }
  }
}
