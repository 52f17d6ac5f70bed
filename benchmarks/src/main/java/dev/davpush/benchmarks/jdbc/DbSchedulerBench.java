package dev.davpush.benchmarks.jdbc;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.davpush.AuthSecret;
import dev.davpush.P256PublicKey;
import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.Topic;
import dev.davpush.WebPushSubscription;
import dev.davpush.jdbc.JdbcDataSources;
import dev.davpush.jdbc.JdbcDeliveryQueue;
import dev.davpush.jdbc.JdbcSchema;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.PushDelivery;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushMessageWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * db-scheduler (the library issue 11 proposed for claiming and scheduling) against {@link
 * JdbcDeliveryQueue}, on the same embedded PostgreSQL in the same run.
 *
 * <p>Throughput: N pending deliveries (the engine's {@link PendingDelivery}, in its stable text
 * form) are scheduled one at a time, as the engine offers them, and executed. With db-scheduler:
 * one one-time task instance per delivery (instance id = the coalescing key, data = the text form),
 * executed by its own polling and executor ({@code pollUsingLockAndFetch}, i.e. {@code SKIP
 * LOCKED}; 24 threads). With our queue: {@code offer} each, then a loop that polls batches and
 * hands each delivery to 24 threads, which acknowledge it. Each execution does the same work: parse
 * the text form and either nothing (the ceiling: what the queue itself costs) or a real Web Push
 * send (RFC 8291 encryption, VAPID) to a loopback push service, waiting for its 201. The time runs
 * from the first schedule/offer to the last execution's end.
 *
 * <p>Coalescing: a burst of B deliveries over 10 push resources and topics. Our queue merges each
 * into the one waiting row per key (the newest message wins). db-scheduler's {@code
 * scheduleIfNotExists} keeps the first instance and drops the rest (their newer messages are lost);
 * to merge instead, each refused one needs {@code getScheduledExecution} and {@code reschedule}
 * with new data (two more statements, and a pick may come between them). All three are timed and
 * the rows counted.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.davpush.benchmarks.jdbc.DbSchedulerBench [--deliveries 10000] [--runs 3] [--burst 2000]
 * [--synchronous-commit on|off] [--fsync on|off]}.
 */
public final class DbSchedulerBench {
  private static final int THREADS = 24;
  private static final String TASK = "davpush-delivery";

  private DbSchedulerBench() {}

