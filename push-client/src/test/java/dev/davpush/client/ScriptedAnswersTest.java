package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.xml.HttpDates;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against scripted answers: each fault a typed error or a documented deviation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptedAnswersTest {
  private static final String NS = "https://bitfire.at/webdav-push";
  private static final List<Trigger> CONTENT = List.of(new Trigger.ContentUpdate(Depth.ONE));

  private ScriptedServer server;
  private DavPushClient client;
  private final List<ServerDeviation> deviations = new CopyOnWriteArrayList<>();
  private final WebPushSubscription subscription =
      WebPushSubscription.of(
          PushResource.parse("https://push.example.net/p/abc"),
          UserAgentKeyPair.generate().publicKey(),
          UserAgentKeyPair.generate().authSecret());

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    client =
        DavPushClient.builder()
            .responseTimeout(Duration.ofMillis(500))
            .requestTimeout(Duration.ofSeconds(3))
            .onDeviation(deviations::add)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private RegisterRequest request() {
    return new RegisterRequest(subscription, CONTENT, null);
  }

  private Throwable failure(java.util.concurrent.Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static String error(String condition) {
    return "<D:error xmlns:D=\"DAV:\" xmlns:P=\"" + NS + "\"><P:" + condition + "/></D:error>";
  }

  @ParameterizedTest
  @CsvSource({
    "invalid-subscription, INVALID_SUBSCRIPTION, dev.davpush.client.InvalidSubscriptionException",
    "push-not-available, PUSH_NOT_AVAILABLE, dev.davpush.client.PushNotAvailableException",
    "no-supported-trigger, NO_SUPPORTED_TRIGGER, dev.davpush.client.NoSupportedTriggerException",
    "no-trigger-supported, NO_SUPPORTED_TRIGGER, dev.davpush.client.NoSupportedTriggerException",
    "trigger-not-supported, NO_SUPPORTED_TRIGGER, dev.davpush.client.NoSupportedTriggerException"
  })
  void eachPreconditionIsItsOwnTypedException(String element, Precondition p, String type) {
    server.then(ScriptedServer.Answer.xml(403, error(element)));
    Throwable t = failure(client.register(server.uri("/cal/"), request()));
    assertThat(t.getClass().getName()).isEqualTo(type);
    assertThat(((RegistrationRefusedException) t).precondition()).isEqualTo(p);
    assertThat(t.getMessage()).contains("403").doesNotContain("push.example.net");
  }

  @Test
  void forbiddenWithoutPreconditionIsAStatusError() {
    server.then(ScriptedServer.Answer.of(403));
    Throwable t = failure(client.register(server.uri("/cal/"), request()));
    assertThat(t).isInstanceOf(DavStatusException.class);
    assertThat(((DavStatusException) t).status()).isEqualTo(403);
  }

  @Test
  void forbiddenWithGarbageBodyIsAStatusError() {
    server.then(ScriptedServer.Answer.xml(403, "<D:error xmlns:D=\"DAV:\"><unclosed>"));
    assertThat(failure(client.register(server.uri("/cal/"), request())))
        .isInstanceOf(DavStatusException.class);
  }

  @Test
  void serverErrorIsAStatusError() {
    server.then(ScriptedServer.Answer.of(500));
    Throwable t = failure(client.register(server.uri("/cal/"), request()));
    assertThat(t).isInstanceOf(DavStatusException.class);
    assertThat(((DavStatusException) t).status()).isEqualTo(500);
    assertThat(((DavStatusException) t).method()).isEqualTo("POST");
  }

  @Test
  void relativeLocationIsResolvedAndReportedAsDeviation() throws Exception {
    Instant expires = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    server.then(
        ScriptedServer.Answer.of(201)
            .header("Location", "../push/reg-1")
            .header("Expires", HttpDates.format(expires)));
    RegistrationResult r = client.register(server.uri("/dav/cal/"), request()).get();
    assertThat(r.registration().registrationUrl()).isEqualTo(server.uri("/dav/push/reg-1"));
    assertThat(r.registration().expires()).isEqualTo(expires);
    assertThat(r.deviations()).extracting(ServerDeviation::requirement).containsExactly("R-WDP-25");
    assertThat(deviations).isEqualTo(r.deviations());
  }

  @Test
  void missingExpiresAssumesThreeDaysAndReportsIt() throws Exception {
    server.then(ScriptedServer.Answer.of(204).header("Location", server.uri("/r/1").toString()));
    Instant before = Instant.now();
    RegistrationResult r = client.register(server.uri("/cal/"), request()).get();
    assertThat(r.deviations()).extracting(ServerDeviation::requirement).containsExactly("R-WDP-26");
    assertThat(r.registration().expires())
        .isBetween(
            before.plus(DavPushClient.ASSUMED_EXPIRY), Instant.now().plus(3, ChronoUnit.DAYS));
  }

  @Test
  void successWithoutLocationIsAResponseError() {
    server.then(ScriptedServer.Answer.of(201));
    assertThat(failure(client.register(server.uri("/cal/"), request())))
        .isInstanceOf(DavResponseException.class)
        .hasMessageContaining("R-WDP-25");
  }

  @Test
  void registrationSendsThePushRegisterDocumentAsXml() throws Exception {
    server.then(ScriptedServer.Answer.of(201).header("Location", server.uri("/r/1").toString()));
    client.register(server.uri("/cal/"), request()).get();
    ScriptedServer.Request sent = server.requests().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.header("Content-Type")).startsWith("application/xml");
    assertThat(sent.bodyText()).contains("push-register").contains("push.example.net/p/abc");
  }

  @Test
  void garbageMultistatusIsAResponseError() {
    server.then(ScriptedServer.Answer.of(200).header("DAV", "1, webdav-push"));
    server.then(ScriptedServer.Answer.xml(207, "<D:multistatus xmlns:D=\"DAV:\"><D:response>"));
    Throwable t = failure(client.discover(server.uri("/cal/")));
    assertThat(t).isInstanceOf(DavResponseException.class);
    assertThat(t.getCause()).isInstanceOf(dev.davpush.xml.PushXmlException.class);
  }

  @Test
  void doctypeInMultistatusIsRefused() {
    server.then(ScriptedServer.Answer.of(200));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<D:multistatus xmlns:D=\"DAV:\">&e;</D:multistatus>"));
    assertThat(failure(client.discover(server.uri("/cal/"))))
        .isInstanceOf(DavResponseException.class);
  }

  @Test
  void redirectToAnotherOriginIsRefused() throws Exception {
    try (ScriptedServer other = new ScriptedServer()) {
      server.then(ScriptedServer.Answer.of(307).header("Location", other.uri("/cal/").toString()));
      Throwable t = failure(client.register(server.uri("/cal/"), request()));
      assertThat(t).isInstanceOf(RedirectRefusedException.class);
      assertThat(((RedirectRefusedException) t).toOrigin())
          .isEqualTo("http://127.0.0.1:" + other.uri("/").getPort());
      assertThat(other.requests()).isEmpty();
    }
  }

  @Test
  void redirectWithinTheOriginIsFollowedWithMethodAndBody() throws Exception {
    server.then(ScriptedServer.Answer.of(308).header("Location", "/moved/cal/"));
    server.then(ScriptedServer.Answer.of(201).header("Location", server.uri("/r/1").toString()));
    RegistrationResult r = client.register(server.uri("/cal/"), request()).get();
    assertThat(r.registration().registrationUrl()).isEqualTo(server.uri("/r/1"));
    List<ScriptedServer.Request> reqs = server.requests();
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(1).method()).isEqualTo("POST");
    assertThat(reqs.get(1).path()).isEqualTo("/moved/cal/");
    assertThat(reqs.get(1).bodyText()).isEqualTo(reqs.get(0).bodyText());
  }

  @Test
  void endlessRedirectsStop() {
    for (int i = 0; i <= DavPushClient.MAX_REDIRECTS + 1; i++) {
      server.then(ScriptedServer.Answer.of(302).header("Location", "/again/" + i));
    }
    assertThat(failure(client.register(server.uri("/cal/"), request())))
        .isInstanceOf(RedirectRefusedException.class);
    assertThat(server.requests()).hasSize(DavPushClient.MAX_REDIRECTS + 1);
  }

  @Test
  void slowServerTimesOut() {
    server.then(ScriptedServer.Answer.of(204).delayed(Duration.ofSeconds(5)));
    Throwable t = failure(client.register(server.uri("/cal/"), request()));
    assertThat(t).isInstanceOf(DavTransportException.class);
    assertThat(((DavTransportException) t).timedOut()).isTrue();
  }

  @Test
  void unreachableServerIsATransportError() throws Exception {
    URI gone;
    try (ScriptedServer s = new ScriptedServer()) {
      gone = s.uri("/cal/");
    }
    Throwable t = failure(client.register(gone, request()));
    assertThat(t).isInstanceOf(DavTransportException.class);
  }

  @Test
  void oversizedBodyIsAResponseError() throws Exception {
    try (DavPushClient small = DavPushClient.builder().maxResponseBytes(1024).build()) {
      server.then(ScriptedServer.Answer.of(200));
      server.then(ScriptedServer.Answer.xml(207, "<x>" + "a".repeat(4096) + "</x>"));
      assertThat(failure(small.discover(server.uri("/cal/"))))
          .isInstanceOf(DavResponseException.class)
          .hasMessageContaining("maxResponseBytes");
    }
  }

  @Test
  void unregisterTreats204AsRemoved404AsGoneAndOthersAsErrors() throws Exception {
    PushRegistration reg = registration(server.uri("/r/1"));
    server.then(ScriptedServer.Answer.of(204));
    server.then(ScriptedServer.Answer.of(404));
    server.then(ScriptedServer.Answer.of(500));
    assertThat(client.unregister(reg).get()).isTrue();
    assertThat(client.unregister(reg).get()).isFalse();
    assertThat(failure(client.unregister(reg))).isInstanceOf(DavStatusException.class);
    assertThat(server.requests()).extracting(ScriptedServer.Request::method).containsOnly("DELETE");
  }

  @Test
  void updateAnsweredWithAnotherUrlIsReportedAsReplaced() throws Exception {
    PushRegistration reg = registration(server.uri("/r/1"));
    server.then(ScriptedServer.Answer.of(204).header("Location", server.uri("/r/2").toString()));
    RegistrationResult r = client.update(reg, CONTENT, null).get();
    assertThat(r.kind()).isEqualTo(RegistrationResult.Kind.REPLACED);
    assertThat(r.registration().registrationUrl()).isEqualTo(server.uri("/r/2"));
  }

  @Test
  void changingThePushResourceRegistersAnewThenDeletesTheOld() throws Exception {
    PushRegistration reg = registration(server.uri("/r/1"));
    WebPushSubscription next =
        WebPushSubscription.of(
            PushResource.parse("https://push.example.net/p/next"),
            UserAgentKeyPair.generate().publicKey(),
            UserAgentKeyPair.generate().authSecret());
    server.then(ScriptedServer.Answer.of(201).header("Location", server.uri("/r/2").toString()));
    server.then(ScriptedServer.Answer.of(204));
    RegistrationResult r = client.changePushResource(reg, next).get();
    assertThat(r.kind()).isEqualTo(RegistrationResult.Kind.CREATED);
    assertThat(r.registration().subscription()).isEqualTo(next);
    List<ScriptedServer.Request> reqs = server.requests();
    assertThat(reqs).extracting(ScriptedServer.Request::method).containsExactly("POST", "DELETE");
    assertThat(reqs.get(1).path()).isEqualTo("/r/1");
  }

  @Test
  void failedRegistrationOfTheNewPushResourceKeepsTheOld() {
    PushRegistration reg = registration(server.uri("/r/1"));
    server.then(ScriptedServer.Answer.of(500));
    assertThat(failure(client.changePushResource(reg, subscription)))
        .isInstanceOf(DavStatusException.class);
    assertThat(server.requests())
        .extracting(ScriptedServer.Request::method)
        .containsExactly("POST");
  }

  @Test
  void credentialsGoOnlyAfterAChallengeByDefault() throws Exception {
    try (DavPushClient c =
        DavPushClient.builder()
            .credentials(server.uri("/"), DavCredentials.basic("alice", "s3cret".toCharArray()))
            .build()) {
      server.then(ScriptedServer.Answer.of(401).header("WWW-Authenticate", "Basic realm=\"dav\""));
      server.then(ScriptedServer.Answer.of(204));
      assertThat(c.unregister(registration(server.uri("/r/1"))).get()).isTrue();
      List<ScriptedServer.Request> reqs = server.requests();
      assertThat(reqs).hasSize(2);
      assertThat(reqs.get(0).header("Authorization")).isNull();
      assertThat(reqs.get(1).header("Authorization")).isEqualTo("Basic YWxpY2U6czNjcmV0");
    }
  }

  @Test
  void bearerTokenAfterABearerChallenge() throws Exception {
    try (DavPushClient c =
        DavPushClient.builder()
            .credentials(server.uri("/"), DavCredentials.bearer("tok-123"))
            .build()) {
      server.then(ScriptedServer.Answer.of(401).header("WWW-Authenticate", "Bearer realm=\"dav\""));
      server.then(ScriptedServer.Answer.of(204));
      assertThat(c.unregister(registration(server.uri("/r/1"))).get()).isTrue();
      assertThat(server.requests().get(1).header("Authorization")).isEqualTo("Bearer tok-123");
    }
  }

  @Test
  void preemptiveCredentialsGoWithTheFirstRequestButNotToOtherOrigins() throws Exception {
    try (ScriptedServer other = new ScriptedServer();
        DavPushClient c =
            DavPushClient.builder()
                .credentials(server.uri("/"), DavCredentials.basic("alice", "pw".toCharArray()))
                .preemptiveAuthentication(true)
                .build()) {
      server.then(ScriptedServer.Answer.of(204));
      other.then(ScriptedServer.Answer.of(204));
      c.unregister(registration(server.uri("/r/1"))).get();
      c.unregister(registration(other.uri("/r/1"))).get();
      assertThat(server.requests().get(0).header("Authorization")).startsWith("Basic ");
      assertThat(other.requests().get(0).header("Authorization")).isNull();
    }
  }

  @Test
  void exchangeSendsAnyRequestAndHandsBackTheStatusAsData() throws Exception {
    PushRegistration own = registration(server.uri("/push/r/1"));
    server.then(ScriptedServer.Answer.of(412).header("ETag", "\"x\""));
    DavAnswer a =
        client
            .exchange(
                "PUT",
                server.uri("/cal/e.ics"),
                java.util.Map.of(
                    OwnWrites.HEADER,
                    List.of(OwnWrites.value(List.of(own))),
                    "If-Match",
                    List.of("\"y\"")),
                "BEGIN:VCALENDAR".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/calendar")
            .get();
    assertThat(a.status()).isEqualTo(412);
    assertThat(a.header("etag")).contains("\"x\"");
    ScriptedServer.Request sent = server.requests().get(0);
    assertThat(sent.method()).isEqualTo("PUT");
    assertThat(sent.header("Push-Dont-Notify")).isEqualTo("\"" + own.registrationUrl() + "\"");
    assertThat(sent.header("Content-Type")).startsWith("text/calendar");
    assertThat(sent.bodyText()).isEqualTo("BEGIN:VCALENDAR");
    assertThatThrownBy(
            () -> client.exchange("P T", server.uri("/"), java.util.Map.of(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCredentialsSourceIsAskedBeforeEveryRequest() throws Exception {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    try (DavPushClient c =
        DavPushClient.builder()
            .credentials(
                server.uri("/"), () -> DavCredentials.bearer("token-" + n.incrementAndGet()))
            .preemptiveAuthentication(true)
            .build()) {
      server.then(ScriptedServer.Answer.of(204));
      server.then(ScriptedServer.Answer.of(204));
      c.unregister(registration(server.uri("/r/1"))).get();
      c.unregister(registration(server.uri("/r/1"))).get();
      assertThat(server.requests())
          .extracting(r -> r.header("Authorization"))
          .containsExactly("Bearer token-1", "Bearer token-2");
    }
  }

  @Test
  void aFailingCredentialsSourceFailsTheRequestWithoutSendingIt() {
    try (DavPushClient c =
        DavPushClient.builder()
            .credentials(
                server.uri("/"),
                () -> {
                  throw new IllegalStateException("token store locked");
                })
            .build()) {
      assertThat(failure(c.unregister(registration(server.uri("/r/1")))))
          .isInstanceOf(DavPushClientException.class)
          .hasMessageContaining("credentials supplier");
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void credentialsPrintRedacted() {
    assertThat(DavCredentials.basic("alice", "s3cret".toCharArray()).toString())
        .doesNotContain("s3cret");
    assertThat(DavCredentials.bearer("tok-123").toString()).doesNotContain("tok-123");
  }

  private PushRegistration registration(URI url) {
    return PushRegistration.builder()
        .registrationUrl(url)
        .collection(server.uri("/cal/"))
        .subscription(subscription)
        .triggers(CONTENT)
        .expires(Instant.now().plus(1, ChronoUnit.DAYS))
        .granted(Instant.now())
        .build();
  }
}
