package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.ContentEncoding;
import dev.davpush.DeliveryException;
import dev.davpush.PushResource;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransportProvider;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidClaims;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebPushTransport} against a scripted push service on 127.0.0.1. */
class WebPushTransportTest {
  static final byte[] PAYLOAD =
      "<push-message xmlns=\"https://bitfire.at/webdav-push\"/>".getBytes(StandardCharsets.UTF_8);
  static final PushResourcePolicy LOCAL =
      PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build();

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T04:00:00Z"));
  final VapidKeyPair vapid = VapidKeyPair.generate();
  final UserAgentKeyPair ua = UserAgentKeyPair.generate();
  TestPushService service;
  WebPushTransport transport;

  @BeforeEach
  void start() throws Exception {
    service = new TestPushService();
    transport =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .subject("mailto:ops@example.com")
            .pushResourcePolicy(LOCAL)
            .connectTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMillis(800))
            .clock(clock)
            .build();
  }

  @AfterEach
  void stop() {
    transport.close();
    service.close();
  }

  WebPushSubscription subscription() {
    return WebPushSubscription.of(
        new PushResource(service.uri("/push/secret-capability-token")),
        ua.publicKey(),
        ua.authSecret());
  }

  DeliveryResult send(PushDelivery d) throws Exception {
    return transport.send(d).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  DeliveryResult send() throws Exception {
    return send(PushDelivery.builder(subscription(), PAYLOAD).build());
  }

  Throwable failure(PushDelivery d) {
    CompletableFuture<DeliveryResult> f = transport.send(d).toCompletableFuture();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    return f.handle((r, e) -> e).join();
  }

  @Test
  void postsAnEncryptedBodyTheSubscriptionCanDecrypt() throws Exception {
    assertThat(send()).isEqualTo(new DeliveryResult.Delivered(201));
    TestPushService.Recorded r = service.take();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/push/secret-capability-token");
    assertThat(ua.decrypt(r.body())).isEqualTo(PAYLOAD);
    assertThat(r.header("Content-Encoding")).isEqualTo("aes128gcm");
    assertThat(r.header("Content-Type")).isEqualTo("application/xml; charset=\"UTF-8\"");
    assertThat(r.header("TTL")).isEqualTo("86400");
    assertThat(r.header("Urgency")).isNull();
    assertThat(r.header("Topic")).isNull();
  }

  @Test
  void sendsTtlInWholeSecondsUrgencyUnlessNormalAndTopic() throws Exception {
    send(
        PushDelivery.builder(subscription(), PAYLOAD)
            .ttl(Duration.ofMillis(90_900))
            .urgency(Urgency.HIGH)
            .topic("cal_42")
            .build());
    TestPushService.Recorded r = service.take();
    assertThat(r.header("TTL")).isEqualTo("90");
    assertThat(r.header("Urgency")).isEqualTo("high");
    assertThat(r.header("Topic")).isEqualTo("cal_42");
  }

  @Test
  void authorisesWithAVapidTokenForTheOriginOfThePushResource() throws Exception {
    send();
    VapidClaims c = Vapid.verify(service.take().header("Authorization"), clock.instant());
    assertThat(c.audience()).isEqualTo(service.origin());
    assertThat(c.publicKey()).isEqualTo(vapid.publicKey());
    assertThat(c.subject()).contains("mailto:ops@example.com");
    assertThat(c.expiry()).isEqualTo(clock.instant().plus(WebPushTransport.TOKEN_VALIDITY));
  }

  @Test
  void reusesTheVapidHeaderUntilShortlyBeforeItExpires() throws Exception {
    send();
    String first = service.take().header("Authorization");
    clock.advance(Duration.ofHours(10));
    send();
    assertThat(service.take().header("Authorization")).isEqualTo(first);
    clock.advance(Duration.ofMinutes(61));
    send();
    String renewed = service.take().header("Authorization");
    assertThat(renewed).isNotEqualTo(first);
    assertThat(Vapid.verify(renewed, clock.instant()).audience()).isEqualTo(service.origin());
  }

  @Test
  void signsWithTheNewKeyAndAdvertisesItAfterARotation() throws Exception {
    send();
    assertThat(Vapid.verify(service.take().header("Authorization"), clock.instant()).publicKey())
        .isEqualTo(vapid.publicKey());
    VapidKeyPair next = VapidKeyPair.generate();
    transport.rotateVapidKey(next);
    send();
    assertThat(Vapid.verify(service.take().header("Authorization"), clock.instant()).publicKey())
        .isEqualTo(next.publicKey());
    assertThat(transport.descriptor()).isEqualTo(new WebPushTransportDescriptor(next.publicKey()));
    assertThat(transport.vapidPublicKey()).isEqualTo(next.publicKey());
  }

  @Test
  void classifiesTheAnswersOfThePushService() throws Exception {
    service.answer(404);
    assertThat(send()).isEqualTo(new DeliveryResult.Gone(404));
    service.answer(410);
    assertThat(send()).isEqualTo(new DeliveryResult.Gone(410));
    service.answer(429, Map.of("Retry-After", "120"));
    assertThat(send()).isEqualTo(new DeliveryResult.RetryLater(429, Duration.ofSeconds(120)));
    service.answer(500);
    assertThat(send()).isEqualTo(new DeliveryResult.RetryLater(500, null));
    service.answer(413);
    assertThat(send())
        .isInstanceOfSatisfying(
            DeliveryResult.Rejected.class, r -> assertThat(r.status()).isEqualTo(413));
    service.answer(202);
    assertThat(send()).isEqualTo(new DeliveryResult.Delivered(202));
  }

  @Test
  void readsRetryAfterAsAnHttpDate() throws Exception {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(300).atZone(ZoneOffset.UTC));
    service.answer(503, Map.of("Retry-After", date));
    assertThat(send()).isEqualTo(new DeliveryResult.RetryLater(503, Duration.ofSeconds(300)));
  }

  @Test
  void capsAHugeRetryAfterAtTheDocumentedMaximum() throws Exception {
    service.answer(429, Map.of("Retry-After", "9223372036854775807"));
    assertThat(send())
        .isEqualTo(new DeliveryResult.RetryLater(429, WebPushTransport.MAX_RETRY_AFTER));
    assertThat(WebPushTransport.MAX_RETRY_AFTER).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void keepsAtMostTheDocumentedNumberOfVapidTokensPerKey() {
    int origins = WebPushTransport.MAX_CACHED_TOKENS + 500;
    for (int i = 0; i < origins; i++) {
      transport.authorizationFor("https://p" + i + ".push.example");
    }

    assertThat(transport.cachedTokenCount()).isEqualTo(WebPushTransport.MAX_CACHED_TOKENS);
    assertThat(WebPushTransport.MAX_CACHED_TOKENS).isEqualTo(1024);
  }

  @Test
  void evictsTheLeastRecentlyUsedVapidTokenFirst() {
    String kept = transport.authorizationFor("https://kept.push.example");
    String dropped = transport.authorizationFor("https://dropped.push.example");
    // Still well before renewal, but a token signed from now on carries a later exp.
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < WebPushTransport.MAX_CACHED_TOKENS - 1; i++) {
      assertThat(transport.authorizationFor("https://kept.push.example")).isEqualTo(kept);
      transport.authorizationFor("https://p" + i + ".push.example");
    }

    assertThat(transport.authorizationFor("https://kept.push.example")).isEqualTo(kept);
    // Re-signed a minute later, the evicted origin's token has a later exp.
    assertThat(transport.authorizationFor("https://dropped.push.example")).isNotEqualTo(dropped);
  }

  @Test
  void doesNotFollowRedirects() throws Exception {
    service.answer(307, Map.of("Location", service.uri("/elsewhere").toString()));
    assertThat(send().status()).isEqualTo(307);
    service.take();
    assertThat(service.requests.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void failsWithADeliveryExceptionWhenThePushServiceHangs() {
    service.hang();
    long start = System.nanoTime();
    Throwable e = failure(PushDelivery.builder(subscription(), PAYLOAD).build());
    assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("127.0.0.1");
    assertThat(e.getMessage()).doesNotContain("secret-capability-token").contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void failsWithADeliveryExceptionWhenNothingListens() throws Exception {
    PushResource dead = new PushResource(service.uri("/push/secret-capability-token"));
    service.close();
    Throwable e =
        failure(
            PushDelivery.builder(
                    WebPushSubscription.of(dead, ua.publicKey(), ua.authSecret()), PAYLOAD)
                .build());
    assertThat(e).isInstanceOf(DeliveryException.class);
    assertThat(e.getMessage()).contains("127.0.0.1").doesNotContain("secret-capability-token");
  }

  @Test
  void refusesPushResourcesTheDefaultPolicyForbidsWithoutContactingThem() throws Exception {
    try (WebPushTransport strict = WebPushTransport.builder().vapidKeyPair(vapid).build()) {
      WebPushSubscription sub = subscription();
      assertThat(strict.accepts(sub)).isFalse();
      CompletableFuture<DeliveryResult> f =
          strict.send(PushDelivery.builder(sub, PAYLOAD).build()).toCompletableFuture();
      Throwable e = f.handle((r, x) -> x).get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("policy");
      assertThat(e.getMessage()).doesNotContain("secret-capability-token");
      assertThat(service.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void refusesLoopbackWhenOnlyHttpIsAllowed() throws Exception {
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(PushResourcePolicy.builder().allowHttp(true).build())
            .build()) {
      Throwable e =
          t.send(PushDelivery.builder(subscription(), PAYLOAD).build())
              .toCompletableFuture()
              .handle((r, x) -> x)
              .get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("loopback");
    }
  }

  @Test
  void refusesAHostNameThatResolvesIntoARefusedRangeAtSendTime() throws Exception {
    String host = java.net.InetAddress.getLocalHost().getHostName();
    boolean refusedRange =
        java.util.Arrays.stream(java.net.InetAddress.getAllByName(host))
            .anyMatch(a -> !PushResourcePolicy.defaults().permits(a));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        refusedRange && !host.equalsIgnoreCase("localhost") && !host.contains(":"),
        "this machine's host name does not resolve into a loopback or private range");
    PushResource byName =
        new PushResource(
            java.net.URI.create(
                "http://"
                    + host
                    + ":"
                    + service.uri("/").getPort()
                    + "/push/secret-capability-token"));
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(PushResourcePolicy.builder().allowHttp(true).build())
            .build()) {
      WebPushSubscription sub = WebPushSubscription.of(byName, ua.publicKey(), ua.authSecret());
      assertThat(t.accepts(sub)).as("the URL alone looks fine").isTrue();
      Throwable e =
          t.send(PushDelivery.builder(sub, PAYLOAD).build())
              .toCompletableFuture()
              .handle((r, x) -> x)
              .get(10, TimeUnit.SECONDS);
      assertThat(e)
          .isInstanceOf(DeliveryException.class)
          .hasMessageContaining("policy")
          .hasMessageContaining("resolves to");
      assertThat(e.getMessage()).doesNotContain("secret-capability-token");
      assertThat(service.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void refusesPayloadsOverTheConfiguredCapBeforeSending() throws Exception {
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(LOCAL)
            .maxPayloadLength(3070)
            .build()) {
      Throwable e =
          t.send(PushDelivery.builder(subscription(), new byte[3071]).build())
              .toCompletableFuture()
              .handle((r, x) -> x)
              .get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("3070");
      assertThat(service.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void acceptsOnlyAes128gcmWebPushSubscriptionsUnlessLegacyIsEnabled() throws Exception {
    WebPushSubscription legacy =
        WebPushSubscription.of(
            new PushResource(service.uri("/p")),
            ContentEncoding.AESGCM,
            ua.publicKey(),
            ua.authSecret());
    assertThat(transport.accepts(subscription())).isTrue();
    assertThat(transport.accepts(legacy)).isFalse();
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(LOCAL)
            .legacyAesGcm(true)
            .build()) {
      assertThat(t.accepts(legacy)).isTrue();
    }
  }

  @Test
  void sendsLegacyAesgcmWithItsHeadersWhenEnabled() throws Exception {
    WebPushSubscription legacy =
        WebPushSubscription.of(
            new PushResource(service.uri("/push/legacy")),
            ContentEncoding.AESGCM,
            ua.publicKey(),
            ua.authSecret());
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(LOCAL)
            .legacyAesGcm(true)
            .build()) {
      DeliveryResult r =
          t.send(PushDelivery.builder(legacy, PAYLOAD).build())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(201);
    }
    TestPushService.Recorded req = service.take();
    assertThat(req.header("Content-Encoding")).isEqualTo("aesgcm");
    assertThat(req.header("Crypto-Key"))
        .startsWith("dh=")
        .endsWith(";p256ecdsa=" + vapid.publicKey().toBase64Url());
    assertThat(req.header("Authorization")).startsWith("WebPush ey");
    assertThat(
            dev.davpush.webpush.crypto.LegacyAesGcm.decrypt(
                req.body(), req.header("Encryption"), req.header("Crypto-Key"), ua))
        .isEqualTo(PAYLOAD);
  }

  @Test
  void padsToTheConfiguredBlockWithoutPassingTheCap() throws Exception {
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(LOCAL)
            .padToMultipleOf(256)
            .maxPayloadLength(3070)
            .build()) {
      t.send(PushDelivery.builder(subscription(), new byte[10]).build())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      TestPushService.Recorded small = service.take();
      assertThat(small.body()).hasSize(256 + 103);
      assertThat(ua.decrypt(small.body())).hasSize(10);
      t.send(PushDelivery.builder(subscription(), new byte[3000]).build())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(service.take().body()).hasSize(3070 + 103);
    }
  }

  @Test
  void describesItselfWithItsVapidKey() {
    assertThat(transport.name()).isEqualTo("web-push");
    assertThat(transport.descriptor()).isEqualTo(new WebPushTransportDescriptor(vapid.publicKey()));
  }

  @Test
  void closesIdempotentlyAndRefusesLaterSends() throws Exception {
    transport.close();
    transport.close();
    Throwable e =
        transport
            .send(PushDelivery.builder(subscription(), PAYLOAD).build())
            .toCompletableFuture()
            .handle((r, x) -> x)
            .get(10, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("closed");
  }

  @Test
  void usesButDoesNotCloseACallerSuppliedClient() throws Exception {
    CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
    client.start();
    try {
      try (WebPushTransport t =
          WebPushTransport.builder()
              .vapidKeyPair(vapid)
              .pushResourcePolicy(LOCAL)
              .httpClient(client)
              .build()) {
        DeliveryResult r =
            t.send(PushDelivery.builder(subscription(), PAYLOAD).build())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(201);
        assertThat(ua.decrypt(service.take().body())).isEqualTo(PAYLOAD);
      }
      assertThat(client.getStatus()).isEqualTo(IOReactorStatus.ACTIVE);
    } finally {
      client.close();
    }
  }

  @Test
  void isFoundThroughTheServiceLoader() throws Exception {
    PushTransportProvider provider =
        ServiceLoader.load(PushTransportProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("web-push"))
            .findFirst()
            .orElseThrow();
    try (var t =
        provider.create(
            Map.of(
                WebPushTransportProvider.VAPID_PRIVATE_KEY, vapid.privateKeyBase64Url(),
                WebPushTransportProvider.VAPID_SUBJECT, "mailto:ops@example.com",
                WebPushTransportProvider.ALLOW_HTTP, "true",
                WebPushTransportProvider.ALLOW_LOOPBACK, "true",
                WebPushTransportProvider.RESPONSE_TIMEOUT, "PT5S"))) {
      assertThat(t.descriptor()).isEqualTo(new WebPushTransportDescriptor(vapid.publicKey()));
      assertThat(
              t.send(PushDelivery.builder(subscription(), PAYLOAD).build())
                  .toCompletableFuture()
                  .get(10, TimeUnit.SECONDS)
                  .status())
          .isEqualTo(201);
    }
  }

  @Test
  void providerRefusesAMissingOrBadKeyWithoutEchoingIt() {
    WebPushTransportProvider p = new WebPushTransportProvider();
    assertThatThrownBy(() -> p.create(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vapid.private-key");
    assertThatThrownBy(() -> p.create(Map.of("vapid.private-key", "c2VjcmV0LXZhbHVl")))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2VjcmV0LXZhbHVl"));
    assertThatThrownBy(
            () -> p.create(Map.of("vapid.private-key", vapid.toPem(), "allow-http", "yes")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
