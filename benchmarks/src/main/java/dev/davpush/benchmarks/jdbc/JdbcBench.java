package dev.davpush.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.jdbc.JdbcDataSources;
import dev.davpush.jdbc.JdbcDeliveryQueue;
import dev.davpush.jdbc.JdbcSchema;
import dev.davpush.jdbc.JdbcSubscriptionStore;
import dev.davpush.server.Change;
import dev.davpush.server.PublishResult;
import dev.davpush.server.PushEngine;
import dev.davpush.server.RegistrationLimits;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The PostgreSQL figures of issue 11, in one run on one machine, each beside its in-memory
 * counterpart: registration rate through {@link PushEngine#register}; fan-out of one change to N
 * registrations through the durable {@link JdbcDeliveryQueue} to a loopback push service (real RFC
 * 8291 encryption and VAPID signing with {@link WebPushTransport}); and the lookup of a topic with
 * 10,000 registrations among a large table.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.davpush.benchmarks.jdbc.JdbcBench
 * [--jdbc-url URL --jdbc-user U --jdbc-password-env VAR] [--registrations 10000] [--table-rows
 * 1000000] [--runs 3] [--fsync on|off] [--synchronous-commit on|off]}. Without a URL it starts an
 * embedded PostgreSQL (zonky) on 127.0.0.1, with fsync and synchronous_commit on unless told (the
 * PostgreSQL defaults; zonky's own default is fsync off), and stops it at the end. Plain main, not
 * JMH: each figure is timed in several runs after a warm-up, JDBC and in memory in the same
 * process, and printed with the best and the median; other processes on the machine move them.
 */
public final class JdbcBench {
  private static final String COLLECTION = "/cal/";
  private static final Topic TOPIC = Topic.of("jdbc-bench-calendar");

  private JdbcBench() {}

  public static void main(String[] args) throws Exception {
    String url = null;
    String user = null;
    String password = null;
    int n = 10_000;
    int tableRows = 1_000_000;
    boolean statementStats = false;
    int runs = 3;
    boolean synchronousCommit = true;
    boolean fsync = true;
    int engineThreads = 24;
    int warmupFanOuts = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jdbc-url" -> url = args[++i];
        case "--jdbc-user" -> user = args[++i];
        case "--jdbc-password-env" -> password = System.getenv(args[++i]);
        case "--registrations" -> n = Integer.parseInt(args[++i]);
        case "--table-rows" -> tableRows = Integer.parseInt(args[++i]);
        case "--statement-stats" -> statementStats = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--synchronous-commit" -> synchronousCommit = parseOnOff(args[++i]);
        case "--fsync" -> fsync = parseOnOff(args[++i]);
        case "--engine-threads" -> engineThreads = Integer.parseInt(args[++i]);
        case "--warmup-fanouts" -> warmupFanOuts = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: JdbcBench [--jdbc-url URL --jdbc-user U --jdbc-password-env VAR]"
                  + " [--registrations N] [--table-rows N] [--runs N] [--synchronous-commit on|off] [--fsync on|off]"
                  + " [--engine-threads N] [--warmup-fanouts N]"
                  + " [--statement-stats]");
          System.exit(2);
        }
      }
    }
    EmbeddedPostgres embedded = null;
    int port = -1;
    if (url == null) {
      EmbeddedPostgres.Builder eb =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "200")
              // zonky's default is fsync=off: say it, so that a figure names what it cost
              .setServerConfig("fsync", fsync ? "on" : "off")
              .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off");
      if (statementStats) {
        eb.setServerConfig("shared_preload_libraries", "pg_stat_statements");
      }
      embedded = eb.start();
      port = embedded.getPort();
      url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
      user = "postgres";
      password = "";
      System.out.println(
          "embedded PostgreSQL on 127.0.0.1:"
              + embedded.getPort()
              + ", fsync="
              + (fsync ? "on" : "off")
              + ", synchronous_commit="
              + (synchronousCommit ? "on" : "off"));
    }
    System.out.printf(
        "JdbcBench: %d registrations, %,d table rows, %d runs, %d cores%n",
        n, tableRows, runs, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "the durable engine's executor: %d threads; %d warm-up fan-outs on each engine before the"
            + " measured ones%n",
        engineThreads, warmupFanOuts);
    Setup.engineThreads = engineThreads;
    try (HikariDataSource ds = JdbcDataSources.pooled(url, user, password, 32);
        LoopbackReceiver receiver = new LoopbackReceiver()) {
      reset(ds);
      Keys keys = new Keys(n);

      // registration: durable, then in memory, each run
      Figures registration = new Figures("registrations/s");
      for (boolean durable : new boolean[] {true, false}) {
        reset(ds);
        try (Setup s = new Setup(ds, durable, receiver)) {
          s.registerAll(keys, 0, n / 5); // warm-up
        }
      }
      for (int run = 0; run < runs; run++) {
        for (boolean durable : new boolean[] {true, false}) {
          reset(ds);
          try (Setup s = new Setup(ds, durable, receiver)) {
            long t0 = System.nanoTime();
            s.registerAll(keys, 0, n);
            double secs = (System.nanoTime() - t0) / 1e9;
            registration.add(durable, n / secs);
            System.out.printf(
                "registration (%s): %d in %.2f s = %.0f/s%n",
                durable ? "JDBC store" : "in-memory store", n, secs, n / secs);
          }
        }
      }

      // fan-out of one change to n registrations: durable, then in memory, each run
      Figures fanOut = new Figures("deliveries/s");
      for (boolean durable : new boolean[] {true, false}) {
        reset(ds);
        try (Setup s = new Setup(ds, durable, receiver)) {
          s.registerAll(keys, 0, n);
          for (int w = 0; w < warmupFanOuts; w++) {
            s.fanOut(); // warm-up: the engine of a long-running server, its hot paths compiled
          }
          for (int run = 0; run < runs; run++) {
            receiver.received.set(0);
            if (durable && statementStats && run == runs - 1) {
              execute(ds, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
              execute(ds, "SELECT pg_stat_statements_reset()");
            }
            Cpu before = Cpu.now(port);
            long t0 = System.nanoTime();
            PublishResult r = s.fanOut();
            double secs = (System.nanoTime() - t0) / 1e9;
            Cpu used = Cpu.now(port).minus(before);
            if (durable && statementStats && run == runs - 1) {
              printStatements(ds, r.delivered());
            }
            fanOut.add(durable, r.delivered() / secs);
            if (s.timed != null) {
              System.out.println(
                  "  "
                      + s.timed.report(t0)
                      + "; claims taken back (possible duplicates) since start: "
                      + s.queue.recovered());
            }
            System.out.printf(
                "fan-out (%s): %d delivered (%d received) in %.2f s = %.0f deliveries/s; CPU per"
                    + " delivery: this JVM %.0f us, PostgreSQL %s%n",
                durable ? "JDBC store and durable queue" : "in-memory store and queue",
                r.delivered(),
                receiver.received.get(),
                secs,
                r.delivered() / secs,
                used.javaNanos / 1e3 / Math.max(1, r.delivered()),
                used.postgresNanos < 0
                    ? "not measured (external server)"
                    : String.format(
                        "%.0f us", used.postgresNanos / 1e3 / Math.max(1, r.delivered())));
          }
        }
      }
      registration.print();
      fanOut.print();

      // lookup of a topic of 10,000 among tableRows
      reset(ds);
      fill(ds, tableRows, 10_000);
      JdbcSubscriptionStore store = new JdbcSubscriptionStore(ds);
      store.findByTopic(Topic.of("hot"));
      long best = Long.MAX_VALUE;
      int found = 0;
      List<Double> lookups = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        found = store.findByTopic(Topic.of("hot")).size();
        best = Math.min(best, System.nanoTime() - t0);
        lookups.add((System.nanoTime() - t0) / 1e6);
      }
      long bestRaw = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection();
            Statement st = c.createStatement();
            var rs = st.executeQuery("SELECT * FROM davpush_registration WHERE topic = 'hot'")) {
          while (rs.next()) {
            rs.getBytes("public_key");
          }
        }
        bestRaw = Math.min(bestRaw, System.nanoTime() - t0);
      }
      System.out.printf(
          "findByTopic: %d of %,d rows in %.1f ms (best of 5, median %.1f ms; the query and"
              + " transfer alone %.1f ms, the rest is decoding and validating the keys)%n",
          found, tableRows, best / 1e6, median(lookups), bestRaw / 1e6);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
    System.exit(0); // the transports' and the HTTP server's pools are not all daemon threads
  }

  /**
   * CPU time used so far by this JVM and by the embedded PostgreSQL (its postmaster, found by its
   * {@code -p PORT} argument, and the postmaster's live children: the backends of the pool's
   * connections and the background processes).
   */
  private record Cpu(long javaNanos, long postgresNanos) {
    static Cpu now(int port) {
      long self =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      if (port < 0) {
        return new Cpu(self, -1);
      }
      String flag = "-p " + port + " ";
      long pg = 0;
      for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
        String line = h.info().commandLine().orElse("") + " ";
        if (line.contains("/postgres ") && line.contains(flag)) {
          pg += cpu(h);
          for (ProcessHandle child : h.children().toList()) {
            pg += cpu(child);
          }
        }
      }
      return new Cpu(self, pg);
    }

    private static long cpu(ProcessHandle h) {
      return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    Cpu minus(Cpu earlier) {
      return new Cpu(
          javaNanos - earlier.javaNanos,
          postgresNanos < 0 ? -1 : postgresNanos - earlier.postgresNanos);
    }
  }

  private static boolean parseOnOff(String v) {
    return switch (v) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("expected on or off, got " + v);
    };
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  /** One figure per run, JDBC and in memory; printed as best and median. */
  private static final class Figures {
    final String unit;
    final List<Double> jdbc = new ArrayList<>();
    final List<Double> memory = new ArrayList<>();

    Figures(String unit) {
      this.unit = unit;
    }

    void add(boolean durable, double v) {
      (durable ? jdbc : memory).add(v);
    }

    void print() {
      System.out.printf(
          "%s: JDBC best %.0f, median %.0f; in memory best %.0f, median %.0f (%d runs)%n",
          unit,
          jdbc.stream().mapToDouble(d -> d).max().orElse(0),
          median(jdbc),
          memory.stream().mapToDouble(d -> d).max().orElse(0),
          median(memory),
          jdbc.size());
    }
  }

  private static void execute(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  // The statements of the timed durable fan-out, per delivery, from pg_stat_statements.
  private static void printStatements(HikariDataSource ds, int deliveries) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT calls, total_exec_time, query FROM pg_stat_statements"
                    + " WHERE query LIKE '%davpush_%' ORDER BY calls DESC LIMIT 12")) {
      System.out.println("statements of the durable fan-out (calls per delivery, ms in all):");
      while (rs.next()) {
        String q = rs.getString(3).replaceAll("\\s+", " ");
        System.out.printf(
            "  %5.2f  %8.1f ms  %s%n",
            rs.getLong(1) / (double) deliveries,
            rs.getDouble(2),
            q.substring(0, Math.min(110, q.length())));
      }
    }
  }

  private static void reset(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "DROP TABLE IF EXISTS davpush_registration, davpush_resource_count,"
              + " davpush_resource_count_slot,"
              + " davpush_push_resource_health,"
              + " davpush_delivery, davpush_dead_letter, davpush_outbox, davpush_node");
    }
    JdbcSchema.create(ds);
  }

  private static void fill(HikariDataSource ds, int rows, int hot) throws Exception {
    long t0 = System.nanoTime();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      String key = java.util.HexFormat.of().formatHex(Keys.one().bytes());
      s.execute(
          "INSERT INTO davpush_registration (id, owner, resource_path, subscription_id, topic,"
              + " registration_url, transport, content_encoding, public_key, auth_secret,"
              + " triggers, expires_s, expires_ns, created_s, created_ns) SELECT 'id' || g,"
              + " 'owner' || (g % 20000), '/cal/' || (g % 200000) || '/',"
              + " 'https://push.example/' || md5(g::text), CASE WHEN g <= "
              + hot
              + " THEN 'hot' ELSE 'topic-' || (g % 100000) END,"
              + " 'https://dav.example/push/id' || g, 'web-push', 'aes128gcm', decode('"
              + key
              + "', 'hex'), decode(md5(g::text), 'hex'), E'content 1\\n', 4000000000, 0, 1000,"
              + " 0 FROM generate_series(1, "
              + rows
              + ") g");
      s.execute("ANALYZE davpush_registration");
    }
    System.out.printf("filled %,d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
  }

  /** An engine on the JDBC store and queue, or on the in-memory ones. */
  private static final class Setup implements AutoCloseable {
    static int engineThreads = 24;
    final VapidKeyPair vapid = VapidKeyPair.generate();
    final WebPushTransport transport;
    final PushEngine engine;
    final JdbcDeliveryQueue queue;
    final TimedQueue timed;
    final ExecutorService pool;
    final LoopbackReceiver receiver;
    final AtomicLong version = new AtomicLong();

    Setup(HikariDataSource ds, boolean durable, LoopbackReceiver receiver) {
      this.receiver = receiver;
      transport =
          WebPushTransport.builder()
              .vapidKeyPair(vapid)
              .subject("mailto:bench@127.0.0.1")
              .pushResourcePolicy(
                  PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
              .build();
      PushEngine.Builder b =
          PushEngine.builder()
              .resources(new OneCalendar(version))
              .transport(transport)
              .registrationBase(URI.create("http://127.0.0.1/push-registrations/"))
              .registrationLimits(RegistrationLimits.builder().perResource(10_000_000).build());
      if (durable) {
        SubscriptionStore store = new JdbcSubscriptionStore(ds);
        queue = JdbcDeliveryQueue.builder(ds).build();
        // the engine's tasks block on the database now: more threads than cores (docs/jdbc.md)
        pool = Executors.newFixedThreadPool(engineThreads);
        timed = new TimedQueue(queue);
        b.store(store).deliveryQueue(timed).executor(pool);
      } else {
        queue = null;
        timed = null;
        pool = null;
      }
      engine = b.build();
    }

    void registerAll(Keys keys, int from, int count) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> fs = new ArrayList<>();
        AtomicInteger next = new AtomicInteger(from);
        for (int t = 0; t < 8; t++) {
          fs.add(
              pool.submit(
                  () -> {
                    for (int i; (i = next.getAndIncrement()) < from + count; ) {
                      WebPushSubscription sub =
                          WebPushSubscription.of(
                              PushResource.parse(receiver.url(i)),
                              keys.key(i),
                              AuthSecret.random());
                      engine.register(
                          COLLECTION,
                          "user-" + i,
                          new RegisterRequest(
                              sub, List.of(new Trigger.ContentUpdate(Depth.ONE)), null));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdown();
      }
    }

    PublishResult fanOut() throws Exception {
      version.incrementAndGet();
      return engine
          .publish(Change.contentUpdate(COLLECTION + "event-" + version.get() + ".ics").build())
          .toCompletableFuture()
          .get(10, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
      engine.close();
      transport.close();
      if (queue != null) {
        queue.close();
      }
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  /**
   * The durable queue, with the time the engine spent in each method and when the last offer of a
   * fan-out returned: where a fan-out's time goes.
   */
  private static final class TimedQueue implements DeliveryQueue {
    final DeliveryQueue q;
    final LongAdder offerNanos = new LongAdder();
    final LongAdder offers = new LongAdder();
    final LongAdder offerPages = new LongAdder();
    final LongAdder pollNanos = new LongAdder();
    final LongAdder polls = new LongAdder();
    final LongAdder emptyPolls = new LongAdder();
    final LongAdder claimed = new LongAdder();
    final LongAdder ackNanos = new LongAdder();
    final LongAdder acks = new LongAdder();
    volatile long lastOffer;

    TimedQueue(DeliveryQueue q) {
      this.q = q;
    }

    String report(long t0) {
      String r =
          String.format(
              "offers %d in %d pages (%.0f us per delivery; last one returned %.2f s after the"
                  + " publish), polls %d (%d of them empty, %.1f deliveries per claim that found"
                  + " some; %.1f ms each), acknowledgements %d (%.0f us each, concurrent)",
              offers.sum(),
              offerPages.sum(),
              offerNanos.sum() / 1e3 / Math.max(1, offers.sum()),
              (lastOffer - t0) / 1e9,
              polls.sum(),
              emptyPolls.sum(),
              claimed.sum() / (double) Math.max(1, polls.sum() - emptyPolls.sum()),
              pollNanos.sum() / 1e6 / Math.max(1, polls.sum()),
              acks.sum(),
              ackNanos.sum() / 1e3 / Math.max(1, acks.sum()));
      for (LongAdder a :
          new LongAdder[] {
            offerNanos, offers, offerPages, pollNanos, polls, emptyPolls, claimed, ackNanos, acks
          }) {
        a.reset();
      }
      return r;
    }

    @Override
    public PendingDelivery offer(PendingDelivery d) {
      long t = System.nanoTime();
      try {
        return q.offer(d);
      } finally {
        lastOffer = System.nanoTime();
        offerNanos.add(lastOffer - t);
        offers.increment();
      }
    }

    @Override
    public List<PendingDelivery> offerAll(List<PendingDelivery> page) {
      long t = System.nanoTime();
      try {
        return q.offerAll(page);
      } finally {
        lastOffer = System.nanoTime();
        offerNanos.add(lastOffer - t);
        offers.add(page.size());
        offerPages.increment();
      }
    }

    @Override
    public List<PendingDelivery> poll(Instant now, int max) {
      long t = System.nanoTime();
      List<PendingDelivery> out = List.of();
      try {
        out = q.poll(now, max);
        return out;
      } finally {
        pollNanos.add(System.nanoTime() - t);
        polls.increment();
        claimed.add(out.size());
        if (out.isEmpty()) {
          emptyPolls.increment();
        }
      }
    }

    @Override
    public Optional<Instant> nextDue() {
      return q.nextDue();
    }

    @Override
    public void acknowledge(PendingDelivery d) {
      long t = System.nanoTime();
      try {
        q.acknowledge(d);
      } finally {
        ackNanos.add(System.nanoTime() - t);
        acks.increment();
      }
    }

    @Override
    public PendingDelivery reschedule(PendingDelivery next) {
      return q.reschedule(next);
    }

    @Override
    public List<PendingDelivery> drain() {
      return q.drain();
    }

    @Override
    public int size() {
      return q.size();
    }

    @Override
    public boolean durable() {
      return q.durable();
    }

    @Override
    public void close() {
      q.close();
    }
  }

  /** One calendar collection whose sync-token is its version. */
  private record OneCalendar(AtomicLong version) implements DavResources {
    @Override
    public Optional<DavResource> resource(String path) {
      if (path.equals(COLLECTION)) {
        return Optional.of(
            new DavResource(COLLECTION, TOPIC, SupportedTriggers.of(Depth.ONE, Depth.ONE), true));
      }
      return Optional.empty(); // members are not push-capable; their parent is
    }

    @Override
    public Optional<String> parent(String path) {
      return path.equals(COLLECTION) ? Optional.empty() : Optional.of(COLLECTION);
    }

    @Override
    public boolean maySubscribe(String principal, String path) {
      return true;
    }

    @Override
    public Optional<String> syncToken(String path) {
      return Optional.of("http://127.0.0.1/sync/" + version.get());
    }
  }

  /**
   * One fresh P-256 public key per registration, as a real fan-out has (a key the engine has not
   * seen before costs a full variable-base multiplication in its ECDH; see {@code
   * dev.davpush.webpush.internal.P256}).
   */
  private static final class Keys {
    final P256PublicKey[] keys;

    Keys(int n) throws Exception {
      keys = new P256PublicKey[n];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = generate();
      }
    }

    P256PublicKey key(int i) {
      return keys[i % keys.length];
    }

    static P256PublicKey one() throws Exception {
      return generate();
    }

    static P256PublicKey generate() throws Exception {
      return UserAgentKeyPair.generate().publicKey();
    }
  }
}
