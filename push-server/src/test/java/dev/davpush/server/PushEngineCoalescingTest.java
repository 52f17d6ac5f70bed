package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Trigger;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Coalescing (R-WDP-43), urgency from importance (R-WDP-61) and the Topic header (R-WDP-60). */
class PushEngineCoalescingTest {
  static final String WORK = "/cal/alice/work/";
  static final Trigger PROPERTIES = new Trigger.PropertyUpdate(Depth.ZERO);

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  CompletableFuture<PublishResult> publish(PushEngine engine, Change change) {
    return engine.publish(change).toCompletableFuture();
  }

  Change content(int i) {
    return Change.contentUpdate(WORK + "e" + i + ".ics").build();
  }

  static String token(PushMessage m) {
    return m.contentUpdate().orElseThrow().syncToken();
  }

  @Test
  void aHundredRapidChangesGiveAtMostTwoMessagesPerPushResourceTheLastWithTheNewestSyncToken()
      throws Exception {
    PushEngine engine = h.manual(b -> {});
    Registration a = register(engine, "alice", WORK, subscriptionNamed("a"), CONTENT_1);
    Registration b = register(engine, "bob", WORK, subscriptionNamed("b"), CONTENT_1);
    List<CompletableFuture<PublishResult>> stages = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      h.resources.syncTokens.put(WORK, "http://example.com/sync/" + i);
      stages.add(publish(engine, content(i)));
      if (i % 10 == 0) {
        h.executor.runAll(); // fan-outs run while changes keep coming
      }
    }
    h.executor.runAll();
    h.wake(); // the end of the coalescing window

