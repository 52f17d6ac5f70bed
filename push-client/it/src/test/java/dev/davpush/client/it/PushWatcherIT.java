package dev.davpush.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.Trigger;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.PushDiscovery;
import dev.davpush.client.PushEvent;
import dev.davpush.client.PushWatcher;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.reference.ReferenceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * The watcher as a "watch" command uses it, without a terminal: register a push resource of the
 * embedded push service, hand each delivery to the watcher, see the message within a second of a
 * PUT, unregister on close.
 */
class PushWatcherIT {
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void deliversEachMessageWithinASecondAndUnregistersOnClose(TestReporter reporter)
      throws Exception {
    try (EmbeddedPushService push = EmbeddedPushService.start();
        ReferenceServer server = ReferenceServer.start();
        DavPushClient client = DavPushClient.builder().build()) {
      // as a watch command does: discover, subscribe restricted to the key, watch
      PushDiscovery target = client.discover(server.calendarUri()).get();
      PushServiceSubscription sub = push.subscribe(target.vapidKey().orElse(null));
      LinkedBlockingQueue<PushEvent> events = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
      PushWatcher watcher =
          PushWatcher.start(
                  client,
                  target,
                  sub.toWebPushSubscription(),
                  sub.keys(),
                  List.of(new Trigger.ContentUpdate(Depth.ONE)),
                  events::add,
                  errors::add)
              .get();
      URI registration = watcher.registration().registrationUrl();
      assertThat(server.engine().registration(registration)).isPresent();

      Thread pump =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Optional<ReceivedPush> m = sub.awaitMessage(Duration.ofMillis(200));
                    m.ifPresent(r -> watcher.deliver(r.body()));
                  } catch (RuntimeException e) {
                    return; // interrupted
                  }
                }
              },
              "pump");
      pump.start();
      try {
        HttpClient jdk = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
          long start = System.nanoTime();
          HttpResponse<Void> r =
              jdk.send(
                  HttpRequest.newBuilder(server.calendarUri().resolve("w" + i + ".ics"))
                      .PUT(HttpRequest.BodyPublishers.ofString("BEGIN:VCALENDAR"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          assertThat(r.statusCode()).isBetween(200, 299);
          PushEvent e = events.poll(5, TimeUnit.SECONDS);
          long millis = (System.nanoTime() - start) / 1_000_000;
          assertThat(e).isInstanceOf(PushEvent.SyncCollection.class);
          assertThat(((PushEvent.SyncCollection) e).collection()).isEqualTo(server.calendarUri());
          reporter.publishEntry("put-to-decoded-message-ms-" + i, Long.toString(millis));
          // the target is one second; the bound leaves room for a loaded build machine (the
          // engine's coalescing and the push service hop are in this time, not the client)
          assertThat(millis).as("PUT %d to decoded message, ms", i).isLessThan(2000);
          // the engine coalesces changes within its window: wait for it to pass
          sub.expectNothing(Duration.ofMillis(1200));
          events.clear();
        }
        watcher.deliver(new byte[] {1, 2, 3});
        assertThat(errors.poll(1, TimeUnit.SECONDS)).isNotNull();
      } finally {
        pump.interrupt();
        pump.join(2000);
      }
      watcher.close();
      assertThat(server.engine().registration(registration)).isEmpty();
      watcher.close(); // idempotent
    }
  }
}
