package dev.davpush.jdbc;

import dev.davpush.PushException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The database refused or could not be reached; the operation changed nothing (its transaction was
 * rolled back). The message names the operation and the SQLSTATE, never a value: the driver's own
 * message, which may quote a push resource or key, is only in the {@linkplain #getCause() cause}.
 *
 * <p>Thread safety: immutable.
 */
public class DatabaseException extends PushException {
  private static final long serialVersionUID = 1L;

  /** The SQLSTATE, or null. */
  private final @Nullable String sqlState;

  /**
   * Creates the exception.
   *
   * @param message what failed, without values
   * @param cause the driver's exception
   */
  public DatabaseException(String message, SQLException cause) {
    super(message, cause);
    this.sqlState = cause.getSQLState();
  }

  /**
   * The SQLSTATE of the failure ({@code 08…} when the connection failed).
   *
   * @return the five-character code, or null if the driver gave none
   */
  public @Nullable String sqlState() {
    return sqlState;
  }
}
