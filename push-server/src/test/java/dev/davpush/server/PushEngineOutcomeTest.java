package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.PushMessageWriter;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What follows an attempt: grace period (R-WDP-45), 429 hold-back, oversized sync-tokens. */
class PushEngineOutcomeTest {
  static final String WORK = "/cal/alice/work/";
  static final String HOME = "/cal/alice/home/";

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  static Object[] times(int n, Object answer) {
    return Collections.nCopies(n, answer).toArray();
  }

  @Test
  void aPushResourceFailingLongerThanTheGracePeriodLosesEveryRegistration() throws Exception {
    PushEngine engine = h.manual(b -> b.gracePeriod(Duration.ofHours(1)));
    h.autoWake = true;
    WebPushSubscription failing = subscriptionNamed("failing");
    register(engine, "alice", WORK, failing, CONTENT_1);
    register(engine, "alice", HOME, failing, CONTENT_1);
    Registration healthy = register(engine, "alice", WORK, subscriptionNamed("ok"), CONTENT_1);
    h.transport.answer(failing.id(), times(100, new DeliveryResult.RetryLater(503, null)));

    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();

    assertThat(stage).isCompletedWithValue(new PublishResult(2, 0, 1, 0, 1, 0));
    assertThat(h.store.findBySubscription(failing.id())).isEmpty();
    assertThat(h.store.find(healthy.id())).isPresent();
    assertThat(engine.statistics().removedAfterGracePeriod()).isEqualTo(2);
    assertThat(h.clock.instant()).isAfter(EngineHarness.START.plus(Duration.ofHours(1)));
    assertThat(h.clock.instant()).isBefore(EngineHarness.START.plus(Duration.ofHours(2)));
  }

  @Test
  void aPushResourceThatRecoversWithinTheGracePeriodKeepsItsRegistrations() throws Exception {
    PushEngine engine = h.manual(b -> b.gracePeriod(Duration.ofMinutes(1)));
    h.autoWake = true;
    WebPushSubscription flaky = subscriptionNamed("flaky");
    register(engine, "alice", WORK, flaky, CONTENT_1);
    // 1.5 + 3 + 6 + 12 s of backoff: under a minute
    h.transport.answer(flaky.id(), times(4, new DeliveryResult.RetryLater(503, null)));

    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();

    assertThat(stage).isCompletedWithValue(new PublishResult(1, 0, 1, 0, 0, 0));
    assertThat(h.store.findBySubscription(flaky.id())).hasSize(1);
    assertThat(engine.statistics().removedAfterGracePeriod()).isZero();
  }

  @Test
  void tooManyRequestsHoldsBackEveryMessageToThatPushResourceUntilRetryAfter() throws Exception {
    PushEngine engine = h.manual(b -> {});
    WebPushSubscription limited = subscriptionNamed("limited");
    WebPushSubscription other = subscriptionNamed("other");
    register(engine, "alice", WORK, limited, CONTENT_1);
    register(engine, "alice", HOME, limited, CONTENT_1);
    register(engine, "alice", HOME, other, CONTENT_1);
    h.transport.answer(limited.id(), new DeliveryResult.RetryLater(429, Duration.ofSeconds(60)));

    engine.publish(Change.contentUpdate(WORK + "x.ics").build());
    h.executor.runAll();
    CompletableFuture<PublishResult> home =
        engine.publish(Change.contentUpdate(HOME + "y.ics").build()).toCompletableFuture();
    h.executor.runAll();

    assertThat(h.transport.messagesTo(limited.id())).as("only the attempt answered 429").hasSize(1);
    assertThat(h.transport.messagesTo(other.id())).as("another push resource").hasSize(1);

    h.wake();
    assertThat(h.clock.instant()).isAfterOrEqualTo(EngineHarness.START.plusSeconds(60));
    assertThat(h.transport.messagesTo(limited.id())).hasSize(3);
    assertThat(EngineHarness.await(home)).isEqualTo(new PublishResult(2, 0, 2, 0, 0, 0));
  }

  /** The sync-token whose content-update message encodes to exactly {@code size} octets. */
  static String tokenForPayload(Topic topic, int size) {
    int overhead = PushMessageWriter.write(PushMessage.contentUpdate(topic, "x")).length - 1;
    return "x".repeat(size - overhead);
  }

  PushMessage sentWithToken(String token) throws Exception {
    PushEngine engine = h.manual(b -> b.messageEncoder(PushMessageWriter.encoder()));
    WebPushSubscription s = subscriptionNamed("a");
    register(engine, "alice", WORK, s, CONTENT_1);
    h.resources.syncTokens.put(WORK, token);
    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();
    assertThat(stage).isCompletedWithValue(new PublishResult(1, 0, 1, 0, 0, 0));
    byte[] payload = h.transport.sent.get(0).delivery().payload();
    assertThat(payload.length).isLessThanOrEqualTo(Dispatcher.MAX_PAYLOAD);
    return PushMessageReader.read(payload);
  }

  @Test
  void aSyncTokenThatFitsIntoThreeThousandNineHundredNinetyThreeOctetsIsSent() throws Exception {
    Topic topic = h.resources.resources.get(WORK).topic();
    String token = tokenForPayload(topic, Dispatcher.MAX_PAYLOAD);

    PushMessage m = sentWithToken(token);

    assertThat(m.contentUpdate().orElseThrow().syncToken()).isEqualTo(token);
  }

  @Test
  void aSyncTokenTooLongForTheMessageIsDroppedInsteadOfFailingTheDelivery() throws Exception {
    Topic topic = h.resources.resources.get(WORK).topic();
    String token = tokenForPayload(topic, Dispatcher.MAX_PAYLOAD + 1);

    PushMessage m = sentWithToken(token);

    assertThat(m.topic()).contains(topic);
    assertThat(m.contentUpdate()).isPresent();
    assertThat(m.contentUpdate().orElseThrow().syncToken()).isNull();
  }
}
