package dev.davpush.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PushMessage;
import dev.davpush.Trigger;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.OwnWrites;
import dev.davpush.client.PushDiscovery;
import dev.davpush.client.PushEvent;
import dev.davpush.client.PushReceiver;
import dev.davpush.client.PushRegistration;
import dev.davpush.client.RefreshHandle;
import dev.davpush.client.RegistrationResult;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.webpush.crypto.WebPushEncryption;
import dev.davpush.xml.PushMessageWriter;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the kit's reference server and embedded push service, over real HTTP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<Trigger> CONTENT = List.of(new Trigger.ContentUpdate(Depth.ONE));

  private EmbeddedPushService push;
  private ReferenceServer server;
  private DavPushClient client;
  private final HttpClient jdk = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    push = EmbeddedPushService.start();
    server = ReferenceServer.start();
    client = DavPushClient.builder().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    push.close();
  }

  @Test
  void discoversRegistersReceivesDecryptsRefreshesAndUnregisters() throws Exception {
    PushDiscovery d = client.discover(server.calendarUri()).get();
    assertThat(d.supportsWebPush()).isTrue();
    assertThat(d.complianceClassAdvertised()).contains(true);
    assertThat(d.vapidKey()).contains(server.vapidPublicKey());
    assertThat(d.topic()).isPresent();
    assertThat(d.syncToken()).isPresent();

    PushServiceSubscription sub = push.subscribe(d.vapidKey().orElseThrow());
    RegistrationResult r = client.register(d, sub.toWebPushSubscription(), CONTENT, null).get();
    PushRegistration reg = r.registration();
    assertThat(r.kind()).isEqualTo(RegistrationResult.Kind.CREATED);
    assertThat(r.deviations()).isEmpty();
    assertThat(reg.registrationUrl().isAbsolute()).isTrue();
    assertThat(server.engine().registration(reg.registrationUrl())).isPresent();
    assertThat(reg.expires()).isAfter(Instant.now());

    put(server.calendarUri().resolve("event-1.ics"), List.of());
    ReceivedPush received = sub.awaitMessage(WAIT).orElseThrow();
    PushReceiver receiver = PushReceiver.of(sub.keys(), List.of(reg));
    PushEvent event = receiver.receive(received.body());
    assertThat(event).isInstanceOf(PushEvent.SyncCollection.class);
    PushEvent.SyncCollection sync = (PushEvent.SyncCollection) event;
    assertThat(sync.collection()).isEqualTo(server.calendarUri());
    assertThat(sync.contentChanged()).isTrue();
    String tokenNow = client.discover(server.calendarUri()).get().syncToken().orElseThrow();
    assertThat(sync.syncToken()).isEqualTo(tokenNow);
    assertThat(sync.alreadyHave(tokenNow)).isTrue();
    assertThat(sync.alreadyHave(d.syncToken().orElseThrow())).isFalse();

    RegistrationResult refreshed = client.refresh(reg).get();
    assertThat(refreshed.kind()).isEqualTo(RegistrationResult.Kind.UPDATED);
    assertThat(refreshed.registration().registrationUrl()).isEqualTo(reg.registrationUrl());

    assertThat(client.unregister(refreshed.registration()).get()).isTrue();
    assertThat(server.engine().registration(reg.registrationUrl())).isEmpty();
    assertThat(client.unregister(refreshed.registration()).get()).isFalse();
  }

  @Test
  void refreshAfterTheServerForgotTheRegistrationRegistersAnew() throws Exception {
    PushDiscovery d = client.discover(server.calendarUri()).get();
    PushServiceSubscription sub = push.subscribe(d.vapidKey().orElseThrow());
    PushRegistration reg =
        client.register(d, sub.toWebPushSubscription(), CONTENT, null).get().registration();
    server.engine().unregister(reg.registrationUrl(), ReferenceServer.ANONYMOUS);
    assertThat(client.unregister(reg).get()).isFalse(); // the old URL now answers 404

    // a schedule whose refresh is due at once
    PushRegistration due =
        reg.toBuilder()
            .granted(Instant.now().minusSeconds(100))
            .expires(Instant.now().plusSeconds(5))
            .build();
    LinkedBlockingQueue<RegistrationResult> results = new LinkedBlockingQueue<>();
    try (RefreshHandle h = client.scheduleRefresh(due, results::add)) {
      RegistrationResult r = results.poll(10, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      assertThat(r.kind()).isEqualTo(RegistrationResult.Kind.REPLACED);
      assertThat(r.registration().registrationUrl()).isNotEqualTo(reg.registrationUrl());
      assertThat(server.engine().registration(r.registration().registrationUrl())).isPresent();
      assertThat(h.current()).isEqualTo(r.registration());
      assertThat(h.nextRefresh()).isPresent();
      assertThat(h.nextRefresh().orElseThrow()).isAfter(Instant.now());
    }
  }

  @Test
  void ownWritesWithPushDontNotifyAreNotPushedBackButOthersAre() throws Exception {
    PushDiscovery d = client.discover(server.calendarUri()).get();
    PushServiceSubscription mine = push.subscribe(d.vapidKey().orElseThrow());
    PushServiceSubscription other = push.subscribe(d.vapidKey().orElseThrow());
    PushRegistration myReg =
        client.register(d, mine.toWebPushSubscription(), CONTENT, null).get().registration();
    client.register(d, other.toWebPushSubscription(), CONTENT, null).get();

    put(server.calendarUri().resolve("mine.ics"), List.of(OwnWrites.value(List.of(myReg))));

    assertThat(other.awaitMessage(WAIT)).isPresent();
    assertThat(mine.expectNothing(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void keyRotationEndToEndReRegistersWithANewRestrictedSubscription() throws Exception {
    PushDiscovery d = client.discover(server.calendarUri()).get();
    PushServiceSubscription sub = push.subscribe(d.vapidKey().orElseThrow());
    PushRegistration reg =
        client.register(d, sub.toWebPushSubscription(), CONTENT, null).get().registration();

    // the server side: announce with the old key, then switch to a new one
    dev.davpush.P256PublicKey next = server.rotateVapidKey();

    ReceivedPush announcement = sub.awaitMessage(WAIT).orElseThrow();
    PushEvent event = PushReceiver.of(sub.keys(), List.of(reg)).receive(announcement.body());
    assertThat(event).isInstanceOf(PushEvent.KeyRotation.class);

    CompletableFuture<PushServiceSubscription> created = new CompletableFuture<>();
    List<RegistrationResult> redone =
        client
            .reRegisterAfterKeyRotation(
                List.of(reg),
                key -> {
                  PushServiceSubscription s = push.subscribe(key);
                  created.complete(s);
                  return CompletableFuture.completedFuture(s.toWebPushSubscription());
                })
            .get();
    PushServiceSubscription fresh = created.get();
    assertThat(fresh.vapidKey()).contains(next);
    assertThat(redone).hasSize(1);
    PushRegistration newReg = redone.get(0).registration();
    assertThat(newReg.vapidKey()).contains(next);
    assertThat(server.engine().registration(reg.registrationUrl())).isEmpty();

    put(server.calendarUri().resolve("after-rotation.ics"), List.of());
    ReceivedPush after = fresh.awaitMessage(WAIT).orElseThrow();
    assertThat(after.accepted()).isTrue(); // VAPID signed with the new key, as restricted
    assertThat(PushReceiver.of(fresh.keys(), List.of(newReg)).receive(after.body()))
        .isInstanceOf(PushEvent.SyncCollection.class);
  }

  @Test
  void aKeyRotationMessageBuiltByTheTestIsRecognised() {
    PushServiceSubscription sub = push.subscribe();
    byte[] plain = PushMessageWriter.write(PushMessage.keyRotation(WebDavPush.TRANSPORTS));
    byte[] body = WebPushEncryption.encrypt(plain, sub.keys().publicKey(), sub.keys().authSecret());
    PushEvent e = PushReceiver.of(sub.keys(), List.of()).receive(body);
    assertThat(e).isInstanceOf(PushEvent.KeyRotation.class);
    assertThat(new String(plain, StandardCharsets.UTF_8)).contains("transports");
  }

  private void put(URI uri, List<String> dontNotify) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "text/calendar")
            .PUT(HttpRequest.BodyPublishers.ofString("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"));
    dontNotify.forEach(v -> b.header(OwnWrites.HEADER, v));
    HttpResponse<Void> r = jdk.send(b.build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isBetween(200, 299);
  }
}
