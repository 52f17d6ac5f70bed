package dev.davpush.testkit.internal.scenario;

import dev.davpush.PushException;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.internal.client.DavClientException;
import dev.davpush.testkit.internal.client.DavHttpClient;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.RunnerOptions;
import dev.davpush.testkit.runner.TargetException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs the selected scenarios in order against one target and collects one result per catalogued
 * requirement.
 *
 * <p>Thread safety: each {@link #run} is independent.
 */
public final class ScenarioRunner {
  private ScenarioRunner() {}

  /**
   * The scenarios a run with these options executes: those covering a selected requirement, and
   * those they build on, in run order.
   *
   * @param options the options
   * @return the scenarios
   */
  public static List<Scenario> selected(RunnerOptions options) {
    Set<String> names = new LinkedHashSet<>();
    List<Scenario> all = Scenarios.all();
    for (int i = all.size() - 1; i >= 0; i--) {
      Scenario s = all.get(i);
      boolean wanted = names.contains(s.name()) || s.covers().stream().anyMatch(options::selects);
      if (wanted) {
        names.add(s.name());
        names.addAll(s.buildsOn());
      }
    }
    return all.stream().filter(s -> names.contains(s.name())).toList();
  }

  /**
   * Runs the kit.
   *
   * @param options the target, timeouts, selection and listener
   * @return one result per catalogued requirement, in catalogue order
   * @throws TargetException if the target cannot be checked at all
   */
  public static List<CheckResult> run(RunnerOptions options) {
    Objects.requireNonNull(options, "options");
    Map<String, Duration> durations = new HashMap<>();
    Map<Requirement, String> reasons = new HashMap<>();
    Secrets secrets = new Secrets();
    URI target = options.target();
    List<Scenario> scenarios = selected(options);
    RunContext ctx;
    try (EmbeddedPushService service = options.pushServiceBuilder().start();
        WebDavPushClient first =
            new WebDavPushClient(
                new DavHttpClient(
                    target, options.user().orElse(null), options.password().orElse(null)));
        @Nullable WebDavPushClient second =
            options.secondUser().isEmpty()
                ? null
                : new WebDavPushClient(
                    new DavHttpClient(
                        target, options.secondUser().get(), options.secondPassword().orElse("")))) {
      ctx = new RunContext(options, first, second, service, secrets);
      try {
        int index = 0;
        for (Scenario s : scenarios) {
          index++;
          runOne(ctx, s, index, scenarios.size(), durations, reasons);
        }
      } finally {
        ctx.cleanUpRun();
      }
    } catch (DavClientException e) {
      throw new TargetException(
          Objects.requireNonNullElse(e.getMessage(), "the DAV server gave no HTTP answer"), e);
    }
    List<CheckResult> raw =
        ctx.record()
            .complete(
                RequirementCatalogue.all(),
                durations,
                r ->
                    reasons.getOrDefault(
                        r,
                        Scenarios.notCovered()
                            .getOrDefault(r, "no scenario of this run covers it")));
    List<CheckResult> out = new ArrayList<>();
    for (CheckResult r : raw) {
      out.add(
          options.selects(r.requirement())
              ? r
              : CheckResult.of(
                  r.requirement(), Outcome.NOT_TESTED, "not selected (--only / --skip)"));
    }
    return out;
  }

  private static void runOne(
      RunContext ctx,
      Scenario s,
      int index,
      int count,
      Map<String, Duration> durations,
      Map<Requirement, String> reasons) {
    options(ctx).listener().scenarioStarted(s.name(), index, count);
    long start = System.nanoTime();
    Recorder rec = ctx.record();
    rec.enter(s);
    String stopped = null;
    try {
      for (Need n : s.needs()) {
        if (n == Need.SECOND_USER && ctx.secondUser().isEmpty()) {
          throw new Unmet("needs " + n.describe());
        }
      }
      s.run(ctx);
    } catch (Unmet e) {
      stopped = e.getMessage();
    } catch (TargetException | DavClientException e) {
      throw e;
    } catch (PushException e) {
      stopped = "the scenario stopped: " + e.getMessage();
    } finally {
      ctx.cleanUpScenario();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    durations.put(s.name(), took);
    String why = stopped != null ? stopped : "scenario " + s.name() + " ended without checking it";
    List<Requirement> mine = new ArrayList<>();
    for (Requirement r : RequirementCatalogue.all()) {
      if (s.covers().contains(r)) {
        mine.add(r);
        if (!rec.recorded(r)) {
          reasons.putIfAbsent(r, why);
        }
      }
    }
    List<CheckResult> results =
        rec.complete(mine, Map.of(s.name(), took), r -> reasons.getOrDefault(r, why));
    options(ctx).listener().scenarioFinished(s.name(), results, took);
  }

  private static RunnerOptions options(RunContext ctx) {
    return ctx.options();
  }
}
