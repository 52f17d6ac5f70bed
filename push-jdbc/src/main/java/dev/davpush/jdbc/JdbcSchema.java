package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The database schema of this module, as versioned SQL migrations for PostgreSQL 12 or newer.
 *
 * <p>The migrations are class-path resources under {@value #MIGRATIONS_LOCATION}, named the Flyway
 * way ({@code V1__davpush.sql}, …): Flyway users add {@code classpath:}{@value
 * #MIGRATIONS_LOCATION} to their locations; Liquibase users include each file as a {@code sqlFile}
 * change set. Applications with neither call {@link #create(DataSource)}. The location is outside
 * any Java package, so the files are readable from the module path too.
 *
 * <p>Tables: {@code davpush_registration}, {@code davpush_resource_count}, {@code
 * davpush_push_resource_health}, {@code davpush_node}, {@code davpush_delivery}, {@code
 * davpush_dead_letter} and {@code davpush_outbox} (see {@code docs/jdbc.md}).
 *
 * <p>Thread safety: stateless.
 */
public final class JdbcSchema {
  /** The class-path folder of the migrations (no leading slash). */
  public static final String MIGRATIONS_LOCATION = "META-INF/davpush/jdbc/postgresql";

  /** The migrations in the order they apply, file names relative to the location. */
  public static final List<String> MIGRATIONS =
      List.of("V1__davpush.sql", "V2__resource_count_slots.sql");

  private JdbcSchema() {}

  /**
   * Creates the schema (every migration, in order) in one transaction. Idempotent: each statement
   * is {@code CREATE … IF NOT EXISTS} or moves rows that are gone after the first run, so running
   * it against an existing schema changes nothing.
   *
   * @param dataSource the database
   * @throws PushException if the database refuses (nothing is created then)
   */
  public static void create(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String m : MIGRATIONS) {
          for (String sql : statements(read(m))) {
            s.execute(sql);
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw Sql.failure("creating the davpush schema", e);
    }
  }

  /**
   * The text of one migration.
   *
   * @param name a name from {@link #MIGRATIONS}
   * @return the SQL text
   * @throws IllegalArgumentException if there is no such migration
   */
  public static String read(String name) {
    requireNonNull(name, "name");
    if (!MIGRATIONS.contains(name)) {
      throw new IllegalArgumentException("no davpush migration named " + name);
    }
    try (InputStream in =
        JdbcSchema.class.getClassLoader().getResourceAsStream(MIGRATIONS_LOCATION + "/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("migration " + name + " could not be read", e);
    }
  }

  // Splits a migration at semicolons that end a line, dropping comment lines; the migrations hold
  // no semicolon inside a literal or a function body.
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = cur.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }
}
