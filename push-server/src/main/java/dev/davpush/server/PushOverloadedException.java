package dev.davpush.server;

import dev.davpush.PushException;

/**
 * {@link PushEngine#publish} refused a change because the engine already holds its maximum of
 * changes waiting for fan-out ({@link PushEngine.Builder#maxPendingChanges}). Nothing of the change
 * was sent; the refusal is counted ({@link EngineStatistics#changesRefused()}) and logged. The
 * caller decides: publish again later, or rely on clients' next poll.
 *
 * <p>Thread safety: immutable.
 */
public class PushOverloadedException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param limit the maximum of changes waiting for fan-out
   */
  public PushOverloadedException(int limit) {
    super(
        "publish: "
            + limit
            + " changes are already waiting for fan-out; the change was not published. Publish"
            + " it again later, raise maxPendingChanges, or give the engine more threads");
  }
}
