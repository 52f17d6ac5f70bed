package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.milton.example.MiltonExampleServer;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.xml.PushRegisterWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input through milton: hostile {@code push-register} bodies get a 4xx answer, never a 5xx, and
 * nothing is stored; a {@code PUT} while the push service hangs is answered promptly.
 */
class MiltonHostileInputIT {
  private static final String NS = "https://bitfire.at/webdav-push";
  private static final String VALID_PREFIX =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><P:push-register xmlns:P=\"" + NS + "\">";

  private static InMemorySubscriptionStore store;
  private static MiltonExampleServer server;
  private static EmbeddedPushService service;

  @BeforeAll
  static void start() {
    store = new InMemorySubscriptionStore();
    server =
        MiltonExampleServer.builder()
            .allowLoopbackHttpPush(true)
            .user("alice", "a-secret")
            .store(store)
            .start();
    service = EmbeddedPushService.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  private static Http alice() {
    return new Http("alice", "a-secret");
  }

  private static int stored() {
    return store.countByResource(MiltonExampleServer.COLLECTION);
  }

  static List<String> hostileBodies() {
    String deep = "<a>".repeat(10_000) + "</a>".repeat(10_000);
    return List.of(
        // external entity
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<P:push-register xmlns:P=\""
            + NS
            + "\"><P:subscription>&x;</P:subscription>"
            + "</P:push-register>",
        // entity expansion
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;"
            + "&a;&a;&a;&a;\">]><P:push-register xmlns:P=\""
            + NS
            + "\">&b;</P:push-register>",
        // not well-formed
        VALID_PREFIX + "<P:subscription><P:web-push-subscription>",
        // nesting past the limit
        VALID_PREFIX + deep + "</P:push-register>",
        // no subscription at all
        VALID_PREFIX + "</P:push-register>",
        // a key that is not a P-256 point
        VALID_PREFIX
            + "<P:subscription><P:web-push-subscription>"
            + "<P:push-resource>http://127.0.0.1:9/push/x</P:push-resource>"
            + "<P:content-encoding>aes128gcm</P:content-encoding>"
            + "<P:subscription-public-key type=\"p256dh\">AAAA</P:subscription-public-key>"
            + "<P:auth-secret>AAAA</P:auth-secret>"
            + "</P:web-push-subscription></P:subscription></P:push-register>",
        // a push resource on a private address
        VALID_PREFIX
            + "<P:subscription><P:web-push-subscription>"
            + "<P:push-resource>http://10.0.0.1/push/x</P:push-resource>"
            + "</P:web-push-subscription></P:subscription></P:push-register>",
        // an expiry in the past
        VALID_PREFIX
            + "<P:subscription><P:web-push-subscription>"
            + "<P:push-resource>http://127.0.0.1:9/push/x</P:push-resource>"
            + "</P:web-push-subscription></P:subscription>"
            + "<P:expires>Mon, 01 Jan 1990 00:00:00 GMT</P:expires></P:push-register>");
  }

  @Test
  void hostileRegistrationsGetA4xxAndStoreNothing() {
    for (String body : hostileBodies()) {
      HttpResponse<String> r =
          alice().register(server.collectionUri(), body.getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode())
          .as(body.substring(0, Math.min(body.length(), 200)))
          .isBetween(400, 499);
    }
    assertThat(stored()).isZero();
  }

  @Test
  void aBodyLargerThanTheLimitGetsA4xx() {
    byte[] huge =
        (VALID_PREFIX + "<P:x>" + "a".repeat(2 * 1024 * 1024) + "</P:x></P:push-register>")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(alice().register(server.collectionUri(), huge).statusCode()).isBetween(400, 499);
    assertThat(stored()).isZero();
  }

  @Test
  void aValidRegistrationIsStoredSoTheCountsAboveCanFail() {
    PushServiceSubscription s = service.subscribe();
    byte[] body =
        PushRegisterWriter.write(
            new RegisterRequest(
                s.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), null));
    HttpResponse<String> r = alice().register(server.collectionUri(), body);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(stored()).isEqualTo(1);
    alice().delete(java.net.URI.create(r.headers().firstValue("Location").orElseThrow()));
    assertThat(stored()).isZero();
  }

  @Test
  void aPutWhileThePushServiceHangsIsAnsweredPromptly() {
    PushServiceSubscription s = service.subscribe();
    service.injectFault(s, EmbeddedPushService.Fault.HANG, 10);
    byte[] body =
        PushRegisterWriter.write(
            new RegisterRequest(
                s.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), null));
    HttpResponse<String> reg = alice().register(server.collectionUri(), body);
    assertThat(reg.statusCode()).isEqualTo(204);
    try {
      for (int i = 0; i < 5; i++) {
        Instant before = Instant.now();
        HttpResponse<String> put =
            alice().put(server.collectionUri().resolve("hang-" + i + ".txt"), "x\n", List.of());
        Duration took = Duration.between(before, Instant.now());
        assertThat(put.statusCode()).isIn(201, 204);
        assertThat(took).as("PUT %d took %s", i, took).isLessThan(Duration.ofSeconds(2));
      }
    } finally {
      alice()
          .send(
              "DELETE",
              java.net.URI.create(reg.headers().firstValue("Location").orElseThrow()),
              Map.of(),
              null);
    }
  }
}
