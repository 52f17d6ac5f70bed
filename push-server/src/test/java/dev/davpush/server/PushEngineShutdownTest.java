package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushMessage;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What shutdown and close hand back: waiting, parked and in-flight messages. */
class PushEngineShutdownTest {
  static final String WORK = "/cal/alice/work/";
  static final String A = "https://a.push.example/";

  final HandAnsweredTransport transport = new HandAnsweredTransport();
  final EngineHarness h = new EngineHarness(transport);
  final List<List<PendingDelivery>> callbacks = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    h.close();
  }

  /**
   * Two push resources at one origin with room for one attempt: after two changes one message is in
   * flight, one in line for the origin, and two (the ends of the coalescing window) waiting.
   */
  PushEngine busyEngine(List<CompletableFuture<PublishResult>> stages) {
    PushEngine engine =
        h.manual(b -> b.maxInFlightPerOrigin(1).maxSlowPerOrigin(0).onUndelivered(callbacks::add));
    register(engine, "alice", WORK, subscription(A + "1"), CONTENT_1);
    register(engine, "alice", WORK, subscription(A + "2"), CONTENT_1);
    h.resources.syncTokens.put(WORK, "http://example.com/sync/1");
    stages.add(engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture());
    h.executor.runAll();
    h.resources.syncTokens.put(WORK, "http://example.com/sync/2");
    stages.add(engine.publish(Change.contentUpdate(WORK + "y.ics").build()).toCompletableFuture());
    h.executor.runAll();
    assertThat(transport.pending).hasSize(1);
    return engine;
  }

  static String token(PendingDelivery d) {
    return d.message().contentUpdate().map(PushMessage.ContentUpdate::syncToken).orElse(null);
  }

  @Test
  void shutdownHandsBackWaitingParkedAndInFlightMessages() throws Exception {
    List<CompletableFuture<PublishResult>> stages = new CopyOnWriteArrayList<>();
    PushEngine engine = busyEngine(stages);

    List<PendingDelivery> back = engine.shutdown(Duration.ZERO);

    assertThat(back).hasSize(4);
    assertThat(back).filteredOn(d -> "http://example.com/sync/1".equals(token(d))).hasSize(2);
    assertThat(back).filteredOn(d -> "http://example.com/sync/2".equals(token(d))).hasSize(2);
    assertThat(back)
        .extracting(PendingDelivery::subscriptionId)
        .containsExactlyInAnyOrder(A + "1", A + "1", A + "2", A + "2");
    assertThat(engine.statistics().handedBack()).isEqualTo(4);
    assertThat(stages.get(0).get(10, TimeUnit.SECONDS))
        .isEqualTo(new PublishResult(2, 0, 0, 0, 0, 2));
    assertThat(stages.get(1).get(10, TimeUnit.SECONDS))
        .isEqualTo(new PublishResult(2, 0, 0, 0, 0, 2));
    assertThat(engine.undelivered()).containsExactlyInAnyOrderElementsOf(back);
    assertThat(engine.shutdown(Duration.ZERO)).as("idempotent").isEmpty();
  }

  @Test
  void closeGivesTheHandedBackMessagesToOnUndeliveredOnce() throws Exception {
    List<CompletableFuture<PublishResult>> stages = new CopyOnWriteArrayList<>();
    PushEngine engine = busyEngine(stages);

    engine.close();
    engine.close();

    assertThat(callbacks)
        .singleElement()
        .satisfies(
            list -> {
              assertThat(list).hasSize(4);
              assertThat(list).containsExactlyInAnyOrderElementsOf(engine.undelivered());
            });
  }

  @Test
  void anAnswerArrivingAfterCloseChangesNothing() throws Exception {
    List<CompletableFuture<PublishResult>> stages = new CopyOnWriteArrayList<>();
    PushEngine engine = busyEngine(stages);
    engine.close();

    transport.takeAll().forEach(HandAnsweredTransport.Pending::delivered);
    h.executor.runAll();

    assertThat(engine.statistics().delivered()).isZero();
    assertThat(transport.sent).hasSize(1);
    assertThat(stages.get(0)).isCompletedWithValue(new PublishResult(2, 0, 0, 0, 0, 2));
  }

  @Test
  void closeWithNothingLeftDoesNotCallOnUndelivered() throws Exception {
    PushEngine engine = h.manual(b -> b.onUndelivered(callbacks::add));
    register(engine, "alice", WORK, subscription(A + "1"), CONTENT_1);
    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();
    transport.next().delivered();
    h.executor.runAll();
    assertThat(stage).isCompletedWithValue(new PublishResult(1, 0, 1, 0, 0, 0));

    engine.close();

    assertThat(callbacks).isEmpty();
    assertThat(engine.undelivered()).isEmpty();
  }
}
