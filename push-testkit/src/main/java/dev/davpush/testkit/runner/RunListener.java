package dev.davpush.testkit.runner;

import java.time.Duration;
import java.util.List;

/**
 * Hears a run's progress: one call before and one after each scenario, on the runner's thread. The
 * command line prints a progress line per scenario from it.
 *
 * <p>Thread safety: called from one thread at a time; implementations need not be thread-safe.
 */
public interface RunListener {
  /** A listener that does nothing. */
  RunListener NONE = new RunListener() {};

  /**
   * A scenario starts.
   *
   * @param scenario its name, for example {@code discovery}
   * @param index its position, 1-based
   * @param count how many scenarios this run has
   */
  default void scenarioStarted(String scenario, int index, int count) {}

  /**
   * A scenario ended, with what it recorded.
   *
   * @param scenario its name
   * @param results the results it recorded, possibly empty
   * @param took how long it ran
   */
  default void scenarioFinished(String scenario, List<CheckResult> results, Duration took) {}
}
