package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.milton.example.MiltonExampleServer;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.PushRegisterWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A client's life against the milton example, with plain {@code java.net.http} and the kit's
 * embedded push service: discover, register, receive a push after a {@code PUT} made through
 * milton, suppress it with {@code Push-Dont-Notify}, unregister.
 */
class MiltonPushClientIT {
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final Pattern TOPIC = Pattern.compile("<[A-Za-z0-9]+:topic[^>]*>([^<]+)</");

  private static byte[] registerBody(PushServiceSubscription s) {
    return PushRegisterWriter.write(
        new RegisterRequest(
            s.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), null));
  }

  @Test
  void registersReceivesAPushAfterAPutAndUnregisters() {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder()
                .allowLoopbackHttpPush(true)
                .user("alice", "a-secret")
                .start()) {
      Http alice = new Http("alice", "a-secret");
      URI collection = server.collectionUri();

      HttpResponse<String> options = alice.send("OPTIONS", collection, java.util.Map.of(), null);
      assertThat(options.headers().allValues("DAV").toString()).contains("webdav-push");
      HttpResponse<String> discovery = alice.propfind(collection, "<P:topic/>");
      Matcher topic = TOPIC.matcher(discovery.body());
      assertThat(topic.find()).as(discovery.body()).isTrue();

      PushServiceSubscription subscription = service.subscribe();
      HttpResponse<String> registered = alice.register(collection, registerBody(subscription));
      assertThat(registered.statusCode()).as(registered.body()).isIn(201, 204);
      URI location = URI.create(registered.headers().firstValue("Location").orElseThrow());
      assertThat(location.isAbsolute()).isTrue();
      assertThat(registered.headers().firstValue("Expires")).isPresent();

      HttpResponse<String> put = alice.put(collection.resolve("note.txt"), "first\n", List.of());
      assertThat(put.statusCode()).isIn(201, 204);
      Optional<ReceivedPush> push = subscription.awaitMessage(PUSH_TIMEOUT);
      assertThat(push).isPresent();
      PushMessage message = PushMessageReader.read(push.get().plaintext().orElseThrow());
      assertThat(message.topic().map(t -> t.value())).contains(topic.group(1));
      assertThat(message.contentUpdate()).isPresent();

      // two Push-Dont-Notify field lines, the second naming this registration: no push
      HttpResponse<String> quiet =
          alice.put(
              collection.resolve("note.txt"),
              "second\n",
              List.of(
                  "\"https://elsewhere.invalid/push/registrations/x\"", "\"" + location + "\""));
      assertThat(quiet.statusCode()).isIn(201, 204);
      assertThat(subscription.expectNothing(QUIET)).isTrue();

      assertThat(alice.delete(location).statusCode()).isEqualTo(204);
      assertThat(alice.delete(location).statusCode()).isEqualTo(404);
      alice.put(collection.resolve("note.txt"), "third\n", List.of());
      assertThat(subscription.expectNothing(QUIET)).isTrue();
    }
  }

  @Test
  void anotherUserCannotUnregisterAndAnonymousRequestsAreChallenged() {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder()
                .allowLoopbackHttpPush(true)
                .user("alice", "a-secret")
                .user("bob", "b-secret")
                .start()) {
      Http alice = new Http("alice", "a-secret");
      HttpResponse<String> registered =
          alice.register(server.collectionUri(), registerBody(service.subscribe()));
      URI location = URI.create(registered.headers().firstValue("Location").orElseThrow());

      assertThat(new Http("bob", "b-secret").delete(location).statusCode()).isEqualTo(403);
      HttpResponse<String> anonymous = Http.anonymous().delete(location);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(new Http("bob", "wrong").delete(location).statusCode()).isEqualTo(401);
      assertThat(alice.delete(location).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void registersOnACollectionMiltonSendsNoPostTo() {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder()
                .allowLoopbackHttpPush(true)
                .postableCollections(false)
                .start()) {
      Http anyone = Http.anonymous();
      PushServiceSubscription subscription = service.subscribe();
      HttpResponse<String> registered =
          anyone.register(server.collectionUri(), registerBody(subscription));
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(204);

      anyone.put(server.collectionUri().resolve("plain.txt"), "x\n", List.of());
      assertThat(subscription.awaitMessage(PUSH_TIMEOUT)).isPresent();
    }
  }

  @Test
  void eachChangeKindAloneIsPushed() {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder()
                .allowLoopbackHttpPush(true)
                .user("alice", "a-secret")
                .start()) {
      Http alice = new Http("alice", "a-secret");
      URI files = server.collectionUri();
      alice.put(files.resolve("a.txt"), "a\n", List.of());
      PushServiceSubscription subscription = service.subscribe();
      alice.register(files, registerBody(subscription));

      List<Runnable> changes =
          List.of(
              () -> alice.send("MKCOL", files.resolve("sub/"), Map.of(), null),
              () ->
                  alice.send(
                      "COPY",
                      files.resolve("a.txt"),
                      Map.of("Destination", List.of(files.resolve("b.txt").toString())),
                      null),
              () ->
                  alice.send(
                      "MOVE",
                      files.resolve("b.txt"),
                      Map.of("Destination", List.of(files.resolve("c.txt").toString())),
                      null),
              () -> alice.delete(files.resolve("c.txt")));
      String[] names = {"MKCOL", "COPY", "MOVE", "DELETE"};
      for (int i = 0; i < changes.size(); i++) {
        changes.get(i).run();
        assertThat(subscription.awaitMessage(PUSH_TIMEOUT)).as(names[i]).isPresent();
        // a MOVE publishes its source and its destination: let a trailing message arrive first
        while (subscription.awaitMessage(Duration.ofMillis(1500)).isPresent()) {
          // drained
        }
      }
    }
  }

  @Test
  void aChangeTheEngineRefusesStillCommitsAndIsCounted() {
    try (MiltonExampleServer server = MiltonExampleServer.builder().start()) {
      server.engine().close();

      HttpResponse<String> put =
          Http.anonymous().put(server.collectionUri().resolve("late.txt"), "x\n", List.of());

      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(server.push().refusedChanges()).isEqualTo(1);
    }
  }

  @Test
  void aPropertyChangeThroughMiltonIsPushedAsAPropertyUpdate() {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder().allowLoopbackHttpPush(true).start()) {
      Http anyone = Http.anonymous();
      PushServiceSubscription subscription = service.subscribe();
      byte[] register =
          PushRegisterWriter.write(
              new RegisterRequest(
                  subscription.toWebPushSubscription(),
                  List.of(new Trigger.PropertyUpdate(Depth.ZERO)),
                  null));
      assertThat(anyone.register(server.collectionUri(), register).statusCode()).isEqualTo(204);

      String patch =
          "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propertyupdate xmlns:D=\"DAV:\""
              + " xmlns:X=\"urn:example:props\"><D:set><D:prop><X:color>#ff0000</X:color>"
              + "</D:prop></D:set></D:propertyupdate>";
      HttpResponse<String> r =
          anyone.send(
              "PROPPATCH",
              server.collectionUri(),
              Map.of("Content-Type", List.of("application/xml; charset=utf-8")),
              patch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      assertThat(r.body()).contains("200");

      Optional<ReceivedPush> push = subscription.awaitMessage(PUSH_TIMEOUT);
      assertThat(push).isPresent();
      PushMessage message = PushMessageReader.read(push.get().plaintext().orElseThrow());
      assertThat(message.propertyUpdate()).isPresent();
      assertThat(message.contentUpdate()).isEmpty();
    }
  }

  @Test
  void unregistersUnderAnotherHostName() throws java.io.IOException {
    try (EmbeddedPushService service = EmbeddedPushService.start();
        MiltonExampleServer server =
            MiltonExampleServer.builder()
                .allowLoopbackHttpPush(true)
                .user("alice", "a-secret")
                .start()) {
      Http alice = new Http("alice", "a-secret");
      URI location =
          URI.create(
              alice
                  .register(server.collectionUri(), registerBody(service.subscribe()))
                  .headers()
                  .firstValue("Location")
                  .orElseThrow());
      String credentials =
          java.util.Base64.getEncoder()
              .encodeToString("alice:a-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

      // as behind a proxy: the request's Host is not the registration base's authority
      int first = rawDelete(server.baseUri(), location.getRawPath(), credentials);
      int second = rawDelete(server.baseUri(), location.getRawPath(), credentials);

      assertThat(first).isEqualTo(204);
      assertThat(second).isEqualTo(404);
    }
  }

  /** A DELETE over a plain socket to 127.0.0.1, with {@code Host: dav.example.test}. */
  private static int rawDelete(URI base, String path, String credentials)
      throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
      socket.setSoTimeout(20_000);
      String request =
          "DELETE "
              + path
              + " HTTP/1.1\r\nHost: dav.example.test\r\nAuthorization: Basic "
              + credentials
              + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
      String status = in.readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }
}
