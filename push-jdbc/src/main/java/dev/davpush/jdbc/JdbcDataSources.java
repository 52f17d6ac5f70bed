package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * A pooled {@link javax.sql.DataSource} from a JDBC URL, for applications and tools (the kit's
 * {@code serve --jdbc-url}) that have no pool of their own. It needs HikariCP on the class or
 * module path (an optional dependency of this module).
 *
 * <p>Thread safety: stateless.
 */
public final class JdbcDataSources {
  /** The default pool size. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private JdbcDataSources() {}

  /**
   * A HikariCP pool on a PostgreSQL URL. The driver is told not to put server error details (which
   * may quote a push resource) into exception messages ({@code logServerErrorDetail=false}).
   *
   * @param url a {@code jdbc:postgresql:} URL
   * @param user the user, or null for the URL's or the driver's default
   * @param password the password, or null; never logged
   * @param poolSize the most connections; ≥ 1
   * @return the pool; close it when done
   * @throws IllegalArgumentException if the URL is not a PostgreSQL one or the size is below 1
   * @throws NoClassDefFoundError if HikariCP is missing
   */
  public static HikariDataSource pooled(
      String url, @Nullable String user, @Nullable String password, int poolSize) {
    requireNonNull(url, "url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("url: expected a jdbc:postgresql: URL");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize: expected >= 1, got " + poolSize);
    }
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setMaximumPoolSize(poolSize);
    c.setPoolName("davpush-jdbc");
    c.addDataSourceProperty("logServerErrorDetail", "false");
    c.setConnectionTimeout(5_000);
    c.setInitializationFailTimeout(-1); // start even if the database is not up yet
    return new HikariDataSource(c);
  }
}