  public static void main(String[] args) throws Exception {
    int n = 10_000;
    int runs = 3;
    int burst = 2_000;
    boolean synchronousCommit = true;
    boolean fsync = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--deliveries" -> n = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--burst" -> burst = Integer.parseInt(args[++i]);
        case "--synchronous-commit" -> synchronousCommit = "on".equals(args[++i]);
        case "--fsync" -> fsync = "on".equals(args[++i]);
        default -> {
          System.err.println(
              "usage: DbSchedulerBench [--deliveries N] [--runs N] [--burst N]"
                  + " [--synchronous-commit on|off] [--fsync on|off]");
          System.exit(2);
        }
      }
    }
    try (EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", fsync ? "on" : "off") // zonky's default is off
                .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                .start();
        HikariDataSource ds =
            JdbcDataSources.pooled(
                "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "", 32);
        Sender sender = new Sender(n)) {
      System.out.printf(
          "DbSchedulerBench: %d deliveries, %d runs, burst %d, %d threads, %d cores,"
              + " fsync=%s, synchronous_commit=%s%n",
          n,
          runs,
          burst,
          THREADS,
          Runtime.getRuntime().availableProcessors(),
          fsync ? "on" : "off",
          synchronousCommit ? "on" : "off");
      JdbcSchema.create(ds);
      createDbSchedulerTable(ds);
      List<PendingDelivery> deliveries = deliveries(n, sender);

      for (boolean send : new boolean[] {false, true}) {
        Consumer<PendingDelivery> work = send ? sender::send : d -> {};
        for (boolean batch : new boolean[] {false, true}) {
          String what =
              (send ? "Web Push send to loopback" : "no-op (ceiling)")
                  + (batch
                      ? ", scheduled in one batch (offerAll / scheduleBatch)"
                      : ", scheduled one at a time (offer / schedule)");
          // warm-up of both
          ours(ds, deliveries.subList(0, n / 5), work, batch);
          theirs(ds, deliveries.subList(0, n / 5), work, batch);
          List<Double> us = new ArrayList<>();
          List<Double> them = new ArrayList<>();
          for (int run = 0; run < runs; run++) {
            double a = ours(ds, deliveries, work, batch);
            double b = theirs(ds, deliveries, work, batch);
            us.add(a);
            them.add(b);
            System.out.printf(
                "  %s, run %d: JdbcDeliveryQueue %.0f/s, db-scheduler %.0f/s%n",
                what, run + 1, a, b);
          }
          System.out.printf(
              "%s: JdbcDeliveryQueue best %.0f/s, median %.0f/s; db-scheduler best %.0f/s,"
                  + " median %.0f/s (%d deliveries, %d runs)%n",
              what, max(us), JdbcBench.median(us), max(them), JdbcBench.median(them), n, runs);
        }
      }
      coalescing(ds, burst, sender);
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------- ours

  // offers each (one at a time), then polls and executes on THREADS threads; deliveries/s
  private static double ours(
      HikariDataSource ds,
      List<PendingDelivery> deliveries,
      Consumer<PendingDelivery> work,
      boolean batch)
      throws Exception {
    clear(ds);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch done = new CountDownLatch(deliveries.size());
    try (JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(ds).idlePoll(null).build()) {
      long t0 = System.nanoTime();
      if (batch) {
        q.offerAll(deliveries);
      } else {
        for (PendingDelivery d : deliveries) {
          q.offer(d);
        }
      }
      AtomicInteger inFlight = new AtomicInteger();
      while (done.getCount() > 0) {
        int room = 256 - inFlight.get();
        List<PendingDelivery> claimed = room > 0 ? q.poll(Instant.now(), room) : List.of();
        if (claimed.isEmpty()) {
          Thread.sleep(1);
          continue;
        }
        for (PendingDelivery d : claimed) {
          inFlight.incrementAndGet();
          pool.execute(
              () -> {
                try {
                  work.accept(d); // poll parsed its text form
                  q.acknowledge(d);
                } finally {
                  inFlight.decrementAndGet();
                  done.countDown();
                }
              });
        }
      }
      done.await(10, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - t0) / 1e9;
      if (q.size() != 0) {
        throw new IllegalStateException("our queue kept " + q.size() + " rows");
      }
      return deliveries.size() / secs;
    } finally {
      pool.shutdown();
    }
  }

  // ---------------------------------------------------------------- theirs

  // schedules one task instance per delivery (one at a time), executed by db-scheduler
  private static double theirs(
      HikariDataSource ds,
      List<PendingDelivery> deliveries,
      Consumer<PendingDelivery> work,
      boolean batch)
      throws Exception {
    clear(ds);
    CountDownLatch done = new CountDownLatch(deliveries.size());
    OneTimeTask<String> task =
        Tasks.oneTime(TASK, String.class)
            .execute(
                (instance, ctx) -> {
                  try {
                    work.accept(PendingDelivery.parse(instance.getData()));
                  } finally {
                    done.countDown();
                  }
                });
    Scheduler scheduler =
        Scheduler.create(ds, task)
            .threads(THREADS)
            .pollingInterval(Duration.ofMillis(100))
            .pollUsingLockAndFetch(0.5, 1.0)
            .heartbeatInterval(Duration.ofSeconds(2))
            .enableImmediateExecution()
            .build();
    scheduler.start();
    try {
      long t0 = System.nanoTime();
      if (batch) {
        List<SchedulableInstance<?>> all = new ArrayList<>(deliveries.size());
        for (PendingDelivery d : deliveries) {
          all.add(
              SchedulableInstance.of(
                  task.instance(d.coalescingKey(), d.serialize()), d.notBefore()));
        }
        scheduler.scheduleBatch(all);
      } else {
        for (PendingDelivery d : deliveries) {
          scheduler.schedule(task.instance(d.coalescingKey(), d.serialize()), d.notBefore());
        }
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("db-scheduler did not finish");
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      long left = 0;
      for (int i = 0; i < 100 && (left = rows(ds, "scheduled_tasks")) > 0; i++) {
        Thread.sleep(20); // the last completions are written after the handler returns
      }
      if (left != 0) {
        throw new IllegalStateException("db-scheduler kept " + left + " rows");
      }
      return deliveries.size() / secs;
    } finally {
      scheduler.stop();
    }
  }

  // ---------------------------------------------------------------- coalescing

  private static void coalescing(HikariDataSource ds, int burst, Sender sender) throws Exception {
    List<PendingDelivery> ds10 = new ArrayList<>();
    Instant later = Instant.now().plusSeconds(3600); // nothing becomes due during the burst
    for (int i = 0; i < burst; i++) {
      ds10.add(
          delivery(i % 10, sender, i).toBuilder().notBefore(later).idempotencyKey("b" + i).build());
    }
    clear(ds);
    long t0 = System.nanoTime();
    try (JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(ds).idlePoll(null).build()) {
      for (PendingDelivery d : ds10) {
        q.offer(d);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "coalescing, JdbcDeliveryQueue.offer (merge): %d offers over 10 keys in %.2f s ="
              + " %.0f/s, %d rows%n",
          burst, secs, burst / secs, rows(ds, "davpush_delivery"));
    }
    OneTimeTask<String> task = Tasks.oneTime(TASK, String.class).execute((inst, ctx) -> {});
    Scheduler scheduler =
        Scheduler.create(ds, task).threads(THREADS).pollUsingLockAndFetch(0.5, 1.0).build();
    scheduler.start();
    try {
      for (boolean merge : new boolean[] {false, true}) {
        clear(ds);
        int refused = 0;
        t0 = System.nanoTime();
        for (PendingDelivery d : ds10) {
          var instance = task.instance(d.coalescingKey(), d.serialize());
          if (!scheduler.scheduleIfNotExists(instance, d.notBefore())) {
            refused++;
            if (merge) {
              var waiting =
                  scheduler.getScheduledExecution(TaskInstanceId.of(TASK, d.coalescingKey()));
              String merged =
                  waiting.isPresent()
                      ? PendingDelivery.parse((String) waiting.get().getData())
                          .mergedWith(d)
                          .serialize()
                      : d.serialize();
              scheduler.reschedule(
                  TaskInstanceId.of(TASK, d.coalescingKey()), d.notBefore(), merged);
            }
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "coalescing, db-scheduler scheduleIfNotExists%s: %d schedules over 10 keys in %.2f s"
                + " = %.0f/s, %d rows, %d refused%s%n",
            merge ? " + getScheduledExecution + reschedule (merge)" : " (first wins)",
            burst,
            secs,
            burst / secs,
            rows(ds, "scheduled_tasks"),
            refused,
            merge ? "" : " (their newer messages dropped)");
      }
    } finally {
      scheduler.stop();
    }
  }

  // ---------------------------------------------------------------- setup

  private static List<PendingDelivery> deliveries(int n, Sender sender) {
    List<PendingDelivery> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(delivery(i, sender, i));
    }
    return out;
  }

  private static PendingDelivery delivery(int target, Sender sender, int i) {
    Instant now = Instant.now();
    return PendingDelivery.builder()
        .registrationId("reg-" + target)
        .subscriptionId(sender.url(target))
        .message(
            PushMessage.contentUpdate(Topic.of("db-scheduler-bench"), "http://127.0.0.1/sync/" + i))
        .notBefore(now.minusSeconds(1))
        .deadline(now.plus(Duration.ofHours(1)))
        .idempotencyKey("k" + i)
        .build();
  }

  private static void createDbSchedulerTable(HikariDataSource ds) throws Exception {
    // the PostgreSQL table of db-scheduler's documentation (16.x)
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
              + " task_data BYTEA, execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL,"
              + " picked_by TEXT, last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ,"
              + " consecutive_failures INT, last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL,"
              + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks"
              + " (priority DESC, execution_time ASC)");
    }
  }

  private static void clear(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE scheduled_tasks, davpush_delivery, davpush_node");
      s.execute("VACUUM ANALYZE scheduled_tasks");
      s.execute("VACUUM ANALYZE davpush_delivery");
    }
  }

  private static long rows(HikariDataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(d -> d).max().orElse(0);
  }

  /**
   * The send both queues execute: the delivery's message, encrypted for a subscription of the
   * loopback push service (one of 64 real P-256 keys), POSTed with VAPID, waiting for the answer.
   */
  private static final class Sender implements AutoCloseable {
    final LoopbackReceiver receiver = new LoopbackReceiver();
    final WebPushTransport transport;
    final P256PublicKey[] keys = new P256PublicKey[64];
    final AuthSecret secret = AuthSecret.random();

    Sender(int n) throws Exception {
      transport =
          WebPushTransport.builder()
              .vapidKeyPair(VapidKeyPair.generate())
              .subject("mailto:bench@127.0.0.1")
              .pushResourcePolicy(
                  PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
              .build();
      for (int i = 0; i < keys.length; i++) {
        keys[i] = generate();
      }
    }

    String url(int i) {
      return receiver.url(i);
    }

    void send(PendingDelivery d) {
      int i = Integer.parseInt(d.registrationId().substring("reg-".length()));
      WebPushSubscription s =
          WebPushSubscription.of(PushResource.parse(d.subscriptionId()), keys[i % 64], secret);
      byte[] payload = PushMessageWriter.encoder().encode(d.message());
      DeliveryResult r =
          transport
              .send(PushDelivery.builder(s, payload).ttl(Duration.ofMinutes(5)).build())
              .toCompletableFuture()
              .join();
      if (r == null) {
        throw new IllegalStateException("no result");
      }
    }

    @Override
    public void close() {
      transport.close();
      receiver.close();
    }

    private static P256PublicKey generate() throws Exception {
      return UserAgentKeyPair.generate().publicKey();
    }
  }
}
