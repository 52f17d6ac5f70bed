package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.AuthSecret;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A given-up delivery is logged once, at WARN, with the host and reason and nothing secret. */
class PushEngineLoggingTest {
  static final String WORK = "/cal/alice/work/";

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aGivenUpDeliveryLogsOneWarnLineWithHostAndReasonButNoCapabilityKeyOrSecret()
      throws Exception {
    PushEngine engine = h.manual(b -> {});
    AuthSecret secret = AuthSecret.random();
    WebPushSubscription s =
        WebPushSubscription.of(
            PushResource.parse("https://updates.push.example/wpush/v2/CAPABILITYxyz"),
            PushEngineTest.KEY,
            secret);
    Registration r = register(engine, "alice", WORK, s, CONTENT_1);
    h.transport.answer(s.id(), new DeliveryResult.Rejected(403, "VAPID authorization refused"));
    CapturingSlf4j.LINES.clear();

    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();

    assertThat(stage).isCompletedWithValue(new PublishResult(1, 0, 0, 0, 1, 0));
    List<String> lines = List.copyOf(CapturingSlf4j.LINES);
    assertThat(lines)
        .filteredOn(l -> l.startsWith("WARN dev.davpush.server"))
        .singleElement()
        .asString()
        .contains("given up", "host=updates.push.example", "403");
    String all = String.join("\n", lines);
    assertThat(all)
        .doesNotContain("/wpush/")
        .doesNotContain("CAPABILITYxyz")
        .doesNotContain(secret.toBase64Url())
        .doesNotContain(PushEngineTest.KEY.toBase64Url())
        .doesNotContain(r.id());
  }
}
