package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.SubscriptionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine and a queue that outlives it: a new engine looks at its queue once when built, hands
 * the queue a wake-up hook, and a store that fails while a delivery is prepared puts the delivery
 * back instead of losing it.
 */
class PushEngineQueueStartTest {
  static final String WORK = "/cal/alice/work/";

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aNewEngineSendsTheRetryItsDurableQueueKeptWithoutWaitingForAPublish() throws Exception {
    KeptQueue queue = new KeptQueue();
    PushEngine first = h.manual(b -> b.deliveryQueue(queue));
    WebPushSubscription s = subscriptionNamed("kept");
    register(first, "alice", WORK, s, CONTENT_1);
    h.transport.answer(s.id(), new DeliveryResult.RetryLater(503, null));
    first.publish(Change.contentUpdate(WORK + "x.ics").build());
    h.executor.runAll();
    assertThat(h.transport.messagesTo(s.id())).hasSize(1);
    assertThat(first.shutdown(Duration.ZERO)).isEmpty(); // the retry stays in the durable queue
    assertThat(queue.size()).isEqualTo(1);

    h.autoWake = true;
    h.engine(b -> b.deliveryQueue(queue)); // no publish: only its start looks at the queue

    waitFor(() -> h.transport.messagesTo(s.id()).size() == 2);
    waitFor(() -> queue.size() == 0);
  }

  @Test
  void theQueuesWakeUpHookMakesAnIdleEngineLookAgain() throws Exception {
    KeptQueue queue = new KeptQueue();
    queue.hideWork = true; // nextDue() never tells: the work arrives from elsewhere (another node)
    PushEngine engine = h.manual(b -> b.deliveryQueue(queue));
    WebPushSubscription s = subscriptionNamed("adopted");
    Registration r = register(engine, "alice", WORK, s, CONTENT_1);
    assertThat(queue.hooks).hasSize(1);
    h.executor.runAll(); // the engine's look at its queue when built: nothing there yet

    queue.inner.offer(adopted(r));
    // everything the engine would do by itself: its queued work and its armed wake-ups
    h.executor.runAll();
    h.wake();
    assertThat(h.transport.messagesTo(s.id())).as("sent before the hook ran").isEmpty();

    queue.hooks.get(0).run();
    h.executor.runAll();
    assertThat(h.transport.messagesTo(s.id())).hasSize(1);
    assertThat(queue.size()).isZero();
  }

  @Test
  void aStoreThatFailsWhileADeliveryIsPreparedPutsTheDeliveryBack() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    SubscriptionStore failing = failingFinds(h.store, failures);
    h.autoWake = true;
    PushEngine engine = h.engine(b -> b.store(failing));
    WebPushSubscription s = subscriptionNamed("flaky-store");
    Registration r = register(engine, "alice", WORK, s, CONTENT_1);
    failures.set(2);
    CapturingSlf4j.LINES.clear();

    PublishResult result =
        EngineHarness.await(engine.publish(Change.contentUpdate(WORK + "x.ics").build()));

    assertThat(result.delivered()).isEqualTo(1);
    assertThat(result.failed()).isZero();
    assertThat(failures.get()).isZero();
    assertThat(h.transport.messagesTo(s.id())).hasSize(1);
    EngineStatistics stats = engine.statistics();
    assertThat(stats.storeFailures()).isEqualTo(2);
    assertThat(stats.givenUp()).isZero();
    assertThat(stats.delivered()).isEqualTo(1);
    List<String> lines = List.copyOf(CapturingSlf4j.LINES);
    assertThat(lines)
        .filteredOn(l -> l.startsWith("WARN dev.davpush.server.PushEngine: the subscription store"))
        .isNotEmpty()
        .allMatch(l -> l.contains("host push.example") && l.contains("the database went away"));
    assertThat(String.join("\n", lines)).doesNotContain("flaky-store").doesNotContain(r.id());
  }

  @Test
  void aStoreThatKeepsFailingGivesTheDeliveryUpOnceItsTtlIsOver() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    SubscriptionStore failing = failingFinds(h.store, failures);
    h.autoWake = true;
    PushEngine engine = h.engine(b -> b.store(failing).ttl(Duration.ofSeconds(30)));
    WebPushSubscription s = subscriptionNamed("dead-store");
    register(engine, "alice", WORK, s, CONTENT_1);
    failures.set(Integer.MAX_VALUE);

    PublishResult result =
        EngineHarness.await(engine.publish(Change.contentUpdate(WORK + "x.ics").build()));

    assertThat(result.failed()).isEqualTo(1);
    assertThat(h.transport.sent).isEmpty();
    EngineStatistics stats = engine.statistics();
    assertThat(stats.storeFailures()).isPositive();
    assertThat(stats.givenUp()).isEqualTo(1);
  }

  private PendingDelivery adopted(Registration r) {
    Instant now = h.clock.instant();
    return PendingDelivery.builder()
        .registrationId(r.id())
        .subscriptionId(r.subscription().id())
        .message(PushMessage.contentUpdate(r.topic(), null))
        .urgency(Urgency.NORMAL)
        .notBefore(now)
        .deadline(now.plus(Duration.ofHours(1)))
        .idempotencyKey("adopted-1")
        .build();
  }

  /**
   * The store, whose {@code find(id)} throws while {@code failures} is positive (counting down).
   */
  static SubscriptionStore failingFinds(SubscriptionStore store, AtomicInteger failures) {
    return (SubscriptionStore)
        Proxy.newProxyInstance(
            SubscriptionStore.class.getClassLoader(),
            new Class<?>[] {SubscriptionStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("find")
                  && args != null
                  && args.length == 1
                  && failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                throw new PushException("store: the database went away");
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** An in-memory queue that says it is durable and records the engine's wake-up hooks. */
  static final class KeptQueue extends ForwardingQueue {
    final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    volatile boolean hideWork;

    @Override
    public Optional<Instant> nextDue() {
      return hideWork ? Optional.empty() : inner.nextDue();
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public void onWork(Runnable wake) {
      hooks.add(wake);
    }
  }
}
