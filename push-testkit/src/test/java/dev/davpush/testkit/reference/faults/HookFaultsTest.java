package dev.davpush.testkit.reference.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.xml.PushMessageReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The faults of the requirements the kit checks through the server's test hooks (R-WDP-33 through
 * {@code expireRegistration}, R-WDP-55 through {@code rotateVapidKey}), shown directly, without the
 * kit: each breaks its requirement, with the unbroken server as the control.
 */
class HookFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(1500);

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedPushService service;

  @BeforeEach
  void start() {
    service = EmbeddedPushService.start();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private static ReferenceServer server(boolean broken, PlantedFault fault) {
    ReferenceServer.Builder b = ReferenceServer.builder();
    return (broken ? b.fault(fault) : b).start();
  }

  private static URI register(ReferenceServer server, PushServiceSubscription sub) {
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

  private void put(ReferenceServer server, String text) throws Exception {
    http.send(
        HttpRequest.newBuilder(server.filesUri().resolve("hook.txt"))
            .PUT(HttpRequest.BodyPublishers.ofString(text))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @ParameterizedTest(name = "broken: {0}")
  @ValueSource(booleans = {false, true})
  void sendToExpiredNotifiesARegistrationAfterItsExpiry(boolean broken) throws Exception {
    try (ReferenceServer server = server(broken, PlantedFault.SEND_TO_EXPIRED)) {
      PushServiceSubscription sub = service.subscribe(server.vapidPublicKey());
      URI url = register(server, sub);
      assertThat(server.expireRegistration(url)).isTrue();
      put(server, "after expiry");
      // the planted fault's message may take a while on a loaded machine: wait for it, as long
      // as for any expected message; the sound server gets the quiet period to send nothing
      if (broken) {
        assertThat(sub.awaitMessage(WAIT)).as("sent after expiry").isPresent();
      } else {
        assertThat(sub.awaitMessage(QUIET)).as("nothing sent after expiry").isEmpty();
      }
    }
  }

  @ParameterizedTest(name = "broken: {0}")
  @ValueSource(booleans = {false, true})
  void noKeyRotationMessageSwitchesKeysSilently(boolean broken) throws Exception {
    try (ReferenceServer server = server(broken, PlantedFault.NO_KEY_ROTATION_MESSAGE)) {
      PushServiceSubscription sub = service.subscribe(server.vapidPublicKey());
      register(server, sub);
      var old = server.vapidPublicKey();
      assertThat(server.rotateVapidKey()).isNotEqualTo(old);
      Optional<ReceivedPush> rotation = sub.awaitMessage(broken ? QUIET : WAIT);
      assertThat(rotation.isPresent()).isEqualTo(!broken);
      if (!broken) {
        PushMessage m = PushMessageReader.read(rotation.get().plaintext().orElseThrow());
        assertThat(m.isKeyRotation()).isTrue();
      }
    }
  }
}
