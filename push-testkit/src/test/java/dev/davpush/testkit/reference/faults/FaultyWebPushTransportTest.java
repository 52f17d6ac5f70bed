package dev.davpush.testkit.reference.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.pushservice.Violation;
import dev.davpush.testkit.reference.faults.FaultyWebPushTransport.Deviation;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The faulty transport is correct except for its one deviation: without one the embedded push
 * service finds nothing wrong, and each deviation the service inspects shows as its violation.
 */
class FaultyWebPushTransportTest {
  private static final byte[] PAYLOAD =
      "<push-message xmlns=\"https://bitfire.at/webdav-push\"/>".getBytes(StandardCharsets.UTF_8);

  private EmbeddedPushService service;
  private WebPushTransport webPush;
  private final VapidKeyPair key = VapidKeyPair.generate();

  @BeforeEach
  void start() {
    service = EmbeddedPushService.start();
    webPush =
        WebPushTransport.builder()
            .vapidKeyPair(key)
            .subject("mailto:test@davpush.invalid")
            .pushResourcePolicy(
                PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
            .build();
  }

  @AfterEach
  void stop() {
    webPush.close();
    service.close();
  }

  private ReceivedPush send(Deviation deviation, PushServiceSubscription sub) throws Exception {
    FaultyWebPushTransport t =
        new FaultyWebPushTransport(deviation, webPush, () -> key, "mailto:test@davpush.invalid");
    assertThat(t.accepts(sub.toWebPushSubscription())).isTrue();
    assertThat(t.descriptor()).isEqualTo(webPush.descriptor());
    DeliveryResult r =
        t.send(PushDelivery.builder(sub.toWebPushSubscription(), PAYLOAD).topic("abc").build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isPositive();
    return sub.awaitMessage(Duration.ofSeconds(10)).orElseThrow();
  }

  @Test
  void withoutDeviationTheRequestIsCorrect() throws Exception {
    PushServiceSubscription sub = service.subscribe(key.publicKey());
    ReceivedPush p = send(Deviation.NONE, sub);
    assertThat(p.violations()).isEmpty();
    assertThat(p.status()).isEqualTo(201);
    assertThat(p.plaintext()).hasValue(PAYLOAD);
    assertThat(p.header("Content-Type")).hasValue("application/xml; charset=\"UTF-8\"");
    assertThat(p.header("Topic")).hasValue("abc");
    assertThat(p.vapidClaims().orElseThrow().subject()).hasValue("mailto:test@davpush.invalid");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "NO_TTL, missing-ttl",
    "TTL_NOT_DIGITS, bad-ttl",
    "BAD_URGENCY, bad-urgency",
    "TWO_URGENCIES, bad-urgency",
    "LONG_TOPIC, bad-topic",
    "TOPIC_NOT_BASE64URL, bad-topic",
    "CONTENT_ENCODING_AESGCM, bad-content-encoding",
    "WRONG_AUTH_SECRET, decrypt-failed",
    "CORRUPT_CIPHERTEXT, decrypt-failed",
    "BODY_OVER_4096, body-too-large",
    "NO_AUTHORIZATION, vapid-missing",
    "SIGNED_WITH_ANOTHER_KEY, vapid-key-mismatch",
    "WRONG_AUDIENCE, vapid-audience-mismatch",
    "EXPIRY_TOO_FAR, vapid-expiry-too-far",
    "EXPIRED_TOKEN, vapid-expired",
    "DER_SIGNATURE, vapid-invalid",
    "VAPID_KEY_AS_ECDH_KEY, vapid-key-reused"
  })
  void eachDeviationShowsAsItsViolation(Deviation deviation, String code) throws Exception {
    ReceivedPush p = send(deviation, service.subscribe(key.publicKey()));
    assertThat(p.violations()).extracting(Violation::code).containsExactly(code);
  }

  @Test
  void swallowedMessagesNeverArrive() throws Exception {
    PushServiceSubscription sub = service.subscribe(key.publicKey());
    FaultyWebPushTransport t =
        new FaultyWebPushTransport(
            Deviation.SWALLOW_MESSAGES, webPush, () -> key, "mailto:test@davpush.invalid");
    DeliveryResult r =
        t.send(PushDelivery.builder(sub.toWebPushSubscription(), PAYLOAD).build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    assertThat(sub.expectNothing(Duration.ofMillis(500))).isTrue();
  }

  @Test
  void goneIsGoneUnlessTheDeviationIgnoresIt() throws Exception {
    PushServiceSubscription sub = service.subscribe(key.publicKey());
    sub.unsubscribe();
    for (Deviation d : new Deviation[] {Deviation.NONE, Deviation.IGNORE_GONE}) {
      DeliveryResult r =
          new FaultyWebPushTransport(d, webPush, () -> key, "mailto:test@davpush.invalid")
              .send(PushDelivery.builder(sub.toWebPushSubscription(), PAYLOAD).build())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(r)
          .as("%s", d)
          .isInstanceOf(
              d == Deviation.NONE ? DeliveryResult.Gone.class : DeliveryResult.Delivered.class);
    }
  }
}
