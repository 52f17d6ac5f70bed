package dev.davpush.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' PostgreSQL: an embedded one (zonky: binaries from a Maven artifact, started once per
 * test JVM on 127.0.0.1, stopped at exit), or the external one named by the system property {@code
 * davpush.jdbc.url} (with {@code davpush.jdbc.user} and {@code davpush.jdbc.password}). Each test
 * gets its own schema, so tests never see each other's rows.
 *
 * <p>Zonky runs the server as the unprivileged user {@code nobody} when the JVM runs as root, so
 * the tests run unchanged as root (CI containers) and as a normal user.
 */
final class TestDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres embedded;
  private static String url;
  private static String user;
  private static String password;

  private TestDatabase() {}

  static synchronized String url() {
    if (url == null) {
      String external = System.getProperty("davpush.jdbc.url", "");
      if (!external.isBlank()) {
        url = external;
        user = System.getProperty("davpush.jdbc.user", "");
        password = System.getProperty("davpush.jdbc.password", "");
      } else {
        try {
          embedded =
              EmbeddedPostgres.builder()
                  .setServerConfig("fsync", "off")
                  .setServerConfig("synchronous_commit", "off")
                  .setServerConfig("full_page_writes", "off")
                  .setServerConfig("max_connections", "300")
                  .start();
        } catch (IOException e) {
          throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        EmbeddedPostgres pg = embedded;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        pg.close();
                      } catch (IOException ignored) {
                        // the JVM is exiting
                      }
                    }));
        url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        user = "postgres";
        password = "";
      }
    }
    return url;
  }

  static synchronized String user() {
    url();
    return user;
  }

  static synchronized String password() {
    url();
    return password;
  }

  /** A new, empty schema with the davpush tables, and a pool whose connections use it. */
  static Db fresh(String name) {
    String schema =
        "t_"
            + name.toLowerCase(java.util.Locale.ROOT)
            + "_"
            + SCHEMAS.incrementAndGet()
            + "_"
            + ProcessHandle.current().pid();
    try (HikariDataSource admin = pool(url(), null, 2);
        Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema, e);
    }
    HikariDataSource ds = pool(url(), schema, 20);
    JdbcSchema.create(ds);
    return new Db(ds, schema);
  }

  static HikariDataSource pool(String jdbcUrl, String schema, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    c.setUsername(user());
    c.setPassword(password());
    c.setMaximumPoolSize(size);
    c.setConnectionTimeout(2_000);
    c.setInitializationFailTimeout(-1);
    c.addDataSourceProperty("logServerErrorDetail", "false");
    if (schema != null) {
      c.addDataSourceProperty("currentSchema", schema);
    }
    return new HikariDataSource(c);
  }

  /** A test's schema and pool. */
  record Db(HikariDataSource dataSource, String schema) implements AutoCloseable {
    long count(String sql) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          var rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void execute(String sql) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      dataSource.close();
    }
  }
}
