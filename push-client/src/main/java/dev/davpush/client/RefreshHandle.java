package dev.davpush.client;

import java.time.Instant;
import java.util.Optional;

/**
 * A running refresh schedule of one registration ({@link DavPushClient#scheduleRefresh}).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public interface RefreshHandle extends AutoCloseable {
  /**
   * The registration as last refreshed.
   *
   * @return the current value
   */
  PushRegistration current();

  /**
   * When the next refresh is due.
   *
   * @return empty once cancelled or given up
   */
  Optional<Instant> nextRefresh();

  /** Stops the schedule; a refresh in flight completes but schedules nothing. Idempotent. */
  void cancel();

  /** Same as {@link #cancel()}. */
  @Override
  default void close() {
    cancel();
  }
}
