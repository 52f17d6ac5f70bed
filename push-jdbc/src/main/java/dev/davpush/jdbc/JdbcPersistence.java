package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.davpush.server.PushEngine;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Everything an engine needs to run on PostgreSQL, opened in one call: a pool, the schema, the
 * store, this node's durable queue and the outbox. Made for tools and small servers (the kit's
 * {@code serve --jdbc-url}); applications with their own pool build the parts themselves ({@code
 * docs/jdbc.md}).
 *
 * <pre>{@code
 * try (JdbcPersistence db = JdbcPersistence.open(url, user, System.getenv("PGPASSWORD"))) {
 *   PushEngine engine = db.configure(PushEngine.builder()).resources(r).transport(t)
 *       .registrationBase(base).build();
 *   JdbcOutbox.Relay relay = db.outbox().startRelay(engine, db.queue());
 *   ...
 *   relay.close();
 *   engine.close();
 * } // closes the queue, then the pool
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use (its parts are).
 */
public final class JdbcPersistence implements AutoCloseable {
  private final DataSource dataSource;
  private final @Nullable HikariDataSource ownedPool;
  private final JdbcSubscriptionStore store;
  private final JdbcDeliveryQueue queue;
  private final JdbcOutbox outbox;

  private JdbcPersistence(DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    JdbcSchema.create(dataSource);
    this.store = new JdbcSubscriptionStore(dataSource);
    this.queue = JdbcDeliveryQueue.builder(dataSource).build();
    this.outbox = new JdbcOutbox(dataSource);
  }

  /**
   * Opens a pool of {@link JdbcDataSources#DEFAULT_POOL_SIZE} connections on a PostgreSQL URL
   * (HikariCP must be present), creates the schema if missing, and starts this node's queue.
   *
   * @param url a {@code jdbc:postgresql:} URL
   * @param user the user, or null
   * @param password the password, or null; never logged
   * @return the parts; close it after the engine
   * @throws IllegalArgumentException if the URL is not a PostgreSQL one
   * @throws DatabaseException if the database cannot be reached or refuses the schema (the pool is
   *     closed again)
   */
  public static JdbcPersistence open(String url, @Nullable String user, @Nullable String password) {
    HikariDataSource pool =
        JdbcDataSources.pooled(url, user, password, JdbcDataSources.DEFAULT_POOL_SIZE);
    try {
      return new JdbcPersistence(pool, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * The same on a data source the caller owns (it is not closed by {@link #close()}).
   *
   * @param dataSource the database
   * @return the parts
   * @throws DatabaseException if the database refuses the schema
   */
  public static JdbcPersistence on(DataSource dataSource) {
    return new JdbcPersistence(requireNonNull(dataSource, "dataSource"), null);
  }

  /**
   * Sets this store and queue on an engine builder.
   *
   * @param builder the engine's builder
   * @return the same builder
   */
  public PushEngine.Builder configure(PushEngine.Builder builder) {
    return requireNonNull(builder, "builder").store(store).deliveryQueue(queue);
  }

  /**
   * The database.
   *
   * @return the data source (the pool when opened from a URL)
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The store.
   *
   * @return the store
   */
  public JdbcSubscriptionStore store() {
    return store;
  }

  /**
   * This node's queue.
   *
   * @return the queue
   */
  public JdbcDeliveryQueue queue() {
    return queue;
  }

  /**
   * The outbox.
   *
   * @return the outbox
   */
  public JdbcOutbox outbox() {
    return outbox;
  }

  /** Closes the queue (this node's work is handed to the others), then a pool opened here. */
  @Override
  public void close() {
    queue.close();
    if (ownedPool != null) {
      ownedPool.close();
    }
  }
}
