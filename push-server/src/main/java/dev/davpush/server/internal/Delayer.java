package dev.davpush.server.internal;

import java.time.Duration;

/**
 * Runs a task after a delay: the seam through which the engine wakes up for work that becomes due
 * later (retries, coalescing windows, {@code Retry-After}), so that tests can observe the chosen
 * delays and move a test clock instead of waiting.
 *
 * <p>The engine's default is its timer thread ({@code davpush-timer-N}), which only hands the task
 * on to the engine's executor. A task may run late, early or never (after close); a wake-up only
 * makes the engine look at the delivery queue, so none of these loses work.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface Delayer {
  /**
   * Schedules a task.
   *
   * @param task the task; quick, does not block
   * @param delay ≥ 0
   */
  void schedule(Runnable task, Duration delay);
}
