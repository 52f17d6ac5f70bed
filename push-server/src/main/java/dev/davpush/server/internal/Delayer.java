package dev.davpush.server.internal;

import java.time.Duration;

/**
 * Runs a task after a delay: the seam through which the engine schedules retries, so that tests
 * can observe the chosen delays and run retries without waiting.
 *
 * <p>The engine's default is a single daemon thread ({@code davpush-engine-retry}) that only hands
 * the task on to the engine's executor. A task may be run late or never (after close); the engine
 * accounts for tasks that never ran when it closes.
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
