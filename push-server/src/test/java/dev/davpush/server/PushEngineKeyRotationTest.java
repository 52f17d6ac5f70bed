package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DeliveryResult;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VAPID key rotation (R-WDP-55): one message per live push resource, then the switch. */
class PushEngineKeyRotationTest {
  static final String WORK = "/cal/alice/work/";
  static final String HOME = "/cal/alice/home/";
  static final PropertyName TRANSPORTS =
      PropertyName.of("https://bitfire.at/webdav-push", "transports");
  // RFC 8291 Appendix A as_public: another valid P-256 point
  static final P256PublicKey NEW_KEY =
      P256PublicKey.fromBase64Url(
          "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");

  /** A web-push transport whose advertised VAPID key changes when the test switches it. */
  static final class RotatingTransport extends RecordingTransport {
    volatile P256PublicKey vapid = PushEngineTest.KEY;

    @Override
    public TransportDescriptor descriptor() {
      return new WebPushTransportDescriptor(vapid);
    }
  }

  final RotatingTransport transport = new RotatingTransport();
  final EngineHarness h = new EngineHarness(transport);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void sendsOneKeyRotationMessagePerLivePushResourceThenSwitchesTheKey() throws Exception {
    PushEngine engine = h.manual(b -> {});
    WebPushSubscription a = subscriptionNamed("a");
    WebPushSubscription b = subscriptionNamed("b");
    WebPushSubscription expired = subscriptionNamed("expired");
    WebPushSubscription foreign = subscriptionNamed("not-this-transport");
    register(engine, "alice", WORK, a, CONTENT_1);
    register(engine, "alice", HOME, a, CONTENT_1);
    register(engine, "bob", WORK, a, CONTENT_1);
    register(engine, "alice", HOME, b, CONTENT_1);
    engine.register(
        WORK,
        "alice",
        new RegisterRequest(expired, List.of(CONTENT_1), EngineHarness.START.plusSeconds(600)));
    register(engine, "alice", WORK, foreign, CONTENT_1);
    h.clock.advance(Duration.ofMinutes(20));
    transport.accepts = s -> s instanceof WebPushSubscription && !s.id().equals(foreign.id());
    AtomicInteger sentWhenSwitched = new AtomicInteger(-1);
    AtomicInteger switches = new AtomicInteger();

    CompletableFuture<PublishResult> rotation =
        engine
            .rotateKey(
                transport,
                () -> {
                  switches.incrementAndGet();
                  sentWhenSwitched.set(transport.sent.size());
                  transport.vapid = NEW_KEY;
                })
            .toCompletableFuture();
    h.executor.runAll();

    assertThat(rotation).isCompletedWithValue(new PublishResult(2, 0, 2, 0, 0, 0));
    assertThat(transport.sent)
        .extracting(RecordingTransport.Sent::subscriptionId)
        .containsExactlyInAnyOrder(a.id(), b.id());
    for (RecordingTransport.Sent s : transport.sent) {
      PushMessage m = s.message();
      assertThat(m.isKeyRotation()).isTrue();
      assertThat(m.topic()).isEmpty();
      assertThat(m.contentUpdate()).isEmpty();
      assertThat(m.propertyUpdate()).contains(new PushMessage.PropertyUpdate(Set.of(TRANSPORTS)));
    }
    assertThat(switches).hasValue(1);
    assertThat(sentWhenSwitched).hasValue(2);
    assertThat(engine.properties(WORK, "alice").orElseThrow().transports())
        .containsExactly(new WebPushTransportDescriptor(NEW_KEY));
  }

  @Test
  void theKeyIsNotSwitchedBeforeTheRotationMessagesHaveAnOutcome() throws Exception {
    PushEngine engine = h.manual(b -> {});
    register(engine, "alice", WORK, subscriptionNamed("a"), CONTENT_1);
    AtomicInteger switches = new AtomicInteger();

    CompletableFuture<PublishResult> rotation =
        engine.rotateKey(transport, switches::incrementAndGet).toCompletableFuture();

    assertThat(rotation).isNotDone();
    assertThat(switches).hasValue(0);
    assertThat(engine.properties(WORK, "alice").orElseThrow().transports())
        .containsExactly(new WebPushTransportDescriptor(PushEngineTest.KEY));
    h.executor.runAll();
    assertThat(switches).hasValue(1);
  }

  @Test
  void aPushServiceThatKeepsFailingDelaysTheSwitchByAtMostTheKeyRotationTimeout() throws Exception {
    PushEngine engine = h.manual(b -> b.keyRotationTimeout(Duration.ofMinutes(1)));
    h.autoWake = true;
    WebPushSubscription a = subscriptionNamed("a");
    register(engine, "alice", WORK, a, CONTENT_1);
    transport.answer(
        a.id(), Collections.nCopies(100, new DeliveryResult.RetryLater(503, null)).toArray());

    CompletableFuture<PublishResult> rotation =
        engine.rotateKey(transport, () -> transport.vapid = NEW_KEY).toCompletableFuture();
    h.executor.runAll();

    assertThat(rotation).isCompletedWithValue(new PublishResult(1, 0, 0, 0, 1, 0));
    assertThat(transport.vapid).isEqualTo(NEW_KEY);
    assertThat(transport.messagesTo(a.id())).hasSizeGreaterThan(1);
    assertThat(h.clock.instant())
        .isBeforeOrEqualTo(EngineHarness.START.plus(Duration.ofMinutes(1)));
  }
}
