package dev.davpush.testkit.contract;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.davpush.DeliveryException;
import dev.davpush.Subscription;
import dev.davpush.Urgency;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link PushTransport} for transports that speak RFC 8030 to a push resource (Web
 * Push): every promise of the SPI's Javadoc, and of {@link PushDelivery}'s and {@link
 * DeliveryResult}'s, that a test can check, one test per {@link ContractRule} ({@code TRANSPORT-01}
 * … {@code TRANSPORT-17}). The kit starts an {@link EmbeddedPushService} on {@code 127.0.0.1} for
 * each test, scripts its answers and faults (dropped connections, no answer, refused connections),
 * and reads what it received, decrypted with the subscription's keys; nothing else is contacted.
 *
 * <pre>{@code
 * class MyTransportContractTest extends PushTransportContract {
 *   @Override
 *   protected PushTransport createTransport(Duration timeout) {
 *     return MyTransport.builder()
 *         .allowPlainHttpLoopback()   // the embedded push service is http://127.0.0.1:port
 *         .connectTimeout(timeout)
 *         .responseTimeout(timeout)
 *         .build();
 *   }
 * }
 * }</pre>
 *
 * <p>The embedded push service's subscriptions are unrestricted (not bound to a VAPID key, RFC 8292
 * §4), so any VAPID key works; a VAPID credential that is sent must still verify. Each test has a
 * time limit of {@value #TIMEOUT_SECONDS} seconds.
 *
 * <p>Thread safety: JUnit creates one instance per test; not for other use.
 */
@DisplayNameGeneration(RuleDisplayNames.class)
@Timeout(value = PushTransportContract.TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
public abstract class PushTransportContract {
  /** Time limit of each test, in seconds: 60. */
  public static final long TIMEOUT_SECONDS = 60;

  /**
   * The connect and response timeout the kit asks {@link #createTransport} for: 2 seconds. The
   * no-answer rule (TRANSPORT-10) waits for it.
   */
  public static final Duration TRANSPORT_TIMEOUT = Duration.ofSeconds(2);

  /** How long the kit waits for an answer beyond {@link #TRANSPORT_TIMEOUT}: 10 seconds. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  private static final byte[] PAYLOAD =
      ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              + "<P:push-message xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\">"
              + "<P:topic>contract-kit</P:topic><P:content-update>"
              + "<D:sync-token>http://example.test/sync/1</D:sync-token>"
              + "</P:content-update></P:push-message>")
          .getBytes(StandardCharsets.UTF_8);

  private @Nullable EmbeddedPushService service;
  private @Nullable PushTransport transport;

  /** For subclasses. */
  protected PushTransportContract() {}

  /**
   * The transport under test, new; called once before each test and closed after it. It must accept
   * and reach plain-{@code http} push resources on {@code 127.0.0.1} (the embedded push service),
   * and give up on a connection or an answer after at most {@code timeout}.
   *
   * @param timeout {@link #TRANSPORT_TIMEOUT}: the longest the transport may wait for a connection
   *     and for an answer
   * @return the transport
   */
  protected abstract PushTransport createTransport(Duration timeout);

  /**
   * The subscription the transport is given for a push resource of the embedded push service. The
   * default is its Web Push subscription ({@code aes128gcm}, the user agent's keys).
   *
   * @param subscription a subscription of the kit's push service
   * @return what {@link PushDelivery#subscription()} carries
   */
  protected Subscription subscriptionFor(PushServiceSubscription subscription) {
    return subscription.toWebPushSubscription();
  }

  /** Starts the push service and creates the transport under test. */
  @BeforeEach
  public final void startPushServiceAndTransport() {
    service = EmbeddedPushService.start();
    transport = requireNonNull(createTransport(TRANSPORT_TIMEOUT), "createTransport returned null");
  }

  /** Closes the transport and stops the push service. */
  @AfterEach
  public final void stopPushServiceAndTransport() {
    PushTransport t = transport;
    EmbeddedPushService s = service;
    transport = null;
    service = null;
    try {
      if (t != null) {
        t.close();
      }
    } finally {
      if (s != null) {
        s.close();
      }
    }
  }

  /**
   * The transport under test, for subclasses' own tests.
   *
   * @return the transport {@link #createTransport} gave for the running test
   */
  protected final PushTransport transport() {
    PushTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("transport(): only while a test runs");
    }
    return t;
  }

  /**
   * The embedded push service of the running test, for subclasses' own tests.
   *
   * @return the service, on {@code 127.0.0.1}
   */
  protected final EmbeddedPushService pushService() {
    EmbeddedPushService s = service;
    if (s == null) {
      throw new IllegalStateException("pushService(): only while a test runs");
    }
    return s;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private PushDelivery.Builder deliveryTo(PushServiceSubscription s) {
    return PushDelivery.builder(subscriptionFor(s), PAYLOAD);
  }

  /** Sends; a send that throws fails the test (the exceptions contract says it never does). */
  private CompletableFuture<DeliveryResult> send(PushDelivery delivery) {
    CompletionStage<DeliveryResult> stage;
    try {
      stage = transport().send(delivery);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "send threw " + e + "; PushTransport#send never throws (exceptions contract)", e);
    }
    assertNotNull(stage, "send returned null");
    CompletableFuture<DeliveryResult> f = new CompletableFuture<>();
    stage.whenComplete(
        (r, e) -> {
          if (e != null) {
            f.completeExceptionally(
                e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
          } else {
            f.complete(r);
          }
        });
    return f;
  }

  private static DeliveryResult await(CompletableFuture<DeliveryResult> f) {
    try {
      return f.get(TRANSPORT_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected an answer, but the send failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TRANSPORT_TIMEOUT.plus(SLACK), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private DeliveryResult resultOf(PushDelivery delivery) {
    return await(send(delivery));
  }

  /** The failure of a send that must not produce an answer. */
  private static DeliveryException failureOf(CompletableFuture<DeliveryResult> f) {
    try {
      DeliveryResult r = f.get(TRANSPORT_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a DeliveryException (no answer), got the result " + r);
    } catch (ExecutionException e) {
      return assertInstanceOf(
          DeliveryException.class, e.getCause(), "the exceptional completion's exception");
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the stage did not complete within " + TRANSPORT_TIMEOUT.plus(SLACK), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The failure of a send, or null if it gave an answer (another rule's business). */
  private static @Nullable Throwable failureOrNull(CompletableFuture<DeliveryResult> f) {
    try {
      f.get(TRANSPORT_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the stage did not complete within " + TRANSPORT_TIMEOUT.plus(SLACK), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private DeliveryResult answered(int status, @Nullable String retryAfter) {
    PushServiceSubscription s = pushService().subscribe();
    s.answerWith(status, retryAfter);
    return resultOf(deliveryTo(s).build());
  }

  private static ReceivedPush received(PushServiceSubscription s) {
    return s.awaitMessage(SLACK)
        .orElseThrow(() -> new AssertionError("the push service received nothing"));
  }

  // ---- rules ----------------------------------------------------------------------------------

  /** The kit's own configuration. */
  @Nested
  @DisplayName("Configuration")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Configuration {
    /** For JUnit. */
    public Configuration() {}

    /** TRANSPORT-01. */
    @Test
    @Verifies(ContractRule.TRANSPORT_CONFIGURATION)
    public void configuration() {
      String name = transport().name();
      assertNotNull(name, "name()");
      assertFalse(name.isEmpty(), "name() is empty");
      assertEquals(name, transport().descriptor().name(), "descriptor().name() against name()");
      assertTrue(
          transport().accepts(subscriptionFor(pushService().subscribe())),
          "accepts(a subscription of the kit's push service on http://127.0.0.1): allow plain"
              + " http and loopback push resources in createTransport");
    }
  }

  /** The push service's answers, classified. */
  @Nested
  @DisplayName("Answers")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Answers {
    /** For JUnit. */
    public Answers() {}

    /** TRANSPORT-02. */
    @Test
    @Verifies(ContractRule.TRANSPORT_DELIVERED_201)
    public void delivered201() {
      PushServiceSubscription s = pushService().subscribe();
      assertEquals(new DeliveryResult.Delivered(201), resultOf(deliveryTo(s).build()), "result");
      ReceivedPush push = received(s);
      assertEquals(List.of(), push.violations(), "what the push service found wrong");
      assertArrayEquals(
          PAYLOAD,
          push.plaintext().orElseThrow(() -> new AssertionError("the body did not decrypt")),
          "the decrypted body");
    }

    /** TRANSPORT-03. */
    @Test
    @Verifies(ContractRule.TRANSPORT_DELIVERED_2XX)
    public void delivered2xx() {
      assertEquals(new DeliveryResult.Delivered(202), answered(202, null), "answer 202");
    }

    /** TRANSPORT-04. */
    @Test
    @Verifies(ContractRule.TRANSPORT_GONE)
    public void gone() {
      assertEquals(new DeliveryResult.Gone(404), answered(404, null), "answer 404");
      PushServiceSubscription s = pushService().subscribe();
      s.unsubscribe();
      assertEquals(new DeliveryResult.Gone(410), resultOf(deliveryTo(s).build()), "answer 410");
    }

    /** TRANSPORT-05. */
    @Test
    @Verifies(ContractRule.TRANSPORT_RETRY_AFTER)
    public void retryAfter() {
      DeliveryResult r = answered(429, "7");
      DeliveryResult.RetryLater later =
          assertInstanceOf(DeliveryResult.RetryLater.class, r, "answer 429");
      assertEquals(429, later.status(), "status");
      assertEquals(Optional.of(Duration.ofSeconds(7)), later.retryAfterValue(), "Retry-After: 7");
    }

    /** TRANSPORT-06. */
    @Test
    @Verifies(ContractRule.TRANSPORT_SERVER_ERROR)
    public void serverError() {
      assertEquals(new DeliveryResult.RetryLater(500, null), answered(500, null), "answer 500");
      assertEquals(new DeliveryResult.RetryLater(503, null), answered(503, null), "answer 503");
    }

    /** TRANSPORT-07. */
    @Test
    @Verifies(ContractRule.TRANSPORT_REJECTED)
    public void rejected() {
      for (int status : new int[] {400, 401, 403, 413, 418}) {
        DeliveryResult.Rejected r =
            assertInstanceOf(
                DeliveryResult.Rejected.class, answered(status, null), "answer " + status);
        assertEquals(status, r.status(), "status of the answer " + status);
        assertFalse(r.reason().isBlank(), "reason of the answer " + status);
      }
    }
  }

  /** No answer: exceptional completion, never a thrown exception. */
  @Nested
  @DisplayName("Failures without an answer")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class FailuresWithoutAnswer {
    /** For JUnit. */
    public FailuresWithoutAnswer() {}

    /** TRANSPORT-08. */
    @Test
    @Verifies(ContractRule.TRANSPORT_CONNECTION_DROPPED)
    public void connectionDropped() {
      PushServiceSubscription s = pushService().subscribe();
      pushService().injectFault(s, EmbeddedPushService.Fault.CLOSE_CONNECTION, 10);
      DeliveryException e = failureOf(send(deliveryTo(s).build()));
      assertEquals(DeliveryException.Reason.CONNECTION_FAILED, e.reason(), "reason");
      assertTrue(e.retryable(), "retryable()");
    }

    /** TRANSPORT-09. */
    @Test
    @Verifies(ContractRule.TRANSPORT_CONNECTION_REFUSED)
    public void connectionRefused() {
      PushServiceSubscription s;
      try (EmbeddedPushService closed = EmbeddedPushService.start()) {
        s = closed.subscribe();
      }
      DeliveryException e = failureOf(send(deliveryTo(s).build()));
      assertEquals(DeliveryException.Reason.CONNECTION_FAILED, e.reason(), "reason");
      assertTrue(e.retryable(), "retryable()");
    }

    /** TRANSPORT-10. */
    @Test
    @Verifies(ContractRule.TRANSPORT_TIMEOUT)
    public void timeout() {
      PushServiceSubscription s = pushService().subscribe();
      pushService().injectFault(s, EmbeddedPushService.Fault.HANG, 10);
      long start = System.nanoTime();
      DeliveryException e = failureOf(send(deliveryTo(s).build()));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(DeliveryException.Reason.TIMEOUT, e.reason(), "reason");
      assertTrue(e.retryable(), "retryable()");
      assertTrue(
          took.compareTo(TRANSPORT_TIMEOUT.plusSeconds(3)) < 0,
          "gave up after " + took.toMillis() + " ms; the timeout was " + TRANSPORT_TIMEOUT);
    }

    /** TRANSPORT-11. */
    @Test
    @Verifies(ContractRule.TRANSPORT_DOES_NOT_BLOCK)
    public void doesNotBlock() {
      PushServiceSubscription s = pushService().subscribe();
      pushService().injectFault(s, EmbeddedPushService.Fault.HANG, 10);
      CompletableFuture<DeliveryResult> f = send(deliveryTo(s).build());
      assertFalse(
          f.isDone(),
          "the stage was complete when send returned, though the push service never answers:"
              + " send waited for the network");
      f.exceptionally(e -> null).join();
    }

    /** TRANSPORT-12. */
    @Test
    @Verifies(ContractRule.TRANSPORT_CLOSED)
    public void closed() {
      PushServiceSubscription s = pushService().subscribe();
      assertDoesNotThrow(() -> transport().close(), "first close");
      assertDoesNotThrow(() -> transport().close(), "second close");
      DeliveryException e = failureOf(send(deliveryTo(s).build()));
      assertEquals(DeliveryException.Reason.CLOSED, e.reason(), "reason after close");
      assertFalse(e.retryable(), "retryable() after close");
    }
  }

  /** RFC 8030 §5 delivery options on the wire. */
  @Nested
  @DisplayName("Delivery options")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class DeliveryOptions {
    /** For JUnit. */
    public DeliveryOptions() {}

    /** TRANSPORT-13. */
    @Test
    @Verifies(ContractRule.TRANSPORT_TTL_HEADER)
    public void ttlHeader() {
      PushServiceSubscription s = pushService().subscribe();
      resultOf(deliveryTo(s).ttl(Duration.ofSeconds(4321)).build());
      assertEquals(List.of("4321"), received(s).headerValues("TTL"), "TTL of a 4321 s delivery");
      resultOf(deliveryTo(s).ttl(Duration.ZERO).build());
      assertEquals(List.of("0"), received(s).headerValues("TTL"), "TTL of a 0 s delivery");
    }

    /** TRANSPORT-14. */
    @Test
    @Verifies(ContractRule.TRANSPORT_TOPIC_HEADER)
    public void topicHeader() {
      PushServiceSubscription s = pushService().subscribe();
      resultOf(deliveryTo(s).topic("calendar_Home-1").build());
      assertEquals(
          List.of("calendar_Home-1"), received(s).headerValues("Topic"), "Topic with a topic");
      resultOf(deliveryTo(s).build());
      assertEquals(List.of(), received(s).headerValues("Topic"), "Topic without one");
    }

    /** TRANSPORT-15. */
    @Test
    @Verifies(ContractRule.TRANSPORT_URGENCY_HEADER)
    public void urgencyHeader() {
      PushServiceSubscription s = pushService().subscribe();
      for (Urgency u : List.of(Urgency.HIGH, Urgency.LOW, Urgency.VERY_LOW)) {
        resultOf(deliveryTo(s).urgency(u).build());
        assertEquals(List.of(u.token()), received(s).headerValues("Urgency"), "urgency " + u);
      }
      resultOf(deliveryTo(s).urgency(Urgency.NORMAL).build());
      List<String> normal = received(s).headerValues("Urgency");
      assertTrue(
          normal.isEmpty() || normal.equals(List.of("normal")),
          "Urgency of a normal delivery: " + normal);
    }
  }

  /** Push resource URLs are capabilities. */
  @Nested
  @DisplayName("Secrets")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Secrets {
    /** For JUnit. */
    public Secrets() {}

    private void assertHidden(PushServiceSubscription s, @Nullable Throwable e, String what) {
      String path = s.pushResource().uri().getRawPath();
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(
            String.valueOf(t.getMessage()).contains(path),
            what + ": the message of " + t.getClass().getName() + " shows the push resource");
      }
    }

    /** TRANSPORT-17. */
    @Test
    @Verifies(ContractRule.TRANSPORT_HIDES_PUSH_RESOURCE)
    public void hidesPushResource() {
      PushServiceSubscription rejected = pushService().subscribe();
      rejected.answerWith(403);
      DeliveryResult r = resultOf(deliveryTo(rejected).build());
      if (r instanceof DeliveryResult.Rejected j) {
        assertFalse(
            j.reason().contains(rejected.pushResource().uri().getRawPath()),
            "the reason of a Rejected shows the push resource");
      }
      PushServiceSubscription dropped = pushService().subscribe();
      pushService().injectFault(dropped, EmbeddedPushService.Fault.CLOSE_CONNECTION, 10);
      assertHidden(dropped, failureOrNull(send(deliveryTo(dropped).build())), "dropped");
      PushServiceSubscription hanging = pushService().subscribe();
      pushService().injectFault(hanging, EmbeddedPushService.Fault.HANG, 10);
      assertHidden(hanging, failureOrNull(send(deliveryTo(hanging).build())), "no answer");
      PushServiceSubscription refused;
      try (EmbeddedPushService closed = EmbeddedPushService.start()) {
        refused = closed.subscribe();
      }
      assertHidden(refused, failureOrNull(send(deliveryTo(refused).build())), "refused");
      transport().close();
      Throwable closed;
      try {
        closed = failureOrNull(send(deliveryTo(rejected).build()));
      } catch (AssertionError thrown) { // send threw: TRANSPORT-12's business, but not a leak
        closed = thrown.getCause();
      }
      assertHidden(rejected, closed, "after close");
    }
  }

  /** Concurrent use. */
  @Nested
  @DisplayName("Concurrency")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Concurrency {
    /** For JUnit. */
    public Concurrency() {}

    /**
     * TRANSPORT-16.
     *
     * @throws Exception if the threads cannot be run
     */
    @Test
    @Verifies(ContractRule.TRANSPORT_CONCURRENT_SENDS)
    public void concurrentSends() throws Exception {
      int n = 16;
      List<PushServiceSubscription> subscriptions = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        subscriptions.add(pushService().subscribe());
      }
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<DeliveryResult>> results = new ArrayList<>();
      try {
        CountDownLatch start = new CountDownLatch(1);
        for (PushServiceSubscription s : subscriptions) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return resultOf(deliveryTo(s).build());
                  }));
        }
        start.countDown();
        for (Future<DeliveryResult> r : results) {
          assertEquals(
              new DeliveryResult.Delivered(201),
              r.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
              "result of a concurrent send");
        }
      } finally {
        pool.shutdownNow();
      }
      for (PushServiceSubscription s : subscriptions) {
        received(s);
      }
      subscriptions.get(0).expectNothing(Duration.ofMillis(300)); // let late duplicates arrive
      for (PushServiceSubscription s : subscriptions) {
        assertEquals(1, s.received().size(), "requests one push resource received");
      }
    }
  }
}
