package dev.davpush.jdbc;

import dev.davpush.PushException;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Shared JDBC helpers: typed failures and the instant columns.
 *
 * <p>Thread safety: stateless.
 */
final class Sql {
  /** SQLSTATE of a unique violation. */
  static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  /**
   * A typed failure naming what was being done and the SQLSTATE; the driver's message is left out,
   * since it may quote a value (a push resource or a key).
   */
  static PushException failure(String what, SQLException e) {
    String state = e.getSQLState();
    return new DatabaseException(
        what + " failed: database error (SQLSTATE " + (state == null ? "unknown" : state) + ")", e);
  }

  static boolean uniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static long seconds(Instant i) {
    return i.getEpochSecond();
  }

  static int nanos(Instant i) {
    return i.getNano();
  }

  static Instant instant(long seconds, int nanos) {
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
