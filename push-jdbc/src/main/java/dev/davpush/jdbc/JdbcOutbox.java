package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushException;
import dev.davpush.server.Change;
import dev.davpush.server.PublishResult;
import dev.davpush.server.PushEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional outbox: the DAV server stages a change in its own database transaction ({@link
 * #stage}), and a {@link Relay} on some node publishes it to its {@link PushEngine} after the
 * transaction commits. A rolled-back transaction leaves nothing, so nothing is sent; a committed
 * one is fanned out once, by one node.
 *
 * <p>Claims. A relay claims committed changes (table {@code davpush_outbox}, {@code SELECT … FOR
 * UPDATE SKIP LOCKED}) under its queue's node id, publishes each, and deletes the row once the
 * engine reports every message of it (or after {@link #DEFAULT_SETTLE}, when its messages merged
 * into another node's and this engine hears no outcome). If the node dies first, the node that
 * adopts its work ({@link JdbcDeliveryQueue}) releases the claim and the change is fanned out
 * again: at least once; such re-claims are counted ({@link Relay#reclaimed()}) and logged. A stored
 * change that does not decode is moved to {@code davpush_dead_letter} with a WARN line.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class JdbcOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcOutbox.class);

  /** How often an idle relay looks for committed changes. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(100);

  /** How long a relay waits for a change's outcomes before it deletes the row anyway. */
  public static final Duration DEFAULT_SETTLE = Duration.ofMinutes(10);

  /** The most changes one relay fans out at once. */
  public static final int MAX_IN_FLIGHT = 64;

  private final DataSource dataSource;

  /**
   * An outbox on a database with the schema of {@link JdbcSchema}.
   *
   * @param dataSource the database the relays read; {@link #stage} uses the caller's connection
   */
  public JdbcOutbox(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /**
   * Stages a change in the caller's transaction: one insert on {@code connection}, neither
   * committed nor rolled back here. Once the caller commits, a relay fans it out; if the caller
   * rolls back, it never existed.
   *
   * @param connection the application's connection, in its transaction (auto-commit off), on the
   *     database that holds the davpush schema
   * @param change the change
   * @throws DatabaseException if the insert fails (the caller's transaction is then aborted, as
   *     PostgreSQL does after any failed statement)
   */
  public void stage(Connection connection, Change change) {
    requireNonNull(connection, "connection");
    requireNonNull(change, "change");
    try (PreparedStatement ps =
        connection.prepareStatement("INSERT INTO davpush_outbox (change) VALUES (?)")) {
      ps.setString(1, Codec.change(change));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw Sql.failure("stage", e);
    }
  }

  /**
   * Starts a relay that publishes committed changes to an engine, on one daemon thread.
   *
   * @param engine the engine; its delivery queue should be {@code queue}
   * @param queue the node's queue: the relay claims under its node id, so that its claims are
   *     released if the node dies
   * @return the running relay; close it before the engine
   */
  public Relay startRelay(PushEngine engine, JdbcDeliveryQueue queue) {
    return startRelay(engine, queue, DEFAULT_POLL, DEFAULT_SETTLE);
  }

  /**
   * Starts a relay with explicit timing.
   *
   * @param engine the engine
   * @param queue the node's queue
   * @param poll how often an idle relay looks for committed changes; ≥ 1 ms
   * @param settle how long to wait for a change's outcomes before deleting its row anyway
   * @return the running relay
   * @throws IllegalArgumentException if {@code poll} is below 1 ms or {@code settle} not positive
   */
  public Relay startRelay(
      PushEngine engine, JdbcDeliveryQueue queue, Duration poll, Duration settle) {
    requireNonNull(engine, "engine");
    requireNonNull(queue, "queue");
    if (requireNonNull(poll, "poll").toMillis() < 1) {
      throw new IllegalArgumentException("poll: expected at least 1 ms");
    }
    if (requireNonNull(settle, "settle").isNegative() || settle.isZero()) {
      throw new IllegalArgumentException("settle: expected positive");
    }
    Relay r = new Relay(engine, queue.nodeId(), poll, settle);
    r.thread.start();
    return r;
  }

  /**
   * Publishes committed changes to one engine. Close it before the engine and the queue.
   *
   * <p>Thread safety: safe for concurrent use.
   */
  public final class Relay implements AutoCloseable {
    private final PushEngine engine;
    private final String node;
    private final Duration poll;
    private final Duration settle;
    private final Thread thread;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Long> finished = ConcurrentHashMap.newKeySet();
    private final Set<Long> released = ConcurrentHashMap.newKeySet();
    private final LongAdder published = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();
    private final Object wake = new Object();
    private volatile boolean stopping;
    private volatile long lastWarning;
    // after the engine refused a change (overloaded, closing): no new claims before this instant
    private volatile long refusedUntilNanos = System.nanoTime();

    private Relay(PushEngine engine, String node, Duration poll, Duration settle) {
      this.engine = engine;
      this.node = node;
      this.poll = poll;
      this.settle = settle;
      this.thread = new Thread(this::run, "davpush-jdbc-outbox-" + node);
      thread.setDaemon(true);
    }

    /**
     * How many staged changes this relay handed to its engine.
     *
     * @return ≥ 0
     */
    public long published() {
      return published.sum();
    }

    /**
     * How many of those had been claimed before by a node that died: fanned out again, so their
     * messages may arrive twice.
     *
     * @return ≥ 0
     */
    public long reclaimed() {
      return reclaimed.sum();
    }

    private void run() {
      while (!stopping) {
        boolean idle = true;
        try {
          flushEnds();
          int room = MAX_IN_FLIGHT - inFlight.get();
          if (room > 0 && System.nanoTime() - refusedUntilNanos >= 0) {
            idle = claimAndPublish(room) < room;
          }
        } catch (PushException | SQLException e) {
          long now = System.nanoTime();
          if (now - lastWarning > TimeUnit.SECONDS.toNanos(10)) {
            lastWarning = now;
            LOG.warn(
                "outbox relay of node {}: the database failed; retrying: {}",
                node,
                e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() : e.getMessage());
          }
          pause(Math.max(poll.toMillis(), 500));
          continue;
        } catch (RuntimeException e) {
          LOG.warn("outbox relay of node {} failed; retrying: {}", node, e.toString());
        }
        if (idle) {
          pause(poll.toMillis());
        }
      }
    }

    private void pause(long millis) {
      synchronized (wake) {
        try {
          wake.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
    }

    private int claimAndPublish(int room) throws SQLException {
      record Claim(long seq, String change, int claims) {}
      List<Claim> claims = new ArrayList<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE davpush_outbox SET claimed_by = ?, claims = claims + 1 WHERE seq IN"
                      + " (SELECT seq FROM davpush_outbox WHERE claimed_by IS NULL ORDER BY seq"
                      + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING seq, change, claims")) {
        ps.setString(1, node);
        ps.setInt(2, room);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            claims.add(new Claim(rs.getLong(1), rs.getString(2), rs.getInt(3)));
          }
        }
      }
      claims.sort((a, b) -> Long.compare(a.seq, b.seq));
      for (Claim cl : claims) {
        Change change;
        try {
          change = Codec.parseChange(cl.change);
        } catch (IllegalArgumentException e) {
          moveAside(cl.seq, cl.change, e);
          continue;
        }
        if (cl.claims > 1) {
          reclaimed.increment();
          LOG.warn(
              "outbox change (seq {}) is fanned out again: the node that claimed it died; its"
                  + " messages may arrive twice ({} such since start)",
              cl.seq,
              reclaimed.sum());
        }
        publish(cl.seq, change);
      }
      return claims.size();
    }

    private void publish(long seq, Change change) {
      inFlight.incrementAndGet();
      CompletableFuture<PublishResult> f;
      try {
        f = engine.publish(change).toCompletableFuture();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      published.increment();
      CompletableFuture<PublishResult> done = new CompletableFuture<>();
      f.whenComplete(
          (r, e) -> {
            if (e == null) {
              done.complete(r);
            } else {
              done.completeExceptionally(e);
            }
          });
      done.orTimeout(settle.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (r, e) -> {
                Throwable cause =
                    e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (cause == null || cause instanceof java.util.concurrent.TimeoutException) {
                  finished.add(seq); // fanned out (and, usually, every message has an outcome)
                } else {
                  // refused (overloaded, closed) or the fan-out failed: claim again in a second
                  refusedUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                  released.add(seq);
                }
                inFlight.decrementAndGet();
                synchronized (wake) {
                  wake.notifyAll();
                }
              });
    }

    // Records the ends collected since the last round; what fails stays for the next round.
    private void flushEnds() throws SQLException {
      if (finished.isEmpty() && released.isEmpty()) {
        return;
      }
      try (Connection c = dataSource.getConnection()) {
        for (Long seq : List.copyOf(finished)) {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM davpush_outbox WHERE seq = ? AND claimed_by = ?")) {
            ps.setLong(1, seq);
            ps.setString(2, node);
            ps.executeUpdate();
          }
          finished.remove(seq);
        }
        for (Long seq : List.copyOf(released)) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE davpush_outbox SET claimed_by = NULL, claims = claims - 1"
                      + " WHERE seq = ? AND claimed_by = ?")) {
            ps.setLong(1, seq);
            ps.setString(2, node);
            ps.executeUpdate();
          }
          released.remove(seq);
        }
      }
    }

    private void moveAside(long seq, String change, IllegalArgumentException reason)
        throws SQLException {
      try (Connection c = dataSource.getConnection()) {
        JdbcDeliveryQueue.inTransaction(
            c,
            () -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO davpush_dead_letter (source, reason, payload)"
                          + " VALUES ('davpush_outbox', ?, ?)")) {
                ps.setString(1, JdbcDeliveryQueue.reasonOf(reason));
                ps.setString(2, change);
                ps.executeUpdate();
              }
              try (PreparedStatement ps =
                  c.prepareStatement("DELETE FROM davpush_outbox WHERE seq = ?")) {
                ps.setLong(1, seq);
                ps.executeUpdate();
              }
              return true;
            });
      }
      LOG.warn(
          "an outbox change (seq {}) does not decode; moved to davpush_dead_letter, not retried:"
              + " {}",
          seq,
          JdbcDeliveryQueue.reasonOf(reason));
    }

    /**
     * Stops claiming, waits up to five seconds for the thread, and records what ended. Changes
     * still being fanned out stay claimed by this node: the node that adopts its work releases
     * them. Idempotent.
     */
    @Override
    public void close() {
      stopping = true;
      synchronized (wake) {
        wake.notifyAll();
      }
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        flushEnds();
      } catch (SQLException | RuntimeException e) {
        LOG.warn("outbox relay of node {}: recording the last ends failed", node);
      }
    }
  }
}
