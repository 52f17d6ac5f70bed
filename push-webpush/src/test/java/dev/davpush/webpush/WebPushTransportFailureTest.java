package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.DeliveryException;
import dev.davpush.DeliveryException.Reason;
import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link WebPushTransport} fails without an answer (each failure has its {@link Reason}), how
 * it limits connections, and which answers it retries or returns as they are. Every server is on
 * 127.0.0.1; names resolve through an injected resolver, never through DNS.
 */
class WebPushTransportFailureTest {
  static final byte[] PAYLOAD = "<push-message/>".getBytes(StandardCharsets.UTF_8);
  static final PushResourcePolicy LOCAL =
      PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build();

  final VapidKeyPair vapid = VapidKeyPair.generate();
  final UserAgentKeyPair ua = UserAgentKeyPair.generate();
  final List<AutoCloseable> resources = new ArrayList<>();

  /** Servers first (that ends hanging exchanges), so that closing a transport need not wait. */
  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  WebPushTransport transport(Consumer<WebPushTransport.Builder> config) {
    WebPushTransport.Builder b =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(LOCAL)
            .connectTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(5));
    config.accept(b);
    WebPushTransport t = b.build();
    resources.add(t);
    return t;
  }

  TestPushService service() throws Exception {
    TestPushService s = new TestPushService();
    resources.add(s);
    return s;
  }

  PushDelivery delivery(String url) {
    return PushDelivery.builder(
            WebPushSubscription.of(
                new PushResource(URI.create(url)), ua.publicKey(), ua.authSecret()),
            PAYLOAD)
        .build();
  }

  static DeliveryException failure(WebPushTransport t, PushDelivery d) throws Exception {
    Throwable e = t.send(d).toCompletableFuture().handle((r, x) -> x).get(20, TimeUnit.SECONDS);
    assertThat(e).as("the delivery should have failed").isInstanceOf(DeliveryException.class);
    assertThat(e.getMessage()).doesNotContain("secret-capability");
    return (DeliveryException) e;
  }

  static DeliveryResult result(WebPushTransport t, PushDelivery d) throws Exception {
    return t.send(d).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedPortIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    DeliveryException e =
        failure(transport(b -> {}), delivery("http://127.0.0.1:" + port + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("127.0.0.1");
  }

  @Test
  void aServerThatAcceptsButNeverAnswersIsATimeout() throws Exception {
    RawServer silent = new RawServer(RawServer.Mode.SILENT);
    resources.add(silent);
    WebPushTransport t = transport(b -> b.responseTimeout(Duration.ofMillis(500)));
    long start = System.nanoTime();

    DeliveryException e =
        failure(t, delivery("http://127.0.0.1:" + silent.port() + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(e.getMessage()).contains("timed out");
    assertThat(silent.awaitRequest(0)).as("the request was sent").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aTlsHandshakeWithoutAnswerIsAConnectTimeout() throws Exception {
    RawServer silent = new RawServer(RawServer.Mode.SILENT);
    resources.add(silent);
    WebPushTransport t =
        transport(
            b -> b.connectTimeout(Duration.ofMillis(500)).responseTimeout(Duration.ofSeconds(30)));
    long start = System.nanoTime();

    DeliveryException e =
        failure(t, delivery("https://127.0.0.1:" + silent.port() + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aServerThatClosesTheConnectionIsAConnectionFailure() throws Exception {
    RawServer closing = new RawServer(RawServer.Mode.CLOSE);
    resources.add(closing);

    DeliveryException e =
        failure(
            transport(b -> {}),
            delivery("http://127.0.0.1:" + closing.port() + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
  }

  @Test
  void aNameThatDoesNotResolveIsANameResolutionFailure() throws Exception {
    WebPushTransport t =
        transport(
            b ->
                b.resolver(
                    host -> {
                      throw new UnknownHostException(host);
                    }));

    DeliveryException e = failure(t, delivery("http://push.example.invalid/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.NAME_RESOLUTION);
    assertThat(e.getMessage()).contains("push.example.invalid");
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedByPolicyWithoutBeingContacted() throws Exception {
    TestPushService service = service();
    int port = service.uri("/").getPort();
    WebPushTransport t =
        transport(
            b ->
                b.pushResourcePolicy(PushResourcePolicy.builder().allowHttp(true).build())
                    .resolver(
                        host ->
                            new InetAddress[] {
                              InetAddress.getByName("203.0.114.7"), InetAddress.getLoopbackAddress()
                            }));

    DeliveryException e =
        failure(t, delivery("http://push.example.net:" + port + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_POLICY);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("resolves to").contains("loopback");
    assertThat(service.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aCheckedAddressIsReusedForTheHostWithinTheReusePeriodOnly() throws Exception {
    TestPushService service = service();
    int port = service.uri("/").getPort();
    AtomicInteger lookups = new AtomicInteger();
    WebPushTransport.NameResolver loopback =
        host -> {
          lookups.incrementAndGet();
          return new InetAddress[] {InetAddress.getLoopbackAddress()};
        };
    String url = "http://push.example.net:" + port + "/secret-capability";

    WebPushTransport reusing = transport(b -> b.resolver(loopback));
    for (int i = 0; i < 3; i++) {
      assertThat(result(reusing, delivery(url))).isInstanceOf(DeliveryResult.Delivered.class);
    }
    assertThat(lookups).as("one lookup, then the checked address").hasValue(1);

    lookups.set(0);
    WebPushTransport resolvingEachTime =
        transport(b -> b.resolver(loopback).addressReuse(Duration.ZERO));
    for (int i = 0; i < 3; i++) {
      assertThat(result(resolvingEachTime, delivery(url)))
          .isInstanceOf(DeliveryResult.Delivered.class);
    }
    assertThat(lookups).as("no reuse: a lookup per send").hasValue(3);
  }

  @Test
  void aRefusedAddressIsNeverRemembered() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    WebPushTransport t =
        transport(
            b ->
                b.pushResourcePolicy(PushResourcePolicy.builder().allowHttp(true).build())
                    .resolver(
                        host -> {
                          lookups.incrementAndGet();
                          return new InetAddress[] {InetAddress.getLoopbackAddress()};
                        }));

    for (int i = 0; i < 2; i++) {
      DeliveryException e = failure(t, delivery("http://push.example.net:8443/secret-capability"));
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_POLICY);
    }
    assertThat(lookups).as("each send resolves and is refused again").hasValue(2);
  }

  @Test
  void aUrlThePolicyRefusesIsRefusedByPolicy() throws Exception {
    WebPushTransport t = transport(b -> b.pushResourcePolicy(PushResourcePolicy.defaults()));

    DeliveryException e = failure(t, delivery("https://10.1.2.3/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_POLICY);
  }

  @Test
  void aPlainHttpServerOnAnHttpsUrlIsATlsFailure() throws Exception {
    RawServer plain = new RawServer(RawServer.Mode.PLAIN_400);
    resources.add(plain);
    int port = plain.port();

    DeliveryException e =
        failure(transport(b -> {}), delivery("https://127.0.0.1:" + port + "/secret-capability"));

    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aPayloadOverTheCapIsUnsupportedAndAClosedTransportIsClosed() throws Exception {
    WebPushTransport t = transport(b -> b.maxPayloadLength(10));

    assertThat(failure(t, delivery("http://127.0.0.1:9/secret-capability")).reason())
        .isEqualTo(Reason.UNSUPPORTED);
    t.close();
    assertThat(failure(t, delivery("http://127.0.0.1:9/secret-capability")).reason())
        .isEqualTo(Reason.CLOSED);
  }

  @Test
  void failsAtOnceInsteadOfWaitingWhenThePerOriginLimitIsReached() throws Exception {
    TestPushService service = service();
    service.hang();
    service.hang();
    WebPushTransport t = transport(b -> b.maxConnectionsPerOrigin(2).maxConnectionsTotal(2));
    PushDelivery d = delivery(service.uri("/secret-capability").toString());
    CompletableFuture<DeliveryResult> first = t.send(d).toCompletableFuture();
    CompletableFuture<DeliveryResult> second = t.send(d).toCompletableFuture();
    service.take();
    service.take();

    long start = System.nanoTime();
    DeliveryException e = failure(t, d);

    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(e.getMessage()).contains("in flight");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
  }

  @Test
  void releasesTheLimitWhenRequestsComplete() throws Exception {
    TestPushService service = service();
    WebPushTransport t = transport(b -> b.maxConnectionsPerOrigin(1).maxConnectionsTotal(1));
    PushDelivery d = delivery(service.uri("/secret-capability").toString());
    for (int i = 0; i < 5; i++) {
      assertThat(result(t, d).status()).isEqualTo(201);
    }
  }

  @Test
  void keepsFarMoreThanSixteenRequestsToOneOriginInFlightByDefault() throws Exception {
    TestPushService service = service();
    int n = 40;
    for (int i = 0; i < n; i++) {
      service.hang();
    }
    WebPushTransport t = transport(b -> b.responseTimeout(Duration.ofSeconds(20)));
    PushDelivery d = delivery(service.uri("/secret-capability").toString());
    List<CompletableFuture<DeliveryResult>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(t.send(d).toCompletableFuture());
    }

    for (int i = 0; i < n; i++) {
      service.take(); // each arrives while all earlier ones still hang
    }
    assertThat(pending).noneMatch(CompletableFuture::isDone);
    assertThat(WebPushTransport.DEFAULT_MAX_CONNECTIONS_PER_ORIGIN).isEqualTo(1024);
    assertThat(WebPushTransport.DEFAULT_MAX_CONNECTIONS_TOTAL).isEqualTo(4096);
  }

  @Test
  void refusesATotalLimitBelowThePerOriginLimit() {
    assertThatThrownBy(
            () ->
                WebPushTransport.builder()
                    .vapidKeyPair(vapid)
                    .maxConnectionsPerOrigin(10)
                    .maxConnectionsTotal(5)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnectionsTotal");
    assertThatThrownBy(() -> WebPushTransport.builder().maxConnectionsPerOrigin(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }

  @Test
  void retriesAMisdirectedRequestOnceOnAnotherConnection() throws Exception {
    TestPushService service = service();
    service.answer(421);
    WebPushTransport t = transport(b -> {});

    DeliveryResult r = result(t, delivery(service.uri("/secret-capability").toString()));

    assertThat(r).isEqualTo(new DeliveryResult.Delivered(201));
    TestPushService.Recorded misdirected = service.take();
    TestPushService.Recorded retried = service.take();
    assertThat(retried.clientPort()).isNotEqualTo(misdirected.clientPort());
    assertThat(ua.decrypt(retried.body())).isEqualTo(PAYLOAD);
  }

  @Test
  void returnsASecondMisdirectedAnswerAsItIs() throws Exception {
    TestPushService service = service();
    service.answer(421);
    service.answer(421);
    WebPushTransport t = transport(b -> {});

    DeliveryResult r = result(t, delivery(service.uri("/secret-capability").toString()));

    assertThat(r.status()).isEqualTo(421);
    service.take();
    service.take();
    assertThat(service.requests.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void returnsRedirectsAsTheirStatusWithoutContactingTheLocation() throws Exception {
    TestPushService service = service();
    TestPushService elsewhere = service();
    WebPushTransport t = transport(b -> {});
    Set<Integer> statuses = new HashSet<>();
    for (int status : new int[] {301, 307}) {
      service.answer(status, Map.of("Location", elsewhere.uri("/moved").toString()));
      statuses.add(result(t, delivery(service.uri("/secret-capability").toString())).status());
      service.take();
    }

    assertThat(statuses).containsExactlyInAnyOrder(301, 307);
    assertThat(elsewhere.requests.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(service.requests.poll(100, TimeUnit.MILLISECONDS)).isNull();
  }
}