    for (CompletableFuture<PublishResult> s : stages) {
      assertThat(EngineHarness.await(s)).isEqualTo(new PublishResult(2, 0, 2, 0, 0, 0));
    }
    for (Registration r : List.of(a, b)) {
      List<PushMessage> got = h.transport.messagesTo(r.subscription().id());
      assertThat(got).hasSizeBetween(1, 2);
      assertThat(token(got.get(got.size() - 1))).isEqualTo("http://example.com/sync/100");
    }
  }

  @Test
  void theFirstChangeOfABurstGoesAtOnceAndTheRestAtTheEndOfTheWindow() throws Exception {
    PushEngine engine = h.manual(b -> b.coalescingWindow(Duration.ofSeconds(3)));
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1);

    publish(engine, content(1));
    publish(engine, content(2));
    h.executor.runAll();
    assertThat(h.transport.messagesTo(s.id())).hasSize(1);

    h.wake();
    assertThat(h.transport.messagesTo(s.id())).hasSize(2);
    assertThat(h.wakeUpDelays).contains(Duration.ofSeconds(3));
  }

  @Test
  void aPropertyUpdateInsideABurstOfContentChangesIsNeverLost() throws Exception {
    PushEngine engine = h.manual(b -> {});
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1, PROPERTIES);
    List<CompletableFuture<PublishResult>> stages = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      h.resources.syncTokens.put(WORK, "http://example.com/sync/" + i);
      stages.add(
          publish(
              engine,
              i == 7
                  ? Change.propertyUpdate(WORK, Set.of(PropertyName.DISPLAYNAME)).build()
                  : content(i)));
    }
    h.executor.runAll();
    h.wake();

    for (CompletableFuture<PublishResult> stage : stages) {
      assertThat(EngineHarness.await(stage).delivered()).isEqualTo(1);
    }
    List<PushMessage> got = h.transport.messagesTo(s.id());
    assertThat(got).hasSizeBetween(1, 2);
    assertThat(got).anySatisfy(m -> assertThat(m.propertyUpdate()).isPresent());
    assertThat(token(got.get(got.size() - 1))).isEqualTo("http://example.com/sync/20");
  }

  @Test
  void aHighChangeIsSentAtOnceWithUrgencyHigh() throws Exception {
    PushEngine engine = h.manual(b -> {});
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1);
    publish(engine, content(1)); // opens a window
    h.executor.runAll();

    CompletableFuture<PublishResult> high =
        publish(
            engine,
            Change.contentUpdate(WORK + "x.ics").importance(Change.Importance.HIGH).build());
    h.executor.runAll(); // no wake-up: nothing waits for the window

    assertThat(high).isCompletedWithValue(new PublishResult(1, 0, 1, 0, 0, 0));
    assertThat(h.transport.sent).hasSize(2);
    assertThat(h.transport.sent.get(1).delivery().urgency()).isEqualTo(Urgency.HIGH);
  }

  @Test
  void aHighChangeIsNotHeldBackByAWaitingTrailingMessage() throws Exception {
    PushEngine engine =
        h.manual(
            b ->
                b.coalescingWindow(Duration.ofSeconds(30))
                    .maximumCoalescingWindow(Duration.ofSeconds(30)));
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1);
    publish(engine, content(1)); // leading edge, sent
    CompletableFuture<PublishResult> trailing = publish(engine, content(2)); // waits 30 s
    h.executor.runAll();

    CompletableFuture<PublishResult> high =
        publish(
            engine,
            Change.contentUpdate(WORK + "x.ics").importance(Change.Importance.HIGH).build());
    h.executor.runAll();

    assertThat(high).isCompleted();
    assertThat(trailing).isCompleted();
    assertThat(h.transport.sent).hasSize(2);
    assertThat(h.transport.sent.get(1).delivery().urgency()).isEqualTo(Urgency.HIGH);
  }

  @Test
  void aLowChangeWaitsForTheWindowAndIsSentWithUrgencyLow() throws Exception {
    PushEngine engine = h.manual(b -> b.urgency(Urgency.HIGH));
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1);

    CompletableFuture<PublishResult> low =
        publish(
            engine, Change.contentUpdate(WORK + "x.ics").importance(Change.Importance.LOW).build());
    h.executor.runAll();
    assertThat(h.transport.sent).isEmpty();

    h.wake();
    assertThat(EngineHarness.await(low).delivered()).isEqualTo(1);
    assertThat(h.transport.sent)
        .singleElement()
        .satisfies(x -> assertThat(x.delivery().urgency()).isEqualTo(Urgency.LOW));
  }

  @Test
  void aNormalChangeIsSentWithTheEnginesUrgency() throws Exception {
    PushEngine engine = h.manual(b -> b.urgency(Urgency.VERY_LOW));
    register(engine, "alice", WORK, subscriptionNamed("a"), CONTENT_1);

    CompletableFuture<PublishResult> normal = publish(engine, content(1));
    h.executor.runAll();

    assertThat(normal).isCompletedWithValue(new PublishResult(1, 0, 1, 0, 0, 0));
    assertThat(h.transport.sent.get(0).delivery().urgency()).isEqualTo(Urgency.VERY_LOW);
  }

  @Test
  void everyDeliverySetsAnRfc8030TopicThatARetryKeeps() throws Exception {
    PushEngine engine = h.manual(b -> {});
    h.autoWake = true;
    WebPushSubscription s = subscriptionNamed("a");
    WebPushSubscription t = subscriptionNamed("b");
    register(engine, "alice", WORK, s, CONTENT_1, PROPERTIES);
    register(engine, "alice", "/cal/alice/home/", s, CONTENT_1);
    register(engine, "alice", WORK, t, CONTENT_1);
    h.transport.answer(t.id(), new DeliveryResult.RetryLater(503, null));

    publish(engine, content(1));
    publish(engine, Change.contentUpdate("/cal/alice/home/x.ics").build());
    publish(engine, Change.propertyUpdate(WORK, Set.of(PropertyName.DISPLAYNAME)).build());
    h.executor.runAll();

    assertThat(h.transport.sent).hasSizeGreaterThanOrEqualTo(5);
    assertThat(h.transport.sent)
        .allSatisfy(
            x ->
                assertThat(x.delivery().topic())
                    .hasValueSatisfying(v -> assertThat(v).matches("[A-Za-z0-9_-]{32}")));
    List<String> toT =
        h.transport.sent.stream()
            .filter(x -> x.subscriptionId().equals(t.id()))
            .map(x -> x.delivery().topic().orElseThrow())
            .toList();
    assertThat(toT).hasSize(2).containsOnly(toT.get(0)); // the retry replaces the first attempt
    assertThat(
            h.transport.sent.stream()
                .filter(x -> x.subscriptionId().equals(s.id()))
                .map(x -> x.delivery().topic().orElseThrow())
                .distinct())
        .as("work content, home content, work property: three topics")
        .hasSize(3);
  }

  @Test
  void aMessageCarriesTheSyncTokenCurrentWhenItIsSentNotWhenItWasFannedOut() throws Exception {
    PushEngine engine = h.manual(b -> {});
    Registration a = register(engine, "alice", WORK, subscriptionNamed("a"), CONTENT_1);
    h.resources.syncTokens.put(WORK, "http://example.com/sync/1");
    CompletableFuture<PublishResult> first = publish(engine, content(1));
    Runnable fanOut = h.executor.tasks.poll(); // the fan-out reads token 1 ...
    fanOut.run();
    h.resources.syncTokens.put(WORK, "http://example.com/sync/2"); // ... a newer change commits
    publish(engine, content(2));
    h.executor.runAll();
    h.wake();

    EngineHarness.await(first);
    List<PushMessage> got = h.transport.messagesTo(a.subscription().id());
    assertThat(token(got.get(0))).isEqualTo("http://example.com/sync/2");
  }
}
