package dev.davpush.testkit.internal.scenario;

/**
 * Thrown by a scenario that cannot go on because something it builds on is missing (no
 * registration, no push message). Its remaining requirements become NOT_TESTED with this reason.
 *
 * <p>Thread safety: immutable.
 */
public final class Unmet extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the signal.
   *
   * @param reason one line, shown as the NOT_TESTED reason
   */
  public Unmet(String reason) {
    super(reason, null, false, false);
  }
}
