package dev.davpush.jdbc;

import dev.davpush.PushException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;

/**
 * Shared JDBC helpers: typed failures and the instant columns.
 *
 * <p>Thread safety: stateless.
 */
final class Sql {
  /** SQLSTATE of a unique violation. */
  static final String UNIQUE_VIOLATION = "23505";

  /** SQLSTATE of a statement the database rolled back to break a deadlock. */
  static final String DEADLOCK = "40P01";

  /** SQLSTATE of a serialization failure. */
  static final String SERIALIZATION_FAILURE = "40001";

  /** The most keys one batched statement ({@link Batcher}) carries. */
  static final int MAX_BATCH = 256;

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
    return hasState(e, UNIQUE_VIOLATION);
  }

  /**
   * Whether the database rolled the statement back to break a deadlock (SQLSTATE 40P01) or a
   * serialization failure (40001): nothing it did remains, and running it again may succeed.
   */
  static boolean rolledBackByDatabase(SQLException e) {
    return hasState(e, DEADLOCK) || hasState(e, SERIALIZATION_FAILURE);
  }

  private static boolean hasState(SQLException e, String state) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && state.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** A unit of database work. */
  interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs work, retrying connection failures (SQLSTATE class 08, or no connection from the pool)
   * with a growing pause (50 ms doubling to 1 s) until {@code tolerance} is spent; then, or on any
   * other failure, throws the typed failure.
   */
  static <T> T retrying(String what, Duration tolerance, Work<T> work) {
    long deadline = System.nanoTime() + tolerance.toNanos();
    long pause = 50;
    while (true) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (!connectionFailure(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
          throw failure(what, e);
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new PushException(what + ": interrupted while the database was unreachable");
      }
      pause = Math.min(pause * 2, 1_000);
    }
  }

  static boolean connectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  /** Runs work in one transaction on c: committed if it returns, rolled back if it throws. */
  static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(auto);
      } catch (SQLException ignored) {
        // the connection is broken; the pool discards it
      }
    }
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
