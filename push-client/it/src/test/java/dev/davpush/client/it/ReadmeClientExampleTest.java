package dev.davpush.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.client.DavCredentials;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.PushDiscovery;
import dev.davpush.client.PushEvent;
import dev.davpush.client.PushReceiver;
import dev.davpush.client.PushRegistration;
import dev.davpush.client.RefreshHandle;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's client example: it compiles (it is {@link #example}'s body between the markers), it
 * runs against the reference server with a user and password, and the README shows exactly it.
 */
class ReadmeClientExampleTest {
  private static final String BEGIN = "// README-CLIENT-EXAMPLE-BEGIN";
  private static final String END = "// README-CLIENT-EXAMPLE-END";
  private static final int MAX_EXAMPLE_LINES = 40;

  /** What the example leaves behind. */
  record Outcome(PushEvent event, boolean removed) {}

  /**
   * The example. Its parameters are what a client has at hand: the collection, the user's password,
   * its push service (which makes a subscription restricted to a VAPID key, with key material the
   * application keeps), the next message body the push service delivers, its own sync, and where it
   * persists registrations.
   */
  static Outcome example(
      URI calendar,
      char[] password,
      Function<P256PublicKey, WebPushSubscription> myPushService,
      UserAgentKeyPair keys,
      Supplier<byte[]> nextPushBody,
      Consumer<URI> syncCollection,
      String lastSyncToken,
      Consumer<PushRegistration> keep)
      throws Exception {
    // README-CLIENT-EXAMPLE-BEGIN
    try (DavPushClient client =
        DavPushClient.builder()
            .credentials(calendar, DavCredentials.basic("alice", password)) // sent after a 401
            .build()) {
      PushDiscovery found = client.discover(calendar).get(); // OPTIONS + PROPFIND
      if (!found.supportsWebPush()) {
        throw new IllegalStateException("no push here: poll (see PollingAdvisor)");
      }
      // a subscription at your push service, restricted to the server's VAPID key
      WebPushSubscription subscription = myPushService.apply(found.vapidKey().orElse(null));
      PushRegistration registration =
          client
              .register(found, subscription, List.of(new Trigger.ContentUpdate(Depth.ONE)), null)
              .get()
              .registration();
      keep.accept(registration); // persist registration.toStorageString() beside the keys
      RefreshHandle refresh =
          client.scheduleRefresh(registration, r -> keep.accept(r.registration()));

      // when your push service delivers a message body:
      PushEvent event = PushReceiver.of(keys, List.of(registration)).receive(nextPushBody.get());
      if (event instanceof PushEvent.SyncCollection sync && !sync.alreadyHave(lastSyncToken)) {
        syncCollection.accept(sync.collection()); // your RFC 6578 sync-collection REPORT
      }

      // when the user logs out: stop refreshing, unregister
      refresh.cancel();
      boolean removed = client.unregister(refresh.current()).get();
      return new Outcome(event, removed);
    }
    // README-CLIENT-EXAMPLE-END
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void exampleDiscoversRegistersReceivesAndUnregisters() throws Exception {
    try (EmbeddedPushService push = EmbeddedPushService.start();
        ReferenceServer server = ReferenceServer.builder().user("alice", "s3cret").start()) {
      CompletableFuture<PushServiceSubscription> sub = new CompletableFuture<>();
      UserAgentKeyPair[] keys = new UserAgentKeyPair[1];
      List<URI> synced = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      HttpClient jdk = HttpClient.newHttpClient();
      Supplier<byte[]> afterAPut =
          () -> {
            try {
              HttpResponse<Void> r =
                  jdk.send(
                      HttpRequest.newBuilder(server.calendarUri().resolve("x.ics"))
                          .header(
                              "Authorization",
                              "Basic "
                                  + Base64.getEncoder()
                                      .encodeToString(
                                          "alice:s3cret".getBytes(StandardCharsets.UTF_8)))
                          .PUT(HttpRequest.BodyPublishers.ofString("BEGIN:VCALENDAR"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
              assertThat(r.statusCode()).isBetween(200, 299);
              return sub.get().awaitMessage(Duration.ofSeconds(10)).orElseThrow().body();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      PushServiceSubscription s = push.subscribe(server.vapidPublicKey());
      keys[0] = s.keys();
      sub.complete(s);

      Outcome o =
          example(
              server.calendarUri(),
              "s3cret".toCharArray(),
              vapid -> {
                assertThat(vapid).isEqualTo(server.vapidPublicKey());
                return s.toWebPushSubscription();
              },
              keys[0],
              afterAPut,
              synced::add,
              "none yet",
              r -> kept.add(r.toStorageString()));

      assertThat(kept).isNotEmpty();
      assertThat(PushRegistration.fromStorageString(kept.get(0)).collection())
          .isEqualTo(server.calendarUri());
      assertThat(o.event()).isInstanceOf(PushEvent.SyncCollection.class);
      assertThat(synced).containsExactly(server.calendarUri());
      assertThat(o.removed()).isTrue();
    }
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    Path module = Path.of(System.getProperty("user.dir"));
    List<String> source =
        Files.readAllLines(
            module.resolve("src/test/java/dev/davpush/client/it/ReadmeClientExampleTest.java"));
    List<String> example = stripCommonIndentation(between(source));
    List<String> readme = Files.readAllLines(module.getParent().getParent().resolve("README.md"));
    assertThat(example).hasSizeBetween(10, MAX_EXAMPLE_LINES);
    assertThat(Collections.indexOfSubList(readme, example))
        .as(
            "README.md holds the lines between %s and %s verbatim:%n%s",
            BEGIN, END, String.join("\n", example))
        .isNotNegative();
  }

  private static List<String> between(List<String> lines) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals(BEGIN)) {
        begin = i;
      } else if (t.equals(END)) {
        end = i;
      }
    }
    assertThat(begin).as("%s found", BEGIN).isNotNegative();
    assertThat(end).as("%s after %s", END, BEGIN).isGreaterThan(begin);
    return lines.subList(begin + 1, end);
  }

  private static List<String> stripCommonIndentation(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    return out;
  }
}
