package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushException;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link DeliveryQueue} in PostgreSQL, shared by every node (JVM) on the same database:
 * pending deliveries survive restarts, and a node that dies leaves its work to the others.
 *
 * <p>Rows. Each pending delivery is one row of {@code davpush_delivery} holding its stable text
 * form ({@link PendingDelivery#serialize()}), its not-before instant, attempt and idempotency key.
 * A unique partial index keeps at most one <em>waiting</em> row per coalescing key (push resource
 * and topic, hashed with SHA-256): {@link #offer} merges into it in one transaction, whichever node
 * offered it (R-WDP-43). Retries ({@link #reschedule}) are rows with a later not-before, so a
 * {@code Retry-After} survives a restart.
 *
 * <p>Nodes. Every row belongs to one node (the one that offered it): {@link #poll} claims only this
 * node's due rows ({@code SELECT … FOR UPDATE SKIP LOCKED}), so the engine that fanned a change out
 * sends it and sees its outcomes. Each queue is a node with a random id (or {@link
 * Builder#nodeId}); a heartbeat thread extends its {@code davpush_node} row every {@link
 * Builder#heartbeat} and adopts the rows of nodes whose heartbeat lapsed ({@link Builder#lapse}):
 * their waiting rows, and their claimed rows made waiting again. A claimed row may have been sent
 * by the dead node already, so each adopted claimed row is counted ({@link #recovered()}) and
 * logged as a possible duplicate; it keeps its idempotency key. Nothing is lost: at least once.
 *
 * <p>Waking the engine. The engine polls when it has work, when {@link #nextDue()} says, and when
 * this queue calls its wake-up hook ({@link #onWork}): the heartbeat calls it right after it
 * adopted a dead node's rows. Rows offered by an application on another node are noticed because
 * {@code nextDue()} never lies further ahead than {@link Builder#idlePoll} (default one second),
 * even when nothing waits. Set it to null for the strict SPI reading (empty when nothing waits):
 * adopted rows still wake the engine.
 *
 * <p>Faults. A database failure throws {@link DatabaseException} and changes nothing. {@link
 * #offer} and {@link #reschedule} retry a failed connection for up to {@link
 * Builder#outageTolerance} (default 30 s) before failing, so a database that goes away briefly
 * loses nothing. {@link #acknowledge} does not retry: a row this node claimed and whose end could
 * not be recorded goes back to waiting at the next heartbeat, and is sent again (at least once). A
 * row whose payload does not decode is moved to {@code davpush_dead_letter} with a WARN line (never
 * its content), never retried.
 *
 * <p>Logging: WARN for adopted work, dead letters and heartbeat failures; never a push resource, a
 * payload or a key.
 *
 * <p>Thread safety: safe for concurrent use. {@link #close()} stops the heartbeat and hands this
 * node's rows to the others (they adopt them at once).
 */
public final class JdbcDeliveryQueue implements DeliveryQueue {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcDeliveryQueue.class);

  /** The default heartbeat period. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);

  /** The default time after the last heartbeat at which a node counts as dead. */
  public static final Duration DEFAULT_LAPSE = Duration.ofSeconds(10);

  /** The default longest gap between two polls of an idle engine. */
  public static final Duration DEFAULT_IDLE_POLL = Duration.ofSeconds(1);

  /** The default time a write retries a failed connection. */
  public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofSeconds(30);

  private static final String DELIVERY_COLUMNS =
      "coalescing_hash, idempotency_key, state, node, not_before_s, not_before_ns, attempt, payload";

  private final DataSource dataSource;
  private final String nodeId;
  private final Duration heartbeat;
  private final Duration lapse;
  private final @Nullable Duration idlePoll;
  private final Duration outageTolerance;
  private final int capacity;
  private final Clock clock;
  private final ScheduledExecutorService beat;
  private final Set<String> claimedHere = ConcurrentHashMap.newKeySet();
  // Polls hold it shared from their claim until their keys are in claimedHere; the release of
  // stale claims holds it exclusively, so it never takes a row a poll has just claimed.
  private final ReentrantReadWriteLock claimGuard = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder recovered = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private volatile long lastBeatWarning;
  private volatile Runnable wake = () -> {};

  private JdbcDeliveryQueue(Builder b) {
    this.dataSource = b.dataSource;
    this.nodeId = b.nodeId != null ? b.nodeId : randomNodeId();
    this.heartbeat = b.heartbeat;
    this.lapse = b.lapse;
    this.idlePoll = b.idlePoll;
    this.outageTolerance = b.outageTolerance;
    this.capacity = b.capacity;
    this.clock = b.clock;
    beatOnce(); // registers the node; fails fast if the schema is missing
    releaseStaleClaims(); // a previous life of a fixed node id
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "davpush-jdbc-heartbeat-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    long period = heartbeat.toMillis();
    beat.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * A builder.
   *
   * @param dataSource the database, with the schema of {@link JdbcSchema}; a pooled one
   * @return a builder with the defaults
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
  }

  /**
   * This node's id, in {@code davpush_node}.
   *
   * @return the id
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * How many claimed deliveries this node took back from dead nodes since it started: each may have
   * been sent twice (with the same idempotency key).
   *
   * @return ≥ 0
   */
  public long recovered() {
    return recovered.sum();
  }

  /**
   * How many rows this node moved to {@code davpush_dead_letter} since it started.
   *
   * @return ≥ 0
   */
  public long deadLettered() {
    return deadLettered.sum();
  }

  @Override
  public boolean durable() {
    return true;
  }

  // ---------------------------------------------------------------- offer

  /**
   * {@inheritDoc}
   *
   * @throws DatabaseException if the database stays unreachable for {@link
   *     Builder#outageTolerance}, or refuses
   */
  @Override
  public PendingDelivery offer(PendingDelivery delivery) {
    requireNonNull(delivery, "delivery");
    String hash = Codec.sha256Hex(delivery.coalescingKey());
    return retrying(
        "offer",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            // the common case, a key with no waiting row: one statement, no transaction
            if (capacity == Integer.MAX_VALUE && c.getAutoCommit() && insert(c, delivery, hash)) {
              return delivery;
            }
            return inTransaction(c, () -> offerIn(c, delivery, hash));
          }
        });
  }

  private PendingDelivery offerIn(Connection c, PendingDelivery d, String hash)
      throws SQLException {
    for (int round = 0; round < 16; round++) {
      Waiting w = lockWaiting(c, hash);
      if (w != null) {
        PendingDelivery merged = w.delivery.mergedWith(d);
        if (d.notBefore().isBefore(merged.notBefore())) {
          merged = merged.toBuilder().notBefore(d.notBefore()).build(); // due earlier
        }
        update(c, w.seq, merged);
        return merged;
      }
      if (capacity != Integer.MAX_VALUE && count(c) >= capacity) {
        throw new DeliveryQueueFullException(capacity);
      }
      if (insert(c, d, hash)) {
        return d;
      }
      // another node inserted a waiting row for this key meanwhile: merge into it
    }
    throw new PushException("offer: the waiting row kept changing; try again");
  }

  // ---------------------------------------------------------------- poll

  @Override
  public List<PendingDelivery> poll(Instant now, int max) {
    requireNonNull(now, "now");
    if (max < 1) {
      throw new IllegalArgumentException("max: expected >= 1, got " + max);
    }
    String sql =
        "UPDATE davpush_delivery SET state = 'C' WHERE seq IN (SELECT seq FROM davpush_delivery"
            + " WHERE state = 'W' AND node = ? AND (not_before_s, not_before_ns) <= (?, ?)"
            + " ORDER BY not_before_s, not_before_ns, seq LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING seq, not_before_s, not_before_ns, payload";
    claimGuard.readLock().lock();
    try {
      List<Row> rows = new ArrayList<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, nodeId);
        ps.setLong(2, Sql.seconds(now));
        ps.setInt(3, Sql.nanos(now));
        ps.setInt(4, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
          }
        }
      } catch (SQLException e) {
        throw Sql.failure("poll", e);
      }
      rows.sort(
          Comparator.comparingLong(Row::s).thenComparingInt(Row::ns).thenComparingLong(Row::seq));
      List<PendingDelivery> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        PendingDelivery d = decodeOrMoveAside(r.seq, r.payload);
        if (d != null) {
          claimedHere.add(d.idempotencyKey());
          out.add(d);
        }
      }
      return out;
    } finally {
      claimGuard.readLock().unlock();
    }
  }

  private record Row(long seq, long s, int ns, String payload) {}

  // ---------------------------------------------------------------- nextDue, size, drain

  /**
   * {@inheritDoc}
   *
   * <p>Never later than now plus {@link Builder#idlePoll} unless that is null (see the class
   * comment): the engine then polls often enough to notice work adopted from a dead node.
   */
  @Override
  public Optional<Instant> nextDue() {
    Optional<Instant> due;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT not_before_s, not_before_ns FROM davpush_delivery WHERE state = 'W' AND"
                    + " node = ? ORDER BY not_before_s, not_before_ns, seq LIMIT 1")) {
      ps.setString(1, nodeId);
      try (ResultSet rs = ps.executeQuery()) {
        due = rs.next() ? Optional.of(Sql.instant(rs.getLong(1), rs.getInt(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Sql.failure("nextDue", e);
    }
    if (idlePoll == null || closed.get()) {
      return due;
    }
    Instant cap = clock.instant().plus(idlePoll);
    return Optional.of(due.isPresent() && due.get().isBefore(cap) ? due.get() : cap);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counts every node's rows: the shared backlog.
   */
  @Override
  public int size() {
    try (Connection c = dataSource.getConnection()) {
      return count(c);
    } catch (SQLException e) {
      throw Sql.failure("size", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>This node's waiting rows only. The engine does not call it for a durable queue; it is there
   * for an application that retires a node's work by hand.
   */
  @Override
  public List<PendingDelivery> drain() {
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM davpush_delivery WHERE state = 'W' AND node = ?"
                    + " RETURNING seq, not_before_s, not_before_ns, payload")) {
      ps.setString(1, nodeId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
        }
      }
    } catch (SQLException e) {
      throw Sql.failure("drain", e);
    }
    List<PendingDelivery> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      try {
        out.add(PendingDelivery.parse(r.payload));
      } catch (IllegalArgumentException e) {
        deadLetter(r.seq, r.payload, e, false);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- acknowledge, reschedule

  @Override
  public void acknowledge(PendingDelivery delivery) {
    requireNonNull(delivery, "delivery");
    String key = delivery.idempotencyKey();
    try {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM davpush_delivery WHERE idempotency_key = ? AND state = 'C'")) {
        ps.setString(1, key);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw Sql.failure("acknowledge", e);
      }
    } finally {
      // once the engine is done with it, a row left claimed here (the delete failed) goes back to
      // waiting at the next heartbeat: sent again rather than lost. No retry here: the engine also
      // ends a delivery it could not prepare because the database was away, and that one must not
      // be deleted once the database returns.
      claimedHere.remove(key);
    }
  }

  @Override
  public PendingDelivery reschedule(PendingDelivery next) {
    requireNonNull(next, "next");
    String hash = Codec.sha256Hex(next.coalescingKey());
    try {
      return retrying(
          "reschedule",
          () -> {
            try (Connection c = dataSource.getConnection()) {
              return inTransaction(
                  c,
                  () -> {
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "DELETE FROM davpush_delivery WHERE idempotency_key = ? AND"
                                + " state = 'C'")) {
                      ps.setString(1, next.idempotencyKey());
                      ps.executeUpdate();
                    }
                    return rescheduleIn(c, next, hash, nodeId);
                  });
            }
          });
    } finally {
      claimedHere.remove(next.idempotencyKey());
    }
  }

  // The reschedule rule of the SPI: merge into a waiting row (the newer message, its key; the
  // later not-before and the higher attempt) or wait under the key as a new row.
  private PendingDelivery rescheduleIn(Connection c, PendingDelivery next, String hash, String node)
      throws SQLException {
    for (int round = 0; round < 16; round++) {
      Waiting w = lockWaiting(c, hash);
      if (w != null) {
        PendingDelivery merged = mergeRetry(next, w.delivery);
        update(c, w.seq, merged);
        return merged;
      }
      if (insertFor(c, next, hash, node, 0)) {
        return next;
      }
    }
    throw new PushException("reschedule: the waiting row kept changing; try again");
  }

  private static PendingDelivery mergeRetry(PendingDelivery next, PendingDelivery waiting) {
    return next.mergedWith(waiting).toBuilder()
        .idempotencyKey(waiting.idempotencyKey())
        .attempt(Math.max(next.attempt(), waiting.attempt()))
        .notBefore(
            next.notBefore().isAfter(waiting.notBefore()) ? next.notBefore() : waiting.notBefore())
        .build();
  }

  // ---------------------------------------------------------------- rows

  private record Waiting(long seq, PendingDelivery delivery) {}

  private @Nullable Waiting lockWaiting(Connection c, String hash) throws SQLException {
    while (true) {
      long seq;
      String payload;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT seq, payload FROM davpush_delivery WHERE coalescing_hash = ? AND state = 'W'"
                  + " FOR UPDATE")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          seq = rs.getLong(1);
          payload = rs.getString(2);
        }
      }
      try {
        return new Waiting(seq, PendingDelivery.parse(payload));
      } catch (IllegalArgumentException e) {
        moveAside(c, seq, payload, e); // then look again: there is none now
      }
    }
  }

  private void update(Connection c, long seq, PendingDelivery d) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE davpush_delivery SET idempotency_key = ?, not_before_s = ?, not_before_ns = ?,"
                + " attempt = ?, payload = ? WHERE seq = ?")) {
      ps.setString(1, d.idempotencyKey());
      ps.setLong(2, Sql.seconds(d.notBefore()));
      ps.setInt(3, Sql.nanos(d.notBefore()));
      ps.setInt(4, d.attempt());
      ps.setString(5, d.serialize());
      ps.setLong(6, seq);
      ps.executeUpdate();
    }
  }

  private boolean insert(Connection c, PendingDelivery d, String hash) throws SQLException {
    return insertFor(c, d, hash, nodeId, 0);
  }

  private static boolean insertFor(
      Connection c, PendingDelivery d, String hash, String node, int recovered)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO davpush_delivery ("
                + DELIVERY_COLUMNS
                + ", recovered) VALUES (?, ?, 'W', ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (coalescing_hash) WHERE state = 'W' DO NOTHING")) {
      ps.setString(1, hash);
      ps.setString(2, d.idempotencyKey());
      ps.setString(3, node);
      ps.setLong(4, Sql.seconds(d.notBefore()));
      ps.setInt(5, Sql.nanos(d.notBefore()));
      ps.setInt(6, d.attempt());
      ps.setString(7, d.serialize());
      ps.setInt(8, recovered);
      return ps.executeUpdate() == 1;
    }
  }

  private static int count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM davpush_delivery");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private @Nullable PendingDelivery decodeOrMoveAside(long seq, String payload) {
    try {
      return PendingDelivery.parse(payload);
    } catch (IllegalArgumentException e) {
      deadLetter(seq, payload, e, true);
      return null;
    }
  }

  // Moves one row to the dead letters in its own transaction; a failure leaves the row for the
  // next attempt (it is not claimable as waiting again unless the node dies: logged either way).
  private void deadLetter(long seq, String payload, IllegalArgumentException reason, boolean del) {
    try (Connection c = dataSource.getConnection()) {
      inTransaction(
          c,
          () -> {
            if (del) {
              moveAside(c, seq, payload, reason);
            } else {
              insertDeadLetter(c, payload, reason);
              deadLettered.increment();
              warnDeadLetter(seq, reason);
            }
            return true;
          });
    } catch (SQLException e) {
      LOG.warn(
          "a delivery row (seq {}) does not decode and could not be moved aside: SQLSTATE {}",
          seq,
          e.getSQLState());
    }
  }

  private void moveAside(Connection c, long seq, String payload, IllegalArgumentException reason)
      throws SQLException {
    insertDeadLetter(c, payload, reason);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM davpush_delivery WHERE seq = ?")) {
      ps.setLong(1, seq);
      ps.executeUpdate();
    }
    deadLettered.increment();
    warnDeadLetter(seq, reason);
  }

  private static void insertDeadLetter(Connection c, String payload, Exception reason)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO davpush_dead_letter (source, reason, payload) VALUES (?, ?, ?)")) {
      ps.setString(1, "davpush_delivery");
      ps.setString(2, reasonOf(reason));
      ps.setString(3, payload);
      ps.executeUpdate();
    }
  }

  static String reasonOf(Exception e) {
    String m = e.getMessage();
    // PendingDelivery.parse names lines and parts, never values
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static void warnDeadLetter(long seq, Exception reason) {
    LOG.warn(
        "a delivery row (seq {}) does not decode; moved to davpush_dead_letter, not retried: {}",
        seq,
        reasonOf(reason));
  }

  // ---------------------------------------------------------------- nodes

  private void tick() {
    if (closed.get()) {
      return;
    }
    try {
      beatOnce();
      releaseStaleClaims();
      adoptFromDeadNodes();
    } catch (PushException | SQLException e) {
      long now = System.nanoTime();
      if (now - lastBeatWarning > TimeUnit.SECONDS.toNanos(10)) {
        lastBeatWarning = now;
        LOG.warn(
            "heartbeat of node {} failed; retrying every {}: {}",
            nodeId,
            heartbeat,
            e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() : e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat of node {} failed: {}", nodeId, e.toString());
    }
  }

  private void beatOnce() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO davpush_node (node_id, alive_until) VALUES (?, now() + ? * interval"
                    + " '1 millisecond') ON CONFLICT (node_id) DO UPDATE SET alive_until ="
                    + " EXCLUDED.alive_until")) {
      ps.setString(1, nodeId);
      ps.setLong(2, lapse.toMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw Sql.failure("heartbeat", e);
    }
  }

  // Rows this node claimed that the engine no longer holds (their end could not be recorded, or a
  // previous life of this node id claimed them): waiting again, adopted by this node.
  private void releaseStaleClaims() {
    releaseStaleClaims("claimed by this node without a recorded end");
  }

  private void releaseStaleClaims(String why) {
    claimGuard.writeLock().lock();
    try {
      try (Connection c = dataSource.getConnection()) {
        inTransaction(
            c,
            () -> {
              List<Claimed> stale = new ArrayList<>();
              for (Claimed r : lockClaimed(c, nodeId)) {
                if (!claimedHere.contains(r.key)) {
                  stale.add(r);
                }
              }
              int n = requeue(c, stale);
              if (n > 0) {
                recovered.add(n);
                LOG.warn(
                    "{} delivery(ies) {} wait again; each may be sent twice (same idempotency key)",
                    n,
                    why);
              }
              return true;
            });
      } catch (SQLException e) {
        throw Sql.failure("releasing stale claims", e);
      }
    } finally {
      claimGuard.writeLock().unlock();
    }
  }

  /**
   * Keeps the engine's wake-up hook; the heartbeat calls it after it adopted a dead node's rows
   * (after the commit). A second call replaces the first hook.
   *
   * @param wake makes the engine poll soon
   */
  @Override
  public void onWork(Runnable wake) {
    this.wake = requireNonNull(wake, "wake");
  }

  private void adoptFromDeadNodes() throws SQLException {
    int[] adopted = {0};
    try (Connection c = dataSource.getConnection()) {
      inTransaction(
          c,
          () -> {
            List<String> dead = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT node_id FROM davpush_node WHERE alive_until < now() AND node_id <> ?"
                        + " FOR UPDATE SKIP LOCKED")) {
              ps.setString(1, nodeId);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  dead.add(rs.getString(1));
                }
              }
            }
            for (String node : dead) {
              adopted[0] += adopt(c, node);
            }
            return true;
          });
    }
    if (adopted[0] > 0) {
      try {
        wake.run(); // committed: the engine's poll sees the adopted rows
      } catch (RuntimeException e) {
        LOG.warn("waking the engine after an adoption failed: {}", e.toString());
      }
    }
  }

  /** Adopts a dead node's rows; returns how many deliveries now wait here. */
  private int adopt(Connection c, String dead) throws SQLException {
    int claimed = requeue(c, lockClaimed(c, dead));
    int waiting;
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE davpush_delivery SET node = ? WHERE node = ? AND state = 'W'")) {
      ps.setString(1, nodeId);
      ps.setString(2, dead);
      waiting = ps.executeUpdate();
    }
    int changes;
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE davpush_outbox SET claimed_by = NULL WHERE claimed_by = ?")) {
      ps.setString(1, dead);
      changes = ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM davpush_node WHERE node_id = ?")) {
      ps.setString(1, dead);
      ps.executeUpdate();
    }
    recovered.add(claimed);
    if (claimed + waiting + changes > 0) {
      LOG.warn(
          "node {} stopped beating; node {} adopted {} waiting and {} claimed delivery(ies) (each"
              + " claimed one may be sent twice, same idempotency key; {} since start) and"
              + " released {} outbox change(s) it was fanning out",
          dead,
          nodeId,
          waiting,
          claimed,
          recovered.sum(),
          changes);
    }
    return claimed + waiting;
  }

  private record Claimed(long seq, String key, String hash, String payload) {}

  private static List<Claimed> lockClaimed(Connection c, String node) throws SQLException {
    List<Claimed> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, idempotency_key, coalescing_hash, payload FROM davpush_delivery"
                + " WHERE node = ? AND state = 'C' FOR UPDATE")) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  // Claimed rows made waiting (this node's), merged into a waiting row of the same key if any.
  private int requeue(Connection c, List<Claimed> rows) throws SQLException {
    int n = 0;
    for (Claimed r : rows) {
      PendingDelivery d;
      try {
        d = PendingDelivery.parse(r.payload);
      } catch (IllegalArgumentException e) {
        moveAside(c, r.seq, r.payload, e);
        continue;
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM davpush_delivery WHERE seq = ?")) {
        ps.setLong(1, r.seq);
        ps.executeUpdate();
      }
      Waiting w = lockWaiting(c, r.hash);
      if (w != null) {
        update(c, w.seq, mergeRetry(d, w.delivery));
      } else if (!insertFor(c, d, r.hash, nodeId, 1)) {
        Waiting again = lockWaiting(c, r.hash);
        if (again != null) {
          update(c, again.seq, mergeRetry(d, again.delivery));
        }
      }
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- close

  /**
   * Stops the heartbeat and hands this node's rows to the others: claimed rows wait again (the
   * engine handed back what it had in flight; a push service may have accepted some: at least
   * once), and this node is marked dead so that a live node adopts its rows at its next heartbeat.
   * Idempotent; failures are logged, not thrown (the rows are adopted once the heartbeat lapses
   * anyway).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    beat.shutdownNow();
    claimedHere.clear();
    try {
      releaseStaleClaims("still claimed when node " + nodeId + " closed");
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE davpush_node SET alive_until = now() - interval '1 second'"
                      + " WHERE node_id = ?")) {
        ps.setString(1, nodeId);
        ps.executeUpdate();
      }
    } catch (PushException | SQLException e) {
      LOG.warn(
          "closing node {}: its rows could not be released now; other nodes adopt them after {}",
          nodeId,
          lapse);
    }
  }

  /** Stops the heartbeat as a crash would, releasing nothing: for tests of adoption. */
  void halt() {
    closed.set(true);
    beat.shutdownNow();
  }

  // ---------------------------------------------------------------- helpers

  static <T> T inTransaction(Connection c, Sql.Work<T> work) throws SQLException {
    return Sql.inTransaction(c, work);
  }

  private <T> T retrying(String what, Sql.Work<T> work) {
    return Sql.retrying(what, outageTolerance, work);
  }

  private static String randomNodeId() {
    byte[] b = new byte[9];
    new SecureRandom().nextBytes(b);
    return "node-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Builds a {@link JdbcDeliveryQueue}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable String nodeId;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private Duration lapse = DEFAULT_LAPSE;
    private @Nullable Duration idlePoll = DEFAULT_IDLE_POLL;
    private Duration outageTolerance = DEFAULT_OUTAGE_TOLERANCE;
    private int capacity = Integer.MAX_VALUE;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets this node's id; default a random one per queue. A fixed id lets a restarted node take
     * back its own rows at once instead of after the lapse; two live queues must never share one.
     *
     * @param nodeId 1 to 100 characters
     * @return this builder
     * @throws IllegalArgumentException if empty or longer than 100 characters
     */
    public Builder nodeId(String nodeId) {
      requireNonNull(nodeId, "nodeId");
      if (nodeId.isEmpty() || nodeId.length() > 100) {
        throw new IllegalArgumentException("nodeId: expected 1..100 characters");
      }
      this.nodeId = nodeId;
      return this;
    }

    /**
     * Sets the heartbeat period; default {@link #DEFAULT_HEARTBEAT}. Each heartbeat also adopts the
     * rows of dead nodes.
     *
     * @param period positive, at least 10 ms
     * @return this builder
     * @throws IllegalArgumentException if shorter than 10 ms
     */
    public Builder heartbeat(Duration period) {
      if (requireNonNull(period, "period").toMillis() < 10) {
        throw new IllegalArgumentException("heartbeat: expected at least 10 ms");
      }
      this.heartbeat = period;
      return this;
    }

    /**
     * Sets how long after its last heartbeat a node counts as dead; default {@link #DEFAULT_LAPSE}.
     * Longer than a few heartbeats (a pause of the JVM or the database must not look like death).
     *
     * @param lapse positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder lapse(Duration lapse) {
      if (requireNonNull(lapse, "lapse").isNegative() || lapse.isZero()) {
        throw new IllegalArgumentException("lapse: expected positive");
      }
      this.lapse = lapse;
      return this;
    }

    /**
     * Sets the longest gap between two polls of an idle engine ({@link #nextDue()} is never further
     * ahead); default {@link #DEFAULT_IDLE_POLL}; null for none (single node only).
     *
     * @param interval positive, or null
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder idlePoll(@Nullable Duration interval) {
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new IllegalArgumentException("idlePoll: expected positive or null");
      }
      this.idlePoll = interval;
      return this;
    }

    /**
     * Sets how long a write (offer, reschedule, acknowledge) retries a failed connection before it
     * throws; default {@link #DEFAULT_OUTAGE_TOLERANCE}. The calling engine thread waits meanwhile.
     *
     * @param tolerance zero or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder outageTolerance(Duration tolerance) {
      if (requireNonNull(tolerance, "tolerance").isNegative()) {
        throw new IllegalArgumentException("outageTolerance: expected >= 0");
      }
      this.outageTolerance = tolerance;
      return this;
    }

    /**
     * Sets a capacity (rows of every node together); default none. With a capacity, each offer that
     * adds a row counts the table first (one more index scan), and nodes offering at once may
     * overshoot it by a few rows.
     *
     * @param capacity ≥ 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity: expected >= 1, got " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets the clock of {@link #nextDue()}'s idle cap; default the system clock (use the engine's).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the queue: registers the node (one statement) and starts its heartbeat thread.
     *
     * @return the queue
     * @throws DatabaseException if the database fails (for example the schema is missing)
     */
    public JdbcDeliveryQueue build() {
      return new JdbcDeliveryQueue(this);
    }
  }
}
