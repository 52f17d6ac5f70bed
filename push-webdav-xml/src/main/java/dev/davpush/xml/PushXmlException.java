package dev.davpush.xml;

import dev.davpush.PushException;

/**
 * Malformed, hostile or schema-violating XML: the one exception every reader of this module throws
 * for bad input. Carries the position of the problem when the parser knows it.
 *
 * <p>A server answers a request body that fails with this exception with {@code 400 Bad Request};
 * semantically invalid content of a well-formed {@code push-register} is reported as a {@link
 * dev.davpush.PreconditionException} instead.
 *
 * <p>Thread safety: immutable.
 */
public class PushXmlException extends PushException {
  private static final long serialVersionUID = 1L;

  /** 1-based line of the problem, -1 if unknown. */
  private final int line;

  /** 1-based column of the problem, -1 if unknown. */
  private final int column;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what was expected
   * @param line 1-based line, or -1 if unknown
   * @param column 1-based column, or -1 if unknown
   * @param cause the parser's exception, or null
   */
  public PushXmlException(String message, int line, int column, Throwable cause) {
    super(position(line, column) + message, cause);
    this.line = line;
    this.column = column;
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what is wrong and what was expected
   * @param line 1-based line, or -1 if unknown
   * @param column 1-based column, or -1 if unknown
   */
  public PushXmlException(String message, int line, int column) {
    super(position(line, column) + message);
    this.line = line;
    this.column = column;
  }

  /**
   * The line of the problem.
   *
   * @return 1-based line, or -1 if unknown
   */
  public int line() {
    return line;
  }

  /**
   * The column of the problem.
   *
   * @return 1-based column, or -1 if unknown
   */
  public int column() {
    return column;
  }

  private static String position(int line, int column) {
    return line > 0 ? "line " + line + ", column " + column + ": " : "";
  }
}
