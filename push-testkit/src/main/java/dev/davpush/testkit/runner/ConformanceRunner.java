package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.internal.scenario.Scenario;
import dev.davpush.testkit.internal.scenario.ScenarioRunner;
import dev.davpush.testkit.internal.scenario.Scenarios;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks a WebDAV-Push server black-box, given only the URL of a push-capable collection.
 *
 * <p>A run executes the kit's scenarios in order — discovery, registration, depth downgrade,
 * delivery, push request, suppression, ownership, gone subscription, update, removal — each of
 * which declares the requirement IDs it covers, builds on what earlier ones produced (the
 * discovered topic and VAPID key, the primary registration, the kit's member and the first push
 * message) and deletes what it created when it ends, failed or not. The kit registers push
 * resources of its own embedded push service (plain HTTP on 127.0.0.1), so the target must accept
 * such push resources. {@link #coverage()} lists which scenario checks which requirement, and why
 * the others are not checked.
 *
 * <p>Thread safety: each {@link #run} is independent; a runner holds no state between runs.
 */
public final class ConformanceRunner {
  private ConformanceRunner() {}

  /**
   * Which scenario checks a requirement, or why none does.
   *
   * @param requirement the requirement
   * @param scenario the scenario's name, or null when none checks it
   * @param reason why none checks it, or null when one does
   *     <p>Thread safety: immutable.
   */
  public record Coverage(
      Requirement requirement, @Nullable String scenario, @Nullable String reason) {
    /**
     * Validates the parts: exactly one of scenario and reason.
     *
     * @param requirement as described on the record
     * @param scenario as described on the record
     * @param reason as described on the record
     */
    public Coverage {
      requireNonNull(requirement, "requirement");
      if ((scenario == null) == (reason == null)) {
        throw new IllegalArgumentException("exactly one of scenario and reason");
      }
    }
  }

  /**
   * The coverage of the catalogue, in catalogue order.
   *
   * @return one entry per catalogued requirement
   * @throws IllegalStateException if a requirement is covered twice, or neither covered nor
   *     explained (a defect of the kit)
   */
  public static List<Coverage> coverage() {
    List<Coverage> out = new ArrayList<>();
    for (Requirement r : RequirementCatalogue.all()) {
      List<String> by =
          Scenarios.all().stream().filter(s -> s.covers().contains(r)).map(Scenario::name).toList();
      String reason = Scenarios.notCovered().get(r);
      if (by.size() > 1 || (by.isEmpty() == (reason == null))) {
        throw new IllegalStateException(
            r.id() + ": covered by " + by + (reason == null ? "" : ", and explained: " + reason));
      }
      out.add(new Coverage(r, by.isEmpty() ? null : by.get(0), reason));
    }
    return out;
  }

  /**
   * The names of the scenarios, in run order.
   *
   * @return the names
   */
  public static List<String> scenarioNames() {
    return Scenarios.all().stream().map(Scenario::name).toList();
  }

  /**
   * Runs the selected scenarios against the target.
   *
   * @param options the target, timeouts, selection and progress listener
   * @return the report, one result per catalogue requirement
   * @throws TargetException if the target is unreachable, refuses the credentials, is not a
   *     collection, shows no WebDAV-Push support, or refuses the writes the kit needs
   */
  public static ConformanceReport run(RunnerOptions options) {
    requireNonNull(options, "options");
    Instant started = Instant.now();
    List<CheckResult> results = ScenarioRunner.run(options);
    return new ConformanceReport(options.target(), started, Instant.now(), results);
  }
}
