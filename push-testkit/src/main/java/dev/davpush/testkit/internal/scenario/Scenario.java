package dev.davpush.testkit.internal.scenario;

import dev.davpush.testkit.Requirement;
import java.util.List;
import java.util.Set;

/**
 * A unit of checking. A scenario records results only for the requirements it {@linkplain #covers()
 * covers}; whatever it covers but did not record when it ends is reported NOT_TESTED with the
 * reason it gave (an {@link Unmet}) or "the scenario ended before checking it".
 *
 * <p>Thread safety: stateless; all run state lives in the {@link RunContext}.
 */
public interface Scenario {
  /** {@return a short name, lower case with hyphens, for example {@code registration}} */
  String name();

  /** {@return the requirements this scenario records results for} */
  Set<Requirement> covers();

  /** {@return what the configuration must offer; when something is missing the run skips it} */
  default Set<Need> needs() {
    return Set.of();
  }

  /**
   * The scenarios whose products this one uses; the run includes them when this one is selected.
   *
   * @return their names
   */
  default List<String> buildsOn() {
    return List.of();
  }

  /**
   * Runs the scenario.
   *
   * @param ctx the run's shared state, clients and recorder
   * @throws Unmet if something it builds on is missing; its covered IDs not yet recorded become
   *     NOT_TESTED with the reason
   * @throws dev.davpush.testkit.runner.TargetException if the target cannot be checked at all
   */
  void run(RunContext ctx);
}
