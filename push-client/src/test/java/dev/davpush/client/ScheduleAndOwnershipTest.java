package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.HttpDates;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The refresh schedule's failure paths, key-rotation waiting, and who owns what. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScheduleAndOwnershipTest {
  private static final List<Trigger> CONTENT = List.of(new Trigger.ContentUpdate(Depth.ONE));
  private ScriptedServer server;
  private final UserAgentKeyPair keys = UserAgentKeyPair.generate();
  private final WebPushSubscription subscription =
      WebPushSubscription.of(
          PushResource.parse("https://push.example.net/p/abc"),
          keys.publicKey(),
          keys.authSecret());

  /** A failed refresh: what the listener heard. */
  record Failure(Throwable error, Optional<Instant> next) {}

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private PushRegistration due(P256PublicKey vapid) {
    return PushRegistration.builder()
        .registrationUrl(server.uri("/r/1"))
        .collection(server.uri("/cal/"))
        .subscription(subscription)
        .triggers(CONTENT)
        // 97 % of the lifetime has passed: the schedule refreshes at once
        .granted(Instant.now().minusSeconds(3500))
        .expires(Instant.now().plusSeconds(100))
        .vapidKey(vapid)
        .build();
  }

  private static RefreshListener listener(
      LinkedBlockingQueue<RegistrationResult> ok, LinkedBlockingQueue<Failure> failed) {
    return new RefreshListener() {
      @Override
      public void refreshed(RegistrationResult result) {
        ok.add(result);
      }

      @Override
      public void failed(Throwable error, Optional<Instant> nextAttempt) {
        failed.add(new Failure(error, nextAttempt));
      }
    };
  }

  @Test
  void aFailedRefreshIsRetriedAndThenSucceeds() throws Exception {
    server.then(ScriptedServer.Answer.of(503));
    server.then(
        ScriptedServer.Answer.of(204)
            .header("Location", server.uri("/r/1").toString())
            .header("Expires", HttpDates.format(Instant.now().plus(2, ChronoUnit.DAYS))));
    LinkedBlockingQueue<RegistrationResult> ok = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Failure> failed = new LinkedBlockingQueue<>();
    try (DavPushClient c = DavPushClient.builder().firstRetry(Duration.ofMillis(200)).build();
        RefreshHandle h = c.scheduleRefresh(due(null), listener(ok, failed))) {
      Failure f = failed.poll(5, TimeUnit.SECONDS);
      assertThat(f).isNotNull();
      assertThat(f.error()).isInstanceOf(DavStatusException.class);
      assertThat(f.next()).isPresent();
      RegistrationResult r = ok.poll(5, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      assertThat(r.kind()).isEqualTo(RegistrationResult.Kind.UPDATED);
      assertThat(h.current().expires()).isAfter(Instant.now().plus(1, ChronoUnit.DAYS));
    }
  }

  @Test
  void aRefusedRefreshStopsTheSchedule() throws Exception {
    server.then(
        ScriptedServer.Answer.xml(
            403,
            "<D:error xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\">"
                + "<P:push-not-available/></D:error>"));
    LinkedBlockingQueue<RegistrationResult> ok = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Failure> failed = new LinkedBlockingQueue<>();
    try (DavPushClient c = DavPushClient.builder().build();
        RefreshHandle h = c.scheduleRefresh(due(null), listener(ok, failed))) {
      Failure f = failed.poll(5, TimeUnit.SECONDS);
      assertThat(f).isNotNull();
      assertThat(f.error()).isInstanceOf(PushNotAvailableException.class);
      assertThat(f.next()).isEmpty();
      assertThat(h.nextRefresh()).isEmpty();
      assertThat(server.requests()).hasSize(1);
    }
  }

  @Test
  void aGoneCollectionStopsTheSchedule() throws Exception {
    server.then(ScriptedServer.Answer.of(404));
    LinkedBlockingQueue<RegistrationResult> ok = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Failure> failed = new LinkedBlockingQueue<>();
    try (DavPushClient c = DavPushClient.builder().firstRetry(Duration.ofMillis(50)).build();
        RefreshHandle h = c.scheduleRefresh(due(null), listener(ok, failed))) {
      Failure f = failed.poll(5, TimeUnit.SECONDS);
      assertThat(f).isNotNull();
      assertThat(((DavStatusException) f.error()).status()).isEqualTo(404);
      assertThat(f.next()).isEmpty();
      assertThat(h.nextRefresh()).isEmpty();
    }
  }

  @Test
  void keyRotationGivesUpWhenTheServerKeepsTheOldKey() throws Exception {
    P256PublicKey old = VapidKeyPair.generate().publicKey();
    String ms =
        "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\"><D:response>"
            + "<D:href>/cal/</D:href><D:propstat><D:prop><P:transports><P:web-push>"
            + "<P:vapid-public-key type=\"p256ecdsa\">"
            + old.toBase64Url()
            + "</P:vapid-public-key></P:web-push></P:transports><P:topic>t</P:topic></D:prop>"
            + "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>";
    for (int i = 0; i < 10; i++) {
      server.then(ScriptedServer.Answer.xml(207, ms));
    }
    AtomicInteger asked = new AtomicInteger();
    try (DavPushClient c =
        DavPushClient.builder().keyRotationWait(Duration.ofMillis(1500)).build()) {
      CompletableFuture<List<RegistrationResult>> f =
          c.reRegisterAfterKeyRotation(
              List.of(due(old)),
              key -> {
                asked.incrementAndGet();
                return CompletableFuture.completedFuture(subscription);
              });
      ExecutionException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class, f::get);
      assertThat(e.getCause())
          .isInstanceOf(DavPushClientException.class)
          .hasMessageContaining("old VAPID key");
      assertThat(asked).hasValue(0);
      assertThat(server.requests()).allMatch(r -> r.method().equals("PROPFIND"));
      assertThat(server.requests().size()).isBetween(2, 4);
    }
  }

  @Test
  void aFailedReRegistrationAfterKeyRotationUndoesTheNewOnesAndKeepsTheOld() throws Exception {
    P256PublicKey old = VapidKeyPair.generate().publicKey();
    P256PublicKey next = VapidKeyPair.generate().publicKey();
    server.then(
        ScriptedServer.Answer.xml(
            207,
            "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\">"
                + "<D:response><D:href>/cal/</D:href><D:propstat><D:prop><P:transports>"
                + "<P:web-push><P:vapid-public-key type=\"p256ecdsa\">"
                + next.toBase64Url()
                + "</P:vapid-public-key></P:web-push></P:transports></D:prop>"
                + "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
                + "</D:multistatus>"));
    server.then(
        ScriptedServer.Answer.of(201).header("Location", server.uri("/r/new-1").toString()));
    server.then(ScriptedServer.Answer.of(500));
    server.then(ScriptedServer.Answer.of(204));
    PushRegistration first = due(old);
    PushRegistration second =
        first.toBuilder()
            .registrationUrl(server.uri("/r/2"))
            .collection(server.uri("/book/"))
            .build();
    try (DavPushClient c = DavPushClient.builder().build()) {
      ExecutionException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ExecutionException.class,
              () ->
                  c.reRegisterAfterKeyRotation(
                          List.of(first, second),
                          key -> {
                            assertThat(key).isEqualTo(next);
                            return CompletableFuture.completedFuture(subscription);
                          })
                      .get());
      assertThat(e.getCause()).isInstanceOf(DavStatusException.class);
      assertThat(server.requests())
          .extracting(r -> r.method() + " " + r.path())
          .containsExactly("PROPFIND /cal/", "POST /cal/", "POST /book/", "DELETE /r/new-1");
    }
  }

  @Test
  void theApplicationsHttpClientAndSchedulerAreUsedButNotClosed() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    CloseableHttpAsyncClient http = HttpAsyncClients.createDefault(); // follows redirects itself
    http.start();
    try (ScriptedServer other = new ScriptedServer()) {
      try (DavPushClient c =
          DavPushClient.builder().httpClient(http).scheduler(scheduler).build()) {
        server.then(ScriptedServer.Answer.of(302).header("Location", other.uri("/x").toString()));
        ExecutionException e =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                ExecutionException.class, () -> c.unregister(due(null)).get());
        assertThat(e.getCause()).isInstanceOf(RedirectRefusedException.class);
        assertThat(other.requests()).isEmpty();
      }
      assertThat(scheduler.isShutdown()).isFalse();
      // the HTTP client still works after the DavPushClient closed
      server.then(ScriptedServer.Answer.of(204));
      try (DavPushClient again = DavPushClient.builder().httpClient(http).build()) {
        assertThat(again.unregister(due(null)).get()).isTrue();
      }
    } finally {
      http.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void aWatcherOnACollectionWithoutPushFailsAndRegistersNothing() throws Exception {
    server.then(ScriptedServer.Answer.of(200).header("DAV", "1"));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/files/</D:href>"
                + "<D:status>HTTP/1.1 200 OK</D:status></D:response></D:multistatus>"));
    try (DavPushClient c = DavPushClient.builder().build()) {
      ExecutionException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ExecutionException.class,
              () ->
                  PushWatcher.start(
                          c, server.uri("/files/"), subscription, keys, CONTENT, ev -> {}, er -> {})
                      .get());
      assertThat(e.getCause()).isInstanceOf(DavPushClientException.class);
      assertThat(server.requests())
          .extracting(ScriptedServer.Request::method)
          .containsExactly("OPTIONS", "PROPFIND");
    }
  }

  @Test
  void closingTheClientStopsItsOwnScheduler() {
    DavPushClient c = DavPushClient.builder().build();
    RefreshHandle h =
        c.scheduleRefresh(
            due(null).toBuilder().expires(Instant.now().plus(10, ChronoUnit.DAYS)).build(),
            r -> {});
    assertThat(h.nextRefresh()).isPresent();
    c.close();
    c.close();
    RefreshHandle after = c.scheduleRefresh(due(null), r -> {});
    assertThat(after.nextRefresh()).as("nothing is scheduled on a closed client").isEmpty();
    ExecutionException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ExecutionException.class, () -> c.discover(server.uri("/cal/")).get());
    assertThat(e.getCause())
        .isInstanceOf(DavPushClientException.class)
        .hasMessageContaining("closed");
    assertThat(server.requests()).isEmpty();
  }
}
