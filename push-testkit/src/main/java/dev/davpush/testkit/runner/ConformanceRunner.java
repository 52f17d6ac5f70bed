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
 * resources of its own embedded push service (by default plain HTTP on 127.0.0.1; HTTPS, bind
 * address and advertised URL through {@link RunnerOptions.Builder#pushServiceHttps} and its
 * siblings), so the target must accept such push resources; a refusal the kit cannot fix stops the
 * run with a {@link TargetException} ({@code docs/kit-reach.md}). {@link #coverage()} lists which
 * scenario checks which requirement, and why the others are not checked.
 *
 * <p>Thread safety: each {@link #run} is independent; a runner holds no state between runs.
 */
public final class ConformanceRunner {
  private ConformanceRunner() {}

  /**
   * Which scenarios check a requirement, or why none does.
   *
   * @param requirement the requirement
   * @param scenarios the names of the scenarios that check it, in run order; empty when none does
   * @param reason why none checks it, or null when some do
   *     <p>Thread safety: immutable.
   */
  public record Coverage(Requirement requirement, List<String> scenarios, @Nullable String reason) {
    /**
     * Validates the parts: scenarios or a reason, not both.
     *
     * @param requirement as described on the record
     * @param scenarios as described on the record; copied
     * @param reason as described on the record
     */
    public Coverage {
      requireNonNull(requirement, "requirement");
      scenarios = List.copyOf(scenarios);
      if (scenarios.isEmpty() == (reason == null)) {
        throw new IllegalArgumentException("scenarios or a reason, not both and not neither");
      }
    }
  }

  /**
   * The coverage of the catalogue, in catalogue order.
   *
   * @return one entry per catalogued requirement
   * @throws IllegalStateException if a requirement is both covered and explained, or neither (a
   *     defect of the kit)
   */
  public static List<Coverage> coverage() {
    List<Coverage> out = new ArrayList<>();
    for (Requirement r : RequirementCatalogue.all()) {
      List<String> by =
          Scenarios.all().stream().filter(s -> s.covers().contains(r)).map(Scenario::name).toList();
      String reason = Scenarios.notCovered().get(r);
      if (by.isEmpty() == (reason == null)) {
        throw new IllegalStateException(
            r.id() + ": covered by " + by + (reason == null ? "" : ", and explained: " + reason));
      }
      out.add(new Coverage(r, by, reason));
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
   *     collection, shows no WebDAV-Push support, refuses the writes the kit needs, or refuses or
   *     cannot reach the kit's push service for a reason of its configuration (plain HTTP, a
   *     loopback address, an untrusted certificate)
   */
  public static ConformanceReport run(RunnerOptions options) {
    requireNonNull(options, "options");
    Instant started = Instant.now();
    List<CheckResult> results = ScenarioRunner.run(options);
    return new ConformanceReport(
        options.target(), started, Instant.now(), results, options.strict());
  }
}
