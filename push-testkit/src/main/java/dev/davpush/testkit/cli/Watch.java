package dev.davpush.testkit.cli;

import dev.davpush.Depth;
import dev.davpush.Trigger;
import dev.davpush.client.DavCredentials;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.PushDiscovery;
import dev.davpush.client.PushEvent;
import dev.davpush.client.PushWatcher;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code watch}: the client side at work on a real server. Registers a push resource of the kit's
 * embedded push service (plain HTTP on 127.0.0.1) on a collection through {@code push-client},
 * prints each push message as it arrives (time, collection, topic, sync-token) until stopped, and
 * unregisters on exit (Ctrl-C).
 *
 * <p>Thread safety: one run per instance.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Registers on a collection and prints each push message until stopped (Ctrl-C), then"
          + " unregisters.",
      "The kit's push service listens on 127.0.0.1 over plain HTTP: the server must accept"
          + " such push resources."
    })
final class Watch implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Option(
      names = "--target",
      required = true,
      paramLabel = "URL",
      description = "URL of a push-capable collection")
  @Nullable String target;

  @Option(names = "--user", paramLabel = "NAME", description = "Basic user name")
  @Nullable String user;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "environment variable that holds the password")
  @Nullable String passwordEnv;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    finished.await(PushWatcher.CLOSE_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "davpush-watch-shutdown"));
    try {
      return run(spec.commandLine().getOut(), spec.commandLine().getErr(), stop);
    } finally {
      finished.countDown();
    }
  }

  /**
   * Watches until {@code stop} opens.
   *
   * @param out where messages are printed
   * @param err where errors are printed
   * @param stop opened to stop watching and unregister
   * @return the exit status: 0, or 2 for a usage error or a target that cannot be watched
   * @throws InterruptedException if interrupted while waiting
   */
  int run(PrintWriter out, PrintWriter err, CountDownLatch stop) throws InterruptedException {
    URI collection;
    try {
      collection = new URI(java.util.Objects.requireNonNull(target, "target"));
    } catch (URISyntaxException e) {
      err.println("error: --target is not a URL: " + e.getMessage());
      return Main.USAGE;
    }
    if ((user == null) != (passwordEnv == null)) {
      err.println("error: --user and --password-env go together");
      return Main.USAGE;
    }
    String password = passwordEnv == null ? null : System.getenv(passwordEnv);
    if (passwordEnv != null && password == null) {
      err.println("error: environment variable " + passwordEnv + " is not set");
      return Main.USAGE;
    }
    DavPushClient.Builder b = DavPushClient.builder();
    if (user != null && password != null) {
      b.credentials(collection, DavCredentials.basic(user, password.toCharArray()));
    }
    try (DavPushClient client = b.build();
        EmbeddedPushService service = EmbeddedPushService.start()) {
      PushDiscovery found = client.discover(collection).get();
      PushServiceSubscription sub = service.subscribe(found.vapidKey().orElse(null));
      PushWatcher watcher =
          PushWatcher.start(
                  client,
                  found,
                  sub.toWebPushSubscription(),
                  sub.keys(),
                  List.of(new Trigger.ContentUpdate(Depth.ONE)),
                  e -> print(out, e),
                  e -> {
                    err.println("warning: " + e.getMessage());
                    err.flush();
                  })
              .get();
      try (watcher) {
        out.println("watching " + collection + "; press Ctrl-C to stop and unregister");
        out.flush();
        while (!stop.await(0, TimeUnit.MILLISECONDS)) {
          Optional<ReceivedPush> p = sub.awaitMessage(Duration.ofMillis(200));
          p.ifPresent(m -> watcher.deliver(m.body()));
        }
      }
      out.println("unregistered");
      out.flush();
      return Main.OK;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("error: " + cause.getMessage());
      return Main.USAGE;
    }
  }

  private static void print(PrintWriter out, PushEvent e) {
    String now = LocalTime.now().truncatedTo(ChronoUnit.MILLIS).format(TIME);
    if (e instanceof PushEvent.SyncCollection s) {
      out.println(
          now
              + "  "
              + (s.contentChanged() ? "content" : "")
              + (s.contentChanged() && s.propertiesChanged() ? "+" : "")
              + (s.propertiesChanged() ? "properties" : "")
              + "  "
              + s.collection()
              + "  topic "
              + s.topic().value()
              + "  sync-token "
              + s.syncTokenValue().orElse("(none)"));
    } else if (e instanceof PushEvent.KeyRotation) {
      out.println(now + "  key rotation: the server's VAPID key changes; re-register");
    } else if (e instanceof PushEvent.Unmatched u) {
      out.println(
          now
              + "  message for another topic: "
              + (u.topic() == null ? "(none)" : u.topic().value()));
    }
    out.flush();
  }
}
