package dev.davpush.testkit.cli;

import static java.util.Objects.requireNonNull;

import dev.davpush.Topic;
import dev.davpush.jdbc.DatabaseException;
import dev.davpush.jdbc.JdbcPersistence;
import dev.davpush.server.PushEngine;
import dev.davpush.testkit.reference.CollectionTopics;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.reference.ServerDecorator;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The reference server's state in PostgreSQL for {@code serve --jdbc-url}: registrations and
 * pending deliveries in push-jdbc's tables ({@link JdbcPersistence}: store and durable queue), and
 * what else a restarted server needs to answer the registrations made before it: the VAPID key
 * (push services accept only messages signed with the key a subscription was made for) and the
 * collections' topics (a change is matched to registrations by topic). Those two are in the kit's
 * own tables, {@code davpush_kit_vapid} and {@code davpush_kit_topic}, created if missing.
 *
 * <p>The VAPID private key is stored in the database in the clear (base64url): this is a test
 * server's key; never give it a production database or key.
 *
 * <p>Only this class touches push-jdbc, which is an optional dependency of the kit: the kit as a
 * library runs without it, the command line jar carries it.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class JdbcBacking implements AutoCloseable {
  /** Engine threads: deliveries wait on the database (docs/jdbc.md, "Threads"). */
  static final int ENGINE_THREADS = 16;

  private final JdbcPersistence db;
  private final ExecutorService engineThreads;
  private final VapidKeyPair vapidKeyPair;
  private final Topics topics;

  private JdbcBacking(JdbcPersistence db) {
    this.db = db;
    DataSource ds = db.dataSource();
    createTables(ds);
    this.vapidKeyPair = vapidKeyPair(ds);
    this.topics = new Topics(ds);
    AtomicInteger n = new AtomicInteger();
    this.engineThreads =
        Executors.newFixedThreadPool(
            ENGINE_THREADS,
            r -> {
              Thread t = new Thread(r, "davpush-serve-engine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the database: a pool, push-jdbc's schema and the kit's tables (created if missing), the
   * store and this node's queue.
   *
   * @param url a {@code jdbc:postgresql:} URL
   * @param user the user, or null
   * @param password the password, or null; never logged or printed
   * @return the backing; close it after the server
   * @throws IllegalArgumentException if the URL is not a PostgreSQL one
   * @throws DatabaseException if the database cannot be reached or refuses the tables
   */
  static JdbcBacking open(String url, @Nullable String user, @Nullable String password) {
    JdbcPersistence db = JdbcPersistence.open(url, user, password);
    try {
      return new JdbcBacking(db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Puts the server on the database: its store, its queue (with engine threads that may block on
   * the database), its VAPID key and its topics.
   *
   * @param builder the server's builder
   * @return the same builder
   */
  ReferenceServer.Builder configure(ReferenceServer.Builder builder) {
    return builder
        .store(db.store())
        .vapidKeyPair(vapidKeyPair)
        .topics(topics)
        .decorate(
            new ServerDecorator() {
              @Override
              public PushEngine.Builder engine(PushEngine.Builder b) {
                return b.deliveryQueue(db.queue()).executor(engineThreads);
              }
            });
  }

  /** {@return the VAPID key every server on this database signs with} */
  VapidKeyPair vapidKeyPair() {
    return vapidKeyPair;
  }

  /** {@return the collections' topics in this database} */
  CollectionTopics topics() {
    return topics;
  }

  /** Stops the engine threads, then the queue (its work passes to other nodes) and the pool. */
  @Override
  public void close() {
    engineThreads.shutdown();
    try {
      if (!engineThreads.awaitTermination(5, TimeUnit.SECONDS)) {
        engineThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      engineThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    db.close();
  }

  private static void createTables(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS davpush_kit_vapid (id integer PRIMARY KEY CHECK (id = 1),"
              + " private_key text NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS davpush_kit_topic (path text PRIMARY KEY, topic text NOT"
              + " NULL)");
    } catch (SQLException e) {
      throw new DatabaseException("serve: creating the kit's tables failed", e);
    }
  }

  // The first server on a database stores a fresh key; every later one (a restart, another node)
  // reads that one.
  private static VapidKeyPair vapidKeyPair(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO davpush_kit_vapid (id, private_key) VALUES (1, ?) ON CONFLICT (id) DO"
                  + " NOTHING")) {
        ps.setString(1, VapidKeyPair.generate().privateKeyBase64Url());
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
              c.prepareStatement("SELECT private_key FROM davpush_kit_vapid WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("serve: the VAPID key row vanished");
        }
        return VapidKeyPair.fromBase64Url(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new DatabaseException("serve: reading the VAPID key failed", e);
    }
  }

  /** Topics in {@code davpush_kit_topic}, read through a cache (this server is the only writer). */
  private static final class Topics implements CollectionTopics {
    private final DataSource ds;
    private final ConcurrentMap<String, Topic> cache = new ConcurrentHashMap<>();

    Topics(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public Topic topic(String canonicalPath) {
      requireNonNull(canonicalPath, "canonicalPath");
      Topic cached = cache.get(canonicalPath);
      if (cached != null) {
        return cached;
      }
      try (Connection c = ds.getConnection()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO davpush_kit_topic (path, topic) VALUES (?, ?) ON CONFLICT (path) DO"
                    + " NOTHING")) {
          ps.setString(1, canonicalPath);
          ps.setString(2, Topic.random().value());
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement("SELECT topic FROM davpush_kit_topic WHERE path = ?")) {
          ps.setString(1, canonicalPath);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new IllegalStateException("serve: the topic row vanished");
            }
            Topic t = Topic.of(rs.getString(1));
            Topic raced = cache.putIfAbsent(canonicalPath, t);
            return raced != null ? raced : t;
          }
        }
      } catch (SQLException e) {
        throw new DatabaseException("serve: reading a collection's topic failed", e);
      }
    }

    @Override
    public Optional<Topic> forget(String canonicalPath) {
      requireNonNull(canonicalPath, "canonicalPath");
      Optional<Topic> old = Optional.empty();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM davpush_kit_topic WHERE left(path, ?) = ? RETURNING path, topic")) {
        ps.setInt(1, canonicalPath.length());
        ps.setString(2, canonicalPath);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).equals(canonicalPath)) {
              old = Optional.of(Topic.of(rs.getString(2)));
            }
          }
        }
      } catch (SQLException e) {
        throw new DatabaseException("serve: removing a collection's topics failed", e);
      } finally {
        cache.keySet().removeIf(p -> p.startsWith(canonicalPath));
      }
      return old;
    }
  }
}
