package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.PushException;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.SubscriptionStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PushEngineRobustnessTest {
  static final Trigger CONTENT_1 = new Trigger.ContentUpdate(Depth.ONE);

  final FakeResources resources = new FakeResources();
  final RecordingTransport transport = new RecordingTransport();
  final SubscriptionStore store = new InMemorySubscriptionStore();
  final List<AutoCloseable> closeables = new ArrayList<>();
  DavResource work;

  @BeforeEach
  void tree() {
    resources.collection("/cal/");
    work = resources.collection("/cal/work/");
    resources.allow("alice", "/cal/", "/cal/work/");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  PushEngine.Builder builder() {
    return PushEngine.builder()
        .resources(resources)
        .store(store)
        .transport(transport)
        .messageEncoder(transport.encoder())
        .registrationBase(URI.create("https://dav.example/push/"));
  }

  PushEngine engine() {
    PushEngine e = builder().build();
    closeables.add(e);
    return e;
  }

  static WebPushSubscription subscription(String path) {
    return WebPushSubscription.of(
        PushResource.parse("https://push.example/" + path),
        PushEngineTest.KEY,
        AuthSecret.random());
  }

  @Test
  void registrationsOnADeletedResourceGetTheContentUpdateWhenTheChangeCarriesItsTopic()
      throws Exception {
    PushEngine engine = engine();
    WebPushSubscription s = subscription("a");
    engine.register(
        "/cal/work/",
        "alice",
        new RegisterRequest(s, List.of(new Trigger.ContentUpdate(Depth.ZERO)), null));
    resources.resources.remove("/cal/work/");

    PublishResult without =
        engine
            .publish(Change.contentUpdate("/cal/work/").build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    PublishResult with =
        engine
            .publish(Change.contentUpdate("/cal/work/").deletedTopic(work.topic()).build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(without.matched()).isZero();
    assertThat(with.delivered()).isEqualTo(1);
    assertThat(transport.messagesTo(s.id()).get(0).topic()).contains(work.topic());
  }

  @Test
  void aFailingResourceViewCompletesThePublishExceptionallyWithAPushException() {
    PushEngine engine =
        PushEngine.builder()
            .resources(
                new FakeResources() {
                  @Override
                  public Optional<DavResource> resource(String path) {
                    throw new IllegalStateException("database down");
                  }
                })
            .transport(transport)
            .messageEncoder(transport.encoder())
            .registrationBase(URI.create("https://dav.example/push/"))
            .build();
    closeables.add(engine);
    CompletableFuture<PublishResult> f =
        engine.publish(Change.contentUpdate("/cal/work/x").build()).toCompletableFuture();
    assertThat(f)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(PushException.class)
        .withMessageContaining("database down");
  }

  @Test
  void anEncoderFailureCountsAsFailedAndSendsNothing() throws Exception {
    PushEngine engine =
        builder()
            .messageEncoder(
                m -> {
                  throw new IllegalArgumentException("cannot encode");
                })
            .build();
    closeables.add(engine);
    engine.register(
        "/cal/work/", "alice", new RegisterRequest(subscription("a"), List.of(CONTENT_1), null));
    PublishResult r =
        engine
            .publish(Change.contentUpdate("/cal/work/x").build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r).isEqualTo(new PublishResult(1, 0, 0, 0, 1, 0));
    assertThat(transport.sent).isEmpty();
  }

  @Test
  void aTransportThatThrowsInsteadOfCompletingCountsAsFailed() throws Exception {
    RecordingTransport throwing =
        new RecordingTransport() {
          @Override
          public java.util.concurrent.CompletionStage<DeliveryResult> send(
              dev.davpush.spi.PushDelivery delivery) {
            throw new IllegalStateException("broken transport");
          }
        };
    PushEngine engine =
        PushEngine.builder()
            .resources(resources)
            .transport(throwing)
            .messageEncoder(throwing.encoder())
            .registrationBase(URI.create("https://dav.example/push/"))
            .build();
    closeables.add(engine);
    engine.register(
        "/cal/work/", "alice", new RegisterRequest(subscription("a"), List.of(CONTENT_1), null));
    PublishResult r =
        engine
            .publish(Change.contentUpdate("/cal/work/x").build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r.failed()).isEqualTo(1);
  }

  @Test
  void concurrentRegistrationsOfOneKeyEndInOneRegistrationWithOneUrl() throws Exception {
    PushEngine engine = engine();
    WebPushSubscription s = subscription("race");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RegistrationResult>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  return engine.register(
                      "/cal/work/", "alice", new RegisterRequest(s, List.of(CONTENT_1), null));
                }));
      }
      go.countDown();
      List<RegistrationResult> done = new ArrayList<>();
      for (Future<RegistrationResult> f : results) {
        done.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(done).filteredOn(RegistrationResult::created).hasSize(1);
      assertThat(done)
          .extracting(r -> r.registration().registrationUrl())
          .containsOnly(done.get(0).registration().registrationUrl());
      assertThat(store.findBySubscription(s.id())).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void manyConcurrentPublishesWithAsynchronousAnswersAllComplete() throws Exception {
    ExecutorService pushService = Executors.newFixedThreadPool(4);
    closeables.add(pushService::shutdownNow);
    RecordingTransport async =
        new RecordingTransport() {
          @Override
          public java.util.concurrent.CompletionStage<DeliveryResult> send(
              dev.davpush.spi.PushDelivery delivery) {
            return super.send(delivery).toCompletableFuture().thenApplyAsync(r -> r, pushService);
          }
        };
    PushEngine engine =
        PushEngine.builder()
            .resources(resources)
            .store(store)
            .transport(async)
            .messageEncoder(async.encoder())
            .registrationBase(URI.create("https://dav.example/push/"))
            .build();
    closeables.add(engine);
    for (int i = 0; i < 5; i++) {
      engine.register(
          "/cal/work/",
          "alice",
          new RegisterRequest(subscription("s" + i), List.of(CONTENT_1), null));
    }
    List<CompletableFuture<PublishResult>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(
          engine.publish(Change.contentUpdate("/cal/work/e" + i).build()).toCompletableFuture());
    }
    for (CompletableFuture<PublishResult> f : all) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(new PublishResult(5, 0, 5, 0, 0, 0));
    }
    // 200 changes to one collection: coalesced, yet every push resource got a message
    assertThat(async.sent).hasSizeBetween(5, 1000);
    assertThat(async.sent.stream().map(x -> x.delivery().subscription().id()).distinct())
        .hasSize(5);
  }

  @Test
  void logsOneDebugLinePerDeliveryWithTheHostButNoCapabilityOrSecret() throws Exception {
    PushEngine engine = engine();
    AuthSecret secret = AuthSecret.random();
    WebPushSubscription s =
        WebPushSubscription.of(
            PushResource.parse("https://updates.push.example/wpush/v2/CAPABILITYxyz"),
            PushEngineTest.KEY,
            secret);
    Registration reg =
        engine
            .register("/cal/work/", "alice", new RegisterRequest(s, List.of(CONTENT_1), null))
            .registration();
    CapturingSlf4j.LINES.clear();
    engine
        .publish(Change.contentUpdate("/cal/work/x").build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    List<String> lines = List.copyOf(CapturingSlf4j.LINES);
    assertThat(lines)
        .filteredOn(l -> l.startsWith("DEBUG dev.davpush.server.PushEngine: delivery "))
        .singleElement()
        .asString()
        .contains("transport=web-push", "host=updates.push.example", "status=201", "attempt=1");
    assertThat(String.join("\n", lines))
        .doesNotContain("CAPABILITYxyz")
        .doesNotContain(secret.toBase64Url())
        .doesNotContain(reg.id());
  }

  @Test
  void closeStopsTheEnginesOwnThreads() throws Exception {
    PushEngine engine = engine();
    engine.register(
        "/cal/work/", "alice", new RegisterRequest(subscription("a"), List.of(CONTENT_1), null));
    engine
        .publish(Change.contentUpdate("/cal/work/x").build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Thread worker = transport.sent.get(0).thread();
    engine.close();
    worker.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(worker.isAlive()).isFalse();
  }

  /** A transport whose answers the test releases by hand. */
  static final class PendingTransport extends RecordingTransport {
    final java.util.concurrent.BlockingQueue<CompletableFuture<DeliveryResult>> pending =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public java.util.concurrent.CompletionStage<DeliveryResult> send(
        dev.davpush.spi.PushDelivery delivery) {
      CompletableFuture<DeliveryResult> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
  }

  PushEngine engineWith(
      PendingTransport t, java.util.function.Consumer<PushEngine.Builder> custom) {
    PushEngine.Builder b =
        PushEngine.builder()
            .resources(resources)
            .store(store)
            .transport(t)
            .messageEncoder(t.encoder())
            .registrationBase(URI.create("https://dav.example/push/"));
    custom.accept(b);
    PushEngine e = b.build();
    closeables.add(e);
    return e;
  }

  @Test
  void closeWaitsForADeliveryThatIsAnsweredWhileDraining() throws Exception {
    PendingTransport t = new PendingTransport();
    PushEngine engine = engineWith(t, b -> {});
    engine.register(
        "/cal/work/", "alice", new RegisterRequest(subscription("a"), List.of(CONTENT_1), null));
    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate("/cal/work/x").build()).toCompletableFuture();
    CompletableFuture<DeliveryResult> inFlight = t.pending.poll(10, TimeUnit.SECONDS);
    assertThat(inFlight).isNotNull();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close);
    inFlight.complete(new DeliveryResult.Delivered(201));
    closing.get(10, TimeUnit.SECONDS);

    assertThat(stage.get(10, TimeUnit.SECONDS)).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
  }

  @Test
  void closeHandsBackAMessageWhosePushServiceNeverAnswers() throws Exception {
    PendingTransport t = new PendingTransport();
    PushEngine engine = engineWith(t, b -> b.closeTimeout(Duration.ofMillis(100)));
    engine.register(
        "/cal/work/", "alice", new RegisterRequest(subscription("a"), List.of(CONTENT_1), null));
    CompletableFuture<PublishResult> stage =
        engine.publish(Change.contentUpdate("/cal/work/x").build()).toCompletableFuture();
    assertThat(t.pending.poll(10, TimeUnit.SECONDS)).isNotNull();

    engine.close();

    assertThat(stage.get(10, TimeUnit.SECONDS)).isEqualTo(new PublishResult(1, 0, 0, 0, 0, 1));
    assertThat(engine.undelivered()).singleElement().extracting(d -> d.attempt()).isEqualTo(1);
  }

  @Test
  void retriesOnTheEnginesOwnTimer() throws Exception {
    PushEngine engine =
        builder()
            .retryPolicy(
                new dev.davpush.server.internal.RetryPolicy(
                    3, Duration.ofMillis(10), Duration.ofMillis(20)))
            .build();
    closeables.add(engine);
    WebPushSubscription s = subscription("a");
    engine.register("/cal/work/", "alice", new RegisterRequest(s, List.of(CONTENT_1), null));
    transport.answer(
        s.id(),
        new DeliveryResult.RetryLater(503, null),
        new DeliveryResult.RetryLater(429, Duration.ZERO));

    PublishResult r =
        engine
            .publish(Change.contentUpdate("/cal/work/x").build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(r).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
    assertThat(transport.messagesTo(s.id())).hasSize(3);
  }

  @Test
  void registrationsStillWorkAfterClose() {
    PushEngine engine = engine();
    engine.close();
    assertThat(
            engine
                .register(
                    "/cal/work/",
                    "alice",
                    new RegisterRequest(subscription("a"), List.of(CONTENT_1), null))
                .created())
        .isTrue();
    assertThat(engine.properties("/cal/work/", "alice")).isPresent();
    assertThat(Set.of(engine.transports().size())).containsExactly(1);
  }
}
