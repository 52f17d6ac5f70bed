package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.P256PublicKey;
import dev.davpush.PushException;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Topic;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.SubscriptionStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SubscriptionStore} in a relational database (PostgreSQL 12 or newer), on a {@link
 * DataSource} the application gives: registrations survive restarts and are shared by every node on
 * the same database.
 *
 * <p>Schema: tables {@code davpush_registration}, {@code davpush_resource_count_slot} and {@code
 * davpush_push_resource_health} of {@link JdbcSchema} (create them with {@link JdbcSchema#create}
 * or the shipped migrations). {@link #countByResource} sums a count kept by every save (in its
 * statement) and removal (in its transaction), spread over 16 slots; a store writes to consecutive
 * slots, so that its concurrent registrations on one collection do not wait for the same row.
 * Registering on a collection with many registrations costs no more than on an empty one. Every
 * lookup the engine makes has an index: by id (primary key), by natural key (a unique constraint,
 * which also serves {@link #countByOwner}), by topic, by subscription id, by resource path and by
 * expiry; {@code docs/jdbc.md} shows the query plans on a million rows.
 *
 * <p>Natural key. The unique constraint on (owner, resource path, subscription id) decides races
 * between nodes: of two concurrent saves with the same key and different ids, one commits and the
 * other throws {@link RegistrationConflictException} (R-WDP-28, digest ambiguity A-27).
 *
 * <p>Subscriptions. Web Push subscriptions ({@link WebPushSubscription}) are stored in columns; the
 * auth secret and public key as bytes. {@link #save} refuses a subscription of another transport
 * with a {@link PushException}. Values read back equal what was saved (instants are stored to the
 * nanosecond).
 *
 * <p>Failures: every method runs in one statement or one transaction; a database failure throws
 * {@link DatabaseException} (a {@link PushException}) and changes nothing. A failed connection is
 * retried for the outage tolerance first (default 30 s), so a database that goes away briefly is
 * waited for rather than reported. No method logs; messages never carry a push resource or a
 * secret.
 *
 * <p>Thread safety: safe for concurrent use; each call takes its own connection from the data
 * source.
 */
public final class JdbcSubscriptionStore implements SubscriptionStore {
  /** Slots of a resource path's registration count (schema version 2). */
  private static final int COUNT_SLOTS = 16;

  private static final String COLUMNS =
      "id, owner, resource_path, subscription_id, topic, registration_url, transport,"
          + " content_encoding, public_key, auth_secret, triggers, expires_s, expires_ns,"
          + " created_s, created_ns";

  /** How often {@link #save} runs its statement when concurrent saves of its id keep moving it. */
  private static final int SAVE_ATTEMPTS = 10;

  /** The default time a call retries a failed connection. */
  public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofSeconds(30);

  private final DataSource dataSource;
  private final Duration outageTolerance;
  private final AtomicInteger slots =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT_SLOTS));
  private final Batcher<String, Raw> finds = new Batcher<>("find", Sql.MAX_BATCH, this::findAll);
  private final Batcher<String, Boolean> successes =
      new Batcher<>("recordSuccess", Sql.MAX_BATCH, this::recordSuccesses);

  /**
   * A store on a database whose schema exists, with {@link #DEFAULT_OUTAGE_TOLERANCE}.
   *
   * @param dataSource the database; a pooled one for any real load
   */
  public JdbcSubscriptionStore(DataSource dataSource) {
    this(dataSource, DEFAULT_OUTAGE_TOLERANCE);
  }

  /**
   * A store on a database whose schema exists.
   *
   * @param dataSource the database; a pooled one for any real load
   * @param outageTolerance how long a call retries a failed connection (SQLSTATE class 08, or no
   *     connection from the pool) before it throws {@link DatabaseException}; the calling thread
   *     waits meanwhile (the engine's sending threads, or a DAV request); zero for no retry
   * @throws IllegalArgumentException if negative
   */
  public JdbcSubscriptionStore(DataSource dataSource, Duration outageTolerance) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    if (requireNonNull(outageTolerance, "outageTolerance").isNegative()) {
      throw new IllegalArgumentException("outageTolerance: expected >= 0");
    }
    this.outageTolerance = outageTolerance;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement ({@link #SAVE}), autocommitted: it locks and reads the row's old resource
   * path, upserts the row and adds the count deltas to one of the resource's count slots, so that a
   * registration costs one round trip and one commit. Concurrent saves of one id all succeed, the
   * last to commit wins: a save that meets such a save midway (a row it could not see, a unique
   * violation on its own natural key, a deadlock) runs the statement again, at most 10 times.
   *
   * @throws RegistrationConflictException if a registration with another id holds the natural key
   *     (nothing is written)
   * @throws PushException if the subscription is not a {@link WebPushSubscription}, if concurrent
   *     saves of the id kept it from completing 10 times in a row, or the database fails
   */
  @Override
  public void save(Registration registration) {
    requireNonNull(registration, "registration");
    if (!(registration.subscription() instanceof WebPushSubscription s)) {
      throw new PushException(
          "save: the JDBC store keeps Web Push subscriptions only, not transport "
              + registration.subscription().transport());
    }
    retrying(
        "save",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            // false: a concurrent save inserted this id under another path; the next statement's
            // snapshot sees that row
            for (int attempt = 1; !saveIn(c, registration, s); attempt++) {
              if (attempt == SAVE_ATTEMPTS) {
                throw new PushException(
                    "save: the registration was replaced concurrently "
                        + SAVE_ATTEMPTS
                        + " times in a row; try again");
              }
            }
            return true;
          } catch (SQLException e) {
            if (Sql.uniqueViolation(e)) {
              // the only unique constraint besides the id (the upsert's) is the natural key
              throw new RegistrationConflictException(
                  "save: another registration already holds this principal, resource and push"
                      + " resource");
            }
            throw e;
          }
        });
  }

  /**
   * The save statement. {@code old} locks the row and reads its path (before the upsert: the
   * upsert's source aggregates over it). The upsert inserts the row ({@code xmax = 0}) or replaces
   * it; it replaces a row {@code old} did not see (inserted by a concurrent transaction after this
   * statement's snapshot) only if the path is the same, since the count of its old path would be
   * unknown: then {@code up} yields no row, nothing changes, the statement returns 0 and is run
   * again (a new snapshot sees the row). The deltas (+1 for a new row; -1 and +1 for a moved one)
   * go to one slot, in path order (no deadlock with other saves and removals). The sub-statements
   * share one snapshot, so none reads another's writes: each reads {@code old} and {@code up} only.
   */
  static final String SAVE =
      "WITH old AS (SELECT resource_path FROM davpush_registration WHERE id = ? FOR UPDATE),"
          + " up AS (INSERT INTO davpush_registration ("
          + COLUMNS
          + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM (SELECT count(*) FROM old) o"
          + " ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner,"
          + " resource_path = EXCLUDED.resource_path, subscription_id = EXCLUDED.subscription_id,"
          + " topic = EXCLUDED.topic, registration_url = EXCLUDED.registration_url,"
          + " transport = EXCLUDED.transport, content_encoding = EXCLUDED.content_encoding,"
          + " public_key = EXCLUDED.public_key, auth_secret = EXCLUDED.auth_secret,"
          + " triggers = EXCLUDED.triggers, expires_s = EXCLUDED.expires_s,"
          + " expires_ns = EXCLUDED.expires_ns, created_s = EXCLUDED.created_s,"
          + " created_ns = EXCLUDED.created_ns"
          + " WHERE davpush_registration.resource_path = EXCLUDED.resource_path"
          + " OR EXISTS (SELECT 1 FROM old)"
          + " RETURNING (xmax = 0) AS inserted, resource_path),"
          + " delta AS (SELECT up.resource_path AS path, 1 AS d FROM up"
          + " WHERE up.inserted OR EXISTS (SELECT 1 FROM old WHERE old.resource_path <>"
          + " up.resource_path)"
          + " UNION ALL SELECT old.resource_path, -1 FROM old, up"
          + " WHERE NOT up.inserted AND old.resource_path <> up.resource_path),"
          + " counted AS (INSERT INTO davpush_resource_count_slot (resource_path, slot,"
          + " registrations) SELECT path, ?, d FROM delta ORDER BY path"
          + " ON CONFLICT (resource_path, slot) DO UPDATE SET registrations ="
          + " davpush_resource_count_slot.registrations + EXCLUDED.registrations)"
          + " SELECT count(*) FROM up";

  // Runs SAVE on c (committed when this returns); false if it wrote nothing and must run again.
  private boolean saveIn(Connection c, Registration r, WebPushSubscription s) throws SQLException {
    try {
      return autocommitted(
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement(SAVE)) {
              ps.setString(1, r.id());
              bind(ps, 2, r, s);
              ps.setInt(17, nextSlot());
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
              }
            }
          });
    } catch (SQLException e) {
      // Saves of one new id under one path all find no row; the upsert's arbiter is the id, so a
      // later one may meet an earlier one's row in the natural key's index first, and fail there
      // or, waiting in both indexes, deadlock with it. That is the registration racing itself,
      // not a conflict: the statement was rolled back; run it again (the row is now visible).
      if (Sql.rolledBackByDatabase(e)
          || (Sql.uniqueViolation(e) && !naturalKeyHeldByAnother(c, r, s))) {
        return false;
      }
      throw e;
    }
  }

  // Whether a registration with another id holds r's natural key (owner, path, push resource).
  private static boolean naturalKeyHeldByAnother(
      Connection c, Registration r, WebPushSubscription s) throws SQLException {
    return autocommitted(
        c,
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM davpush_registration WHERE owner = ? AND resource_path = ?"
                      + " AND subscription_id = ? AND id <> ?")) {
            ps.setString(1, r.owner());
            ps.setString(2, r.resourcePath());
            ps.setString(3, s.id());
            ps.setString(4, r.id());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  // Adds the deltas to the per-resource counts, in path order (no deadlock between transactions).
  private void adjustCounts(Connection c, Map<String, Integer> delta) throws SQLException {
    if (delta.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO davpush_resource_count_slot (resource_path, slot, registrations)"
                + " VALUES (?, ?, ?) ON CONFLICT (resource_path, slot) DO UPDATE SET registrations ="
                + " davpush_resource_count_slot.registrations + EXCLUDED.registrations")) {
      // one slot per transaction: concurrent writers on one resource rarely share a row lock
      int slot = nextSlot();
      for (Map.Entry<String, Integer> e : new TreeMap<>(delta).entrySet()) {
        if (e.getValue() != 0) {
          ps.setString(1, e.getKey());
          ps.setInt(2, slot);
          ps.setInt(3, e.getValue());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  // Runs a DELETE … RETURNING resource_path and takes the removed rows off the counts.
  private int deleteCounted(PreparedStatement ps, Connection c) throws SQLException {
    Map<String, Integer> delta = new TreeMap<>();
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        delta.merge(rs.getString(1), -1, Integer::sum);
        n++;
      }
    }
    adjustCounts(c, delta);
    return n;
  }

  // Binds the registration's COLUMNS, in order, from parameter index first.
  private static void bind(
      PreparedStatement ps, int first, Registration registration, WebPushSubscription s)
      throws SQLException {
    int i = first;
    ps.setString(i++, registration.id());
    ps.setString(i++, registration.owner());
    ps.setString(i++, registration.resourcePath());
    ps.setString(i++, s.id());
    ps.setString(i++, registration.topic().value());
    ps.setString(i++, registration.registrationUrl().toString());
    ps.setString(i++, s.transport());
    ps.setString(i++, s.contentEncoding().token());
    ps.setBytes(i++, s.subscriptionPublicKey().bytes());
    ps.setBytes(i++, s.authSecret().bytes());
    ps.setString(i++, Codec.triggers(registration.triggers()));
    ps.setLong(i++, Sql.seconds(registration.expires()));
    ps.setInt(i++, Sql.nanos(registration.expires()));
    ps.setLong(i++, Sql.seconds(registration.created()));
    ps.setInt(i, Sql.nanos(registration.created()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Concurrent calls (the engine's sending threads each re-read their registration) are served
   * by one {@code SELECT … WHERE id = ANY(?)} (group commit: no wait is added, and each call sees
   * at least what was committed before it); each caller decodes its own row.
   */
  @Override
  public Optional<Registration> find(String id) {
    requireNonNull(id, "id");
    Raw raw = finds.call(id);
    return raw == null ? Optional.empty() : Optional.of(raw.decode());
  }

  private Map<String, Raw> findAll(List<String> ids) {
    return retrying(
        "find",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT " + COLUMNS + " FROM davpush_registration WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            Map<String, Raw> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Raw r = Raw.of(rs);
                out.put(r.id, r);
              }
            }
            return out;
          }
        });
  }

  @Override
  public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) {
    requireNonNull(owner, "owner");
    requireNonNull(resourcePath, "resourcePath");
    requireNonNull(subscriptionId, "subscriptionId");
    List<Registration> r =
        query(
            "find by natural key",
            "SELECT "
                + COLUMNS
                + " FROM davpush_registration"
                + " WHERE owner = ? AND resource_path = ? AND subscription_id = ?",
            owner,
            resourcePath,
            subscriptionId);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  @Override
  public List<Registration> findByTopic(Topic topic) {
    requireNonNull(topic, "topic");
    return query(
        "findByTopic",
        "SELECT " + COLUMNS + " FROM davpush_registration WHERE topic = ?",
        topic.value());
  }

  @Override
  public List<Registration> findBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    return query(
        "findBySubscription",
        "SELECT " + COLUMNS + " FROM davpush_registration WHERE subscription_id = ?",
        subscriptionId);
  }

  @Override
  public boolean remove(String id) {
    requireNonNull(id, "id");
    return retrying(
        "remove",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return inTransaction(
                c,
                () -> {
                  String subscription;
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "DELETE FROM davpush_registration WHERE id = ?"
                              + " RETURNING subscription_id, resource_path")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                      if (!rs.next()) {
                        return false;
                      }
                      subscription = rs.getString(1);
                      adjustCounts(c, Map.of(rs.getString(2), -1));
                    }
                  }
                  forgetHealthIfGone(c, subscription);
                  return true;
                });
          }
        });
  }

  @Override
  public int removeBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    return retrying(
        "removeBySubscription",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return inTransaction(
                c,
                () -> {
                  int n;
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "DELETE FROM davpush_registration WHERE subscription_id = ?"
                              + " RETURNING resource_path")) {
                    ps.setString(1, subscriptionId);
                    n = deleteCounted(ps, c);
                  }
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "DELETE FROM davpush_push_resource_health WHERE subscription_id = ?")) {
                    ps.setString(1, subscriptionId);
                    ps.executeUpdate();
                  }
                  return n;
                });
          }
        });
  }

  @Override
  public int removeExpired(Instant now) {
    requireNonNull(now, "now");
    return retrying(
        "removeExpired",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return inTransaction(
                c,
                () -> {
                  int n;
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "DELETE FROM davpush_registration WHERE (expires_s, expires_ns) <= (?, ?)"
                              + " RETURNING resource_path")) {
                    ps.setLong(1, Sql.seconds(now));
                    ps.setInt(2, Sql.nanos(now));
                    n = deleteCounted(ps, c);
                  }
                  if (n > 0) {
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "DELETE FROM davpush_push_resource_health h WHERE NOT EXISTS (SELECT 1 FROM"
                                + " davpush_registration r WHERE r.subscription_id = h.subscription_id)")) {
                      ps.executeUpdate();
                    }
                  }
                  return n;
                });
          }
        });
  }

  @Override
  public int countByOwner(String owner) {
    requireNonNull(owner, "owner");
    return count("SELECT count(*) FROM davpush_registration WHERE owner = ?", owner);
  }

  @Override
  public int countByResource(String resourcePath) {
    requireNonNull(resourcePath, "resourcePath");
    return count(
        "SELECT COALESCE(sum(registrations), 0) FROM davpush_resource_count_slot"
            + " WHERE resource_path = ?",
        resourcePath);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One index range scan on (subscription id, id) per page; of each push resource's live
   * registrations the one with the smallest id stands for all.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  @Override
  public List<Registration> distinctSubscriptions(
      @Nullable String afterSubscriptionId, Instant now, int limit) {
    requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: expected >= 1, got " + limit);
    }
    String sql =
        "SELECT DISTINCT ON (subscription_id) "
            + COLUMNS
            + " FROM davpush_registration WHERE (expires_s, expires_ns) > (?, ?)"
            + (afterSubscriptionId == null ? "" : " AND subscription_id > ?")
            + " ORDER BY subscription_id, id LIMIT ?";
    return retrying(
        "distinctSubscriptions",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, Sql.seconds(now));
            ps.setInt(i++, Sql.nanos(now));
            if (afterSubscriptionId != null) {
              ps.setString(i++, afterSubscriptionId);
            }
            ps.setInt(i, limit);
            return read(ps);
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Ends the streak by deleting its row. Concurrent calls are served by one {@code DELETE …
   * WHERE subscription_id = ANY(?)} (group commit: no wait is added; the row is gone when this
   * returns).
   */
  @Override
  public void recordSuccess(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    successes.call(subscriptionId);
  }

  private Map<String, Boolean> recordSuccesses(List<String> subscriptionIds) {
    return retrying(
        "recordSuccess",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "DELETE FROM davpush_push_resource_health WHERE subscription_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", subscriptionIds.toArray()));
            ps.executeUpdate();
            return Map.of();
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement: the streak starts only for a push resource that has registrations, and the
   * first failure of concurrent ones on several nodes wins.
   */
  @Override
  public Instant recordFailure(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    // the no-op update makes RETURNING yield the existing row on a conflict
    String sql =
        "INSERT INTO davpush_push_resource_health (subscription_id, failing_since_s,"
            + " failing_since_ns) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM davpush_registration"
            + " WHERE subscription_id = ?) ON CONFLICT (subscription_id) DO UPDATE SET"
            + " subscription_id = EXCLUDED.subscription_id RETURNING failing_since_s,"
            + " failing_since_ns";
    return retrying(
        "recordFailure",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, subscriptionId);
            ps.setLong(2, Sql.seconds(at));
            ps.setInt(3, Sql.nanos(at));
            ps.setString(4, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Sql.instant(rs.getLong(1), rs.getInt(2)) : at;
            }
          }
        });
  }

  // ---- helpers

  // The count slot of the next write: consecutive ones, so concurrent writers of this store never
  // share one (unless more than COUNT_SLOTS are in flight); each store starts at a random slot, so
  // those of other nodes seldom do.
  private int nextSlot() {
    return Math.floorMod(slots.getAndIncrement(), COUNT_SLOTS);
  }

  // Runs one statement's work as its own transaction: as is on an autocommit connection (the
  // usual pool setting: no extra round trip), else followed by a commit (rolled back on failure).
  private static <T> T autocommitted(Connection c, Sql.Work<T> work) throws SQLException {
    return c.getAutoCommit() ? work.run() : inTransaction(c, work);
  }

  private static <T> T inTransaction(Connection c, Sql.Work<T> work) throws SQLException {
    return Sql.inTransaction(c, work);
  }

  private <T> T retrying(String what, Sql.Work<T> work) {
    return Sql.retrying(what, outageTolerance, work);
  }

  private static void forgetHealthIfGone(Connection c, String subscriptionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM davpush_push_resource_health WHERE subscription_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM davpush_registration WHERE subscription_id = ?)")) {
      ps.setString(1, subscriptionId);
      ps.setString(2, subscriptionId);
      ps.executeUpdate();
    }
  }

  private List<Registration> query(String what, String sql, String... args) {
    return retrying(
        what,
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setString(i + 1, args[i]);
            }
            return read(ps);
          }
        });
  }

  private int count(String sql, String arg) {
    return retrying(
        "count",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  private static List<Registration> read(PreparedStatement ps) throws SQLException {
    List<Raw> raws = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        raws.add(Raw.of(rs));
      }
    }
    // decoded after the result set is closed: the connection goes back to the pool sooner
    List<Registration> out = new ArrayList<>(raws.size());
    for (Raw r : raws) {
      out.add(r.decode());
    }
    return out;
  }

  /**
   * A row of {@code davpush_registration} as read ({@link #COLUMNS}, in order), not yet decoded.
   */
  private record Raw(
      String id,
      String owner,
      String resourcePath,
      String subscriptionId,
      String topic,
      String registrationUrl,
      String contentEncoding,
      byte[] publicKey,
      byte[] authSecret,
      String triggers,
      long expiresS,
      int expiresNs,
      long createdS,
      int createdNs) {

    static Raw of(ResultSet rs) throws SQLException {
      return new Raw(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6),
          // 7 is the transport: only Web Push rows are written
          rs.getString(8),
          rs.getBytes(9),
          rs.getBytes(10),
          rs.getString(11),
          rs.getLong(12),
          rs.getInt(13),
          rs.getLong(14),
          rs.getInt(15));
    }

    Registration decode() {
      try {
        WebPushSubscription s =
            WebPushSubscription.of(
                PushResource.parse(subscriptionId),
                ContentEncoding.of(contentEncoding),
                // validated by P256PublicKey.of before it was saved; the encryption checks it again
                P256PublicKey.fromTrustedBytes(publicKey),
                AuthSecret.of(authSecret));
        return Registration.builder()
            .id(id)
            .owner(owner)
            .resourcePath(resourcePath)
            .topic(Topic.of(topic))
            .registrationUrl(URI.create(registrationUrl))
            .subscription(s)
            .triggers(Codec.parseTriggers(triggers))
            .expires(Sql.instant(expiresS, expiresNs))
            .created(Sql.instant(createdS, createdNs))
            .build();
      } catch (IllegalArgumentException | NullPointerException e) {
        // a row written by something else, or edited by hand; never echo its values
        throw new PushException(
            "a stored registration does not decode: " + e.getClass().getSimpleName(), e);
      }
    }
  }
}
