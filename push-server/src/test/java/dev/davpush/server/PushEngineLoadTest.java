package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caps on pending changes, the delivery queue, and attempts per push-service origin. */
class PushEngineLoadTest {
  static final String WORK = "/cal/alice/work/";
  static final String A = "https://a.push.example/";
  static final String B = "https://b.push.example/";

  final HandAnsweredTransport transport = new HandAnsweredTransport();
  final EngineHarness h = new EngineHarness(transport);

  @AfterEach
  void close() {
    h.close();
  }

  CompletableFuture<PublishResult> publish(PushEngine engine, String path) {
    return engine.publish(Change.contentUpdate(path).build()).toCompletableFuture();
  }

  @Test
  void aChangeOverMaxPendingChangesIsRefusedAtOnceAndCounted() throws Exception {
    PushEngine engine = h.manual(b -> b.maxPendingChanges(3));
    List<CompletableFuture<PublishResult>> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      accepted.add(publish(engine, WORK + i)); // parked in the executor
    }

    CompletableFuture<PublishResult> refused = publish(engine, WORK + "x");

    assertThat(refused).isCompletedExceptionally();
    assertThat(refused)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(PushOverloadedException.class);
    assertThat(engine.statistics().changesRefused()).isEqualTo(1);
    assertThat(engine.statistics().changesPublished()).isEqualTo(3);

    h.executor.runAll();
    for (CompletableFuture<PublishResult> f : accepted) {
      assertThat(f).isCompleted();
    }
    assertThat(publish(engine, WORK + "y")).isNotCompletedExceptionally();
  }

  @Test
  void aFullDeliveryQueueFailsTheMessageAndCountsItDropped() throws Exception {
    EngineHarness recording = new EngineHarness();
    try {
      PushEngine engine = recording.manual(b -> b.deliveryQueue(new InMemoryDeliveryQueue(1)));
      register(engine, "alice", WORK, subscription(A + "1"), CONTENT_1);
      register(engine, "alice", WORK, subscription(A + "2"), CONTENT_1);

      CompletableFuture<PublishResult> stage =
          engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
      recording.executor.runAll();

      assertThat(stage).isCompletedWithValue(new PublishResult(2, 0, 1, 0, 1, 0));
      assertThat(engine.statistics().deliveriesDropped()).isEqualTo(1);
      assertThat(recording.transport.sent).hasSize(1);
    } finally {
      recording.close();
    }
  }

  @Test
  void maxInFlightPerOriginKeepsABusyOriginAtItsLimitWhileAnotherOriginIsServed() throws Exception {
    PushEngine engine = h.manual(b -> b.maxInFlightPerOrigin(2).maxSlowPerOrigin(0));
    for (int i = 1; i <= 4; i++) {
      register(engine, "alice", WORK, subscription(A + i), CONTENT_1);
    }
    WebPushSubscription b = subscription(B + "1");
    register(engine, "alice", WORK, b, CONTENT_1);

    CompletableFuture<PublishResult> stage = publish(engine, WORK + "x.ics");
    h.executor.runAll();

    List<HandAnsweredTransport.Pending> first = transport.takeAll();
    assertThat(first).filteredOn(p -> p.subscriptionId().startsWith(A)).hasSize(2);
    assertThat(first).filteredOn(p -> p.subscriptionId().equals(b.id())).hasSize(1);

    first.get(0).delivered(); // one slot of its origin frees
    h.executor.runAll();
    List<HandAnsweredTransport.Pending> second = transport.takeAll();
    assertThat(second).hasSize(first.get(0).subscriptionId().startsWith(A) ? 1 : 0);

    // answer everything as it comes: all five are delivered, never more than two at A at once
    List<HandAnsweredTransport.Pending> open = new ArrayList<>(first.subList(1, first.size()));
    open.addAll(second);
    while (!open.isEmpty()) {
      assertThat(open)
          .filteredOn(p -> p.subscriptionId().startsWith(A))
          .hasSizeLessThanOrEqualTo(2);
      open.remove(0).delivered();
      h.executor.runAll();
      open.addAll(transport.takeAll());
    }
    assertThat(stage).isCompletedWithValue(new PublishResult(5, 0, 5, 0, 0, 0));
  }

  @Test
  void aHangingAttemptGivesItsSlotBackSoAHealthyOneToTheSameOriginIsSent() throws Exception {
    PushEngine engine = h.engine(b -> b.maxInFlightPerOrigin(1).maxSlowPerOrigin(1));
    WebPushSubscription warm = subscription(A + "warm");
    WebPushSubscription hanging = subscription(A + "hanging");
    WebPushSubscription healthy = subscription(A + "healthy");
    register(engine, "alice", "/cal/alice/home/", warm, CONTENT_1);
    register(engine, "alice", WORK, hanging, CONTENT_1);
    register(engine, "alice", "/cal/", healthy, new Trigger.ContentUpdate(Depth.ZERO));

    // one quick answer: the origin's slow threshold drops to its minimum, 250 ms
    CompletableFuture<PublishResult> first = publish(engine, "/cal/alice/home/x.ics");
    transport.next().delivered();
    EngineHarness.await(first);

    CompletableFuture<PublishResult> stuck = publish(engine, WORK + "x.ics");
    HandAnsweredTransport.Pending hangs = transport.next();
    assertThat(hangs.subscriptionId()).isEqualTo(hanging.id());
    CompletableFuture<PublishResult> ok = publish(engine, "/cal/");

    HandAnsweredTransport.Pending sent = transport.next(); // only once the hanging one is slow
    assertThat(sent.subscriptionId()).isEqualTo(healthy.id());
    sent.delivered();
    assertThat(EngineHarness.await(ok)).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
    assertThat(stuck).isNotDone();
    assertThat(hangs.answer()).isNotDone();
    hangs.delivered();
    assertThat(EngineHarness.await(stuck).delivered()).isEqualTo(1);
  }

  @Test
  void aFullEngineWaitsForAFreeSlotWithoutSpinningOnWakeUps() throws Exception {
    PushEngine engine = h.manual(b -> b.maxInFlight(1).maxSlowPerOrigin(0));
    for (int i = 1; i <= 3; i++) {
      register(engine, "alice", WORK, subscription(A + i), CONTENT_1);
    }

    CompletableFuture<PublishResult> stage = publish(engine, WORK + "x.ics");
    h.executor.runAll();

    List<HandAnsweredTransport.Pending> open = transport.takeAll();
    assertThat(open).hasSize(1); // one in flight, two due but no room
    assertThat(h.wakeUpDelays).as("no wake-up for work that only waits for room").isEmpty();
    for (int i = 0; i < 3; i++) {
      assertThat(open).hasSize(1);
      open.get(0).delivered(); // the slot frees: the next one goes
      h.executor.runAll();
      open = transport.takeAll();
    }
    assertThat(open).isEmpty();
    assertThat(EngineHarness.await(stage).delivered()).isEqualTo(3);
  }
}
