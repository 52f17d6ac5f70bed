package dev.davpush.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.MultistatusReader;
import dev.davpush.xml.PushMessageReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two test hooks: {@code expireRegistration} and {@code rotateVapidKey}. */
class ReferenceServerHooksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(1500);

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedPushService service;
  private ReferenceServer server;
  private int edits;

  @BeforeEach
  void start() {
    service = EmbeddedPushService.start();
    server = ReferenceServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
    service.close();
  }

  private URI register(PushServiceSubscription sub) {
    return server
        .engine()
        .register(
            server.filesUri().getPath(),
            ReferenceServer.ANONYMOUS,
            new RegisterRequest(
                sub.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), null))
        .registration()
        .registrationUrl();
  }

  private int putMember() throws IOException, InterruptedException {
    edits++;
    HttpRequest put =
        HttpRequest.newBuilder(server.filesUri().resolve("hook.txt"))
            .PUT(HttpRequest.BodyPublishers.ofString("edit " + edits, StandardCharsets.UTF_8))
            .header("Content-Type", "text/plain")
            .build();
    return http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private P256PublicKey advertisedKey() throws IOException, InterruptedException {
    String body =
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\" xmlns:P=\""
            + "https://bitfire.at/webdav-push\"><D:prop><P:transports/></D:prop></D:propfind>";
    HttpRequest propfind =
        HttpRequest.newBuilder(server.filesUri())
            .method("PROPFIND", HttpRequest.BodyPublishers.ofString(body))
            .header("Depth", "0")
            .build();
    byte[] answer = http.send(propfind, HttpResponse.BodyHandlers.ofByteArray()).body();
    DavResponse self = MultistatusReader.read(answer).get(0);
    return self.transports().orElseThrow().stream()
        .filter(WebPushTransportDescriptor.class::isInstance)
        .map(WebPushTransportDescriptor.class::cast)
        .findFirst()
        .flatMap(WebPushTransportDescriptor::vapidKey)
        .orElseThrow();
  }

  @Test
  void aLiveRegistrationIsNotifiedUntilExpiredThenNeverAgain() throws Exception {
    PushServiceSubscription sub = service.subscribe(server.vapidPublicKey());
    URI url = register(sub);

    assertThat(putMember()).isEqualTo(201);
    assertThat(sub.awaitMessage(WAIT)).as("notified while live").isPresent();

    assertThat(server.expireRegistration(url)).isTrue();
    assertThat(server.engine().registration(url)).isEmpty();
    assertThat(putMember()).isEqualTo(204);
    assertThat(sub.expectNothing(QUIET)).as("nothing after expiry").isTrue();
  }

  @Test
  void expiringAnUnknownOrExpiredRegistrationAnswersFalse() {
    PushServiceSubscription sub = service.subscribe(server.vapidPublicKey());
    URI url = register(sub);
    assertThat(server.expireRegistration(url)).isTrue();
    assertThat(server.expireRegistration(url)).isFalse();
    assertThat(server.expireRegistration(server.baseUri().resolve("/push/registrations/nope")))
        .isFalse();
    assertThat(server.expireRegistration(server.filesUri())).isFalse();
  }

  @Test
  void rotationSendsTheKeyRotationMessageWithTheOldKeyThenAdvertisesAndSignsWithTheNew()
      throws Exception {
    P256PublicKey old = server.vapidPublicKey();
    assertThat(advertisedKey()).isEqualTo(old);
    PushServiceSubscription sub = service.subscribe(old);
    register(sub);

    P256PublicKey next = server.rotateVapidKey();

    assertThat(next).isNotEqualTo(old);
    assertThat(server.vapidPublicKey()).isEqualTo(next);
    assertThat(advertisedKey()).isEqualTo(next);
    Optional<ReceivedPush> rotation = sub.awaitMessage(WAIT);
    assertThat(rotation).isPresent();
    assertThat(rotation.get().violations()).isEmpty();
    assertThat(rotation.get().vapidClaims().orElseThrow().publicKey()).isEqualTo(old);
    PushMessage m = PushMessageReader.read(rotation.get().plaintext().orElseThrow());
    assertThat(m.isKeyRotation()).isTrue();

    PushServiceSubscription renewed = service.subscribe(next);
    register(renewed);
    assertThat(putMember()).isEqualTo(201);
    ReceivedPush after = renewed.awaitMessage(WAIT).orElseThrow();
    assertThat(after.violations()).isEmpty();
    assertThat(after.vapidClaims().orElseThrow().publicKey()).isEqualTo(next);
  }

  @Test
  void rotationWithoutRegistrationsJustSwitchesTheKey() throws Exception {
    P256PublicKey old = server.vapidPublicKey();
    P256PublicKey next = server.rotateVapidKey();
    assertThat(next).isNotEqualTo(old);
    assertThat(advertisedKey()).isEqualTo(next);
  }

  @Test
  void rotationAfterCloseIsRefused() {
    server.close();
    assertThatThrownBy(() -> server.rotateVapidKey())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
