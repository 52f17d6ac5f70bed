package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.Trigger;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.PushDiscovery;
import dev.davpush.client.PushEvent;
import dev.davpush.client.PushReceiver;
import dev.davpush.client.PushRegistration;
import dev.davpush.client.RegistrationResult;
import dev.davpush.testkit.cli.Main;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code davpush-kit serve --jdbc-url} in a child JVM on the tests' PostgreSQL: a client registers,
 * the server stops (SIGTERM) and starts again on the same port and database, and the registration
 * is still there: same topic and VAPID key, a refresh updates it under its URL, a change reaches
 * the push service, and its URL answers the removal. The database password comes only from the
 * environment variable and appears in no output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD_VARIABLE = "DAVPUSH_IT_DB_PASSWORD";
  private static final List<Trigger> CONTENT = List.of(new Trigger.ContentUpdate(Depth.ONE));

  private final String password = "pw-" + UUID.randomUUID();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRestartedServerKeepsItsRegistrations() throws Exception {
    try (TestDatabase.Db db = TestDatabase.fresh("serve");
        EmbeddedPushService push = EmbeddedPushService.start();
        DavPushClient client = DavPushClient.builder().build()) {
      int port = freePort();
      String url = TestDatabase.url() + "?currentSchema=" + db.schema();

      Serve first = serve("first", port, url);
      PushDiscovery d = client.discover(first.calendar).get();
      assertThat(d.vapidKey())
          .hasValueSatisfying(k -> assertThat(k.toBase64Url()).isEqualTo(first.vapidKey));
      PushServiceSubscription sub = push.subscribe(d.vapidKey().orElseThrow());
      RegistrationResult created =
          client.register(d, sub.toWebPushSubscription(), CONTENT, null).get();
      assertThat(created.kind()).isEqualTo(RegistrationResult.Kind.CREATED);
      PushRegistration reg = created.registration();
      first.stop();
      assertThat(db.count("SELECT count(*) FROM davpush_registration")).isEqualTo(1);

      Serve second = serve("second", port, url);
      assertThat(second.calendar).isEqualTo(first.calendar);
      assertThat(second.vapidKey).as("VAPID key after the restart").isEqualTo(first.vapidKey);
      PushDiscovery again = client.discover(second.calendar).get();
      assertThat(again.topic()).as("topic after the restart").isEqualTo(d.topic());

      RegistrationResult refreshed = client.refresh(reg).get();
      assertThat(refreshed.kind()).isEqualTo(RegistrationResult.Kind.UPDATED);
      assertThat(refreshed.registration().registrationUrl()).isEqualTo(reg.registrationUrl());

      int status = put(second.calendar.resolve("after-restart.ics"));
      assertThat(status).isEqualTo(201);
      ReceivedPush received = sub.awaitMessage(WAIT).orElseThrow();
      PushEvent event =
          PushReceiver.of(sub.keys(), List.of(refreshed.registration())).receive(received.body());
      assertThat(event).isInstanceOf(PushEvent.SyncCollection.class);
      assertThat(((PushEvent.SyncCollection) event).collection()).isEqualTo(second.calendar);

      assertThat(client.unregister(refreshed.registration()).get()).isTrue();
      assertThat(db.count("SELECT count(*) FROM davpush_registration")).isZero();
      second.stop();

      assertThat(first.output() + second.output()).doesNotContain(password);
      // the URL's query may carry a password: serve prints the URL without it
      assertThat(first.output())
          .contains("registrations in PostgreSQL at " + TestDatabase.url() + "?...")
          .doesNotContain("currentSchema");
    }
  }

  @Test
  void theDatabaseOptionsAreCheckedBeforeTheServerStarts() {
    CliRun noUrl = cli("serve", "--jdbc-user", "davpush");
    assertThat(noUrl.status()).isEqualTo(2);
    assertThat(noUrl.err()).contains("need --jdbc-url");

    CliRun unsetVariable =
        cli(
            "serve",
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:1/none",
            "--jdbc-password-env",
            "DAVPUSH_IT_VARIABLE_THAT_IS_NOT_SET");
    assertThat(unsetVariable.status()).isEqualTo(2);
    assertThat(unsetVariable.err()).contains("DAVPUSH_IT_VARIABLE_THAT_IS_NOT_SET is not set");

    CliRun otherDatabase = cli("serve", "--jdbc-url", "jdbc:mysql://127.0.0.1:1/none");
    assertThat(otherDatabase.status()).isEqualTo(2);
    assertThat(otherDatabase.err()).startsWith("error: ");
    assertThat(noUrl.out() + unsetVariable.out() + otherDatabase.out())
        .doesNotContain("reference server running");
  }

  /** What one in-process run of the command line answered and printed. */
  private record CliRun(int status, String out, String err) {}

  private static CliRun cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(status, out.toString(), err.toString());
  }

  /** A running {@code serve} child and what it printed. */
  final class Serve {
    final Process process;
    final URI calendar;
    final String vapidKey;
    final File log;
    final StringBuilder stdout = new StringBuilder();

    Serve(Process process, URI calendar, String vapidKey, File log) {
      this.process = process;
      this.calendar = calendar;
      this.vapidKey = vapidKey;
      this.log = log;
    }

    /** SIGTERM: the shutdown hook closes the server, the queue and the pool. */
    void stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("serve stopped").isTrue();
    }

    String output() throws IOException {
      return stdout + Files.readString(log.toPath(), StandardCharsets.UTF_8);
    }
  }

  Serve serve(String name, int port, String url) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            "--port",
            Integer.toString(port),
            "--jdbc-url",
            url,
            "--jdbc-user",
            TestDatabase.user(),
            "--jdbc-password-env",
            PASSWORD_VARIABLE);
    // the embedded database trusts local connections; an external one gets its real password
    String real = TestDatabase.password();
    pb.environment().put(PASSWORD_VARIABLE, real == null || real.isEmpty() ? password : real);
    File log = new File("target/serve-" + name + ".log");
    pb.redirectError(log);
    Process p = pb.start();
    children.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    URI calendar = null;
    String vapid = null;
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      String t = line.trim();
      if (t.endsWith("(calendar)")) {
        calendar = URI.create(t.substring(0, t.indexOf(' ')));
      } else if (t.startsWith("VAPID public key: ")) {
        vapid = t.substring("VAPID public key: ".length());
      } else if (t.startsWith("press Ctrl-C")) {
        break;
      }
    }
    assertThat(calendar).as("serve %s started (output %s, see %s)", name, seen, log).isNotNull();
    assertThat(vapid).isNotNull();
    Serve s = new Serve(p, calendar, vapid, log);
    s.stdout.append(seen);
    Thread drain =
        new Thread(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  synchronized (s.stdout) {
                    s.stdout.append(line).append('\n');
                  }
                }
              } catch (IOException ignored) {
                // the child ended
              }
            });
    drain.setDaemon(true);
    drain.start();
    return s;
  }

  static int put(URI uri) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/calendar")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
