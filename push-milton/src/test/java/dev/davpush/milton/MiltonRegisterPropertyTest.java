package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.milton.example.MiltonExampleServer;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.xml.PushRegisterWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Robustness: a valid push-register body with a stretch replaced by junk never gets a 5xx. */
class MiltonRegisterPropertyTest {
  private static MiltonExampleServer server;
  private static EmbeddedPushService service;

  @BeforeContainer
  static void start() {
    server =
        MiltonExampleServer.builder().allowLoopbackHttpPush(true).user("alice", "a-secret").start();
    service = EmbeddedPushService.start();
  }

  @AfterContainer
  static void stop() {
    server.close();
    service.close();
  }

  private static Http alice() {
    return new Http("alice", "a-secret");
  }

  @Property(tries = 200)
  void mutatedRegistrationsNeverGetA5xx(@ForAll("mutated") String body) {
    HttpResponse<String> r =
        alice().register(server.collectionUri(), body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(body).isLessThan(500);
    if (r.statusCode() / 100 == 2) {
      alice().delete(URI.create(r.headers().firstValue("Location").orElseThrow()));
    }
  }

  @Provide
  Arbitrary<String> mutated() {
    PushServiceSubscription s = service.subscribe();
    String valid =
        new String(
            PushRegisterWriter.write(
                new RegisterRequest(
                    s.toWebPushSubscription(),
                    List.of(new Trigger.ContentUpdate(Depth.ONE)),
                    null)),
            StandardCharsets.UTF_8);
    Arbitrary<Integer> at = Arbitraries.integers().between(0, valid.length() - 1);
    Arbitrary<String> junk =
        Arbitraries.strings().withChars("<>&;\"'/=:!?[]#x0aé\u0000 ").ofMaxLength(12);
    return Combinators.combine(at, at, junk)
        .as(
            (a, b, j) -> {
              int from = Math.min(a, b);
              int to = Math.max(a, b);
              return valid.substring(0, from) + j + valid.substring(to);
            });
  }
}
