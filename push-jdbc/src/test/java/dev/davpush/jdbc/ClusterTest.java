package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.server.Change;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engine JVMs (child processes) on one database and a loopback push service in this JVM: one
 * committed change reaches each of 2,000 registrations exactly once; then, with {@code kill -9} of
 * the sending JVM in the middle of the fan-out, every registration still gets the next change's
 * message (at least once), and the duplicates are counted.
 */
class ClusterTest {
  static final int REGISTRATIONS = 2_000;

  TestDatabase.Db db;
  HttpServer receiver;
  final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
  final AtomicInteger total = new AtomicInteger();
  final List<Process> children = new ArrayList<>();
  Topic topic = Topic.random();

  @BeforeEach
  void start() throws Exception {
    db = TestDatabase.fresh("cluster");
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    receiver.setExecutor(Executors.newFixedThreadPool(32));
    receiver.createContext(
        "/push/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          try {
            Thread.sleep(15); // a push service that takes a moment
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          received
              .computeIfAbsent(ex.getRequestURI().getPath(), k -> new AtomicInteger())
              .incrementAndGet();
          byNode
              .computeIfAbsent(ex.getRequestHeaders().getFirst("X-Node"), k -> new AtomicInteger())
              .incrementAndGet();
          total.incrementAndGet();
          ex.sendResponseHeaders(201, -1);
          ex.close();
        });
    receiver.start();
    JdbcSubscriptionStore store = new JdbcSubscriptionStore(db.dataSource());
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/push/";
    for (int i = 0; i < REGISTRATIONS; i++) {
      Registration r =
          Fixtures.registration(
              "user" + (i % 40),
              Node.PATH,
              topic,
              base + i,
              Instant.now().plus(Duration.ofDays(1)));
      store.save(r);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    receiver.stop(0);
    db.close();
  }

  Process child(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            ClusterNodeMain.class.getName(),
            TestDatabase.url(),
            TestDatabase.user(),
            TestDatabase.password(),
            db.schema(),
            topic.value(),
            name);
    File log = new File("target/cluster-" + name + ".log");
    pb.redirectError(log);
    Process p = pb.start();
    children.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("child %s started (see %s)", name, log).startsWith("READY");
    return p;
  }

  void stage() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      new JdbcOutbox(db.dataSource()).stage(c, Change.contentUpdate(Node.PATH).build());
      c.commit();
    }
  }

  void reset() {
    received.clear();
    byNode.clear();
    total.set(0);
  }

  int duplicates() {
    int d = 0;
    for (AtomicInteger n : received.values()) {
      d += n.get() - 1;
    }
    return d;
  }

  @Test
  void twoJvmsDeliverOnceAndSurviveAKillMidFanOut() throws Exception {
    Process a = child("a");
    Process b = child("b");

    stage();
    JdbcOutboxTest.waitFor(() -> received.size() == REGISTRATIONS, Duration.ofSeconds(90));
    Thread.sleep(1_000); // room for a duplicate to show
    assertThat(received.values()).hasSize(REGISTRATIONS).allMatch(n -> n.get() == 1);
    System.out.printf("cluster, normal run: %d messages, by node %s%n", total.get(), byNode);

    reset();
    stage();
    JdbcOutboxTest.waitFor(() -> total.get() >= REGISTRATIONS / 4, Duration.ofSeconds(60));
    String sender =
        byNode.entrySet().stream()
            .max(Map.Entry.comparingByValue((x, y) -> Integer.compare(x.get(), y.get())))
            .orElseThrow()
            .getKey();
    Process victim = sender.equals("a") ? a : b;
    victim.destroyForcibly(); // SIGKILL: no shutdown hook, no release, no last heartbeat
    victim.waitFor(10, TimeUnit.SECONDS);
    int atKill = total.get();
    JdbcOutboxTest.waitFor(() -> received.size() == REGISTRATIONS, Duration.ofSeconds(120));
    Thread.sleep(1_000);
    assertThat(atKill).isLessThan(REGISTRATIONS);
    // at least once; at most three: sent by the dead node, its adopted claim sent again, and the
    // change fanned out again (its outbox claim died with the node)
    assertThat(received.values())
        .hasSize(REGISTRATIONS)
        .allMatch(n -> n.get() >= 1 && n.get() <= 3);
    System.out.printf(
        "cluster, kill -9 of node %s after %d of %d messages: every registration reached, %d"
            + " duplicates, by node %s%n",
        sender, atKill, REGISTRATIONS, duplicates(), byNode);
    JdbcOutboxTest.waitFor(
        () ->
            db.count("SELECT count(*) FROM davpush_delivery") == 0
                && db.count("SELECT count(*) FROM davpush_outbox") == 0,
        Duration.ofSeconds(30));
  }
}
