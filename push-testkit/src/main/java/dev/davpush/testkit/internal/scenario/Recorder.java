package dev.davpush.testkit.internal.scenario;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.runner.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Collects the outcomes of one run. A requirement checked several times keeps its strongest failure
 * (MUST over SHOULD), else its first failure, else its first pass; NOT_APPLICABLE and NOT_TESTED
 * never overwrite a pass or a failure. Every evidence line passes through the run's {@link Secrets}
 * first.
 *
 * <p>Thread safety: confined to the runner's thread.
 */
public final class Recorder {
  private final Secrets secrets;
  private final Map<Requirement, Entry> results = new LinkedHashMap<>();
  private @Nullable String scenario;
  private Set<Requirement> allowed = Set.of();

  /** A recorded outcome and the scenario that recorded it. */
  private record Entry(Outcome outcome, Level level, String evidence, String scenario) {}

  Recorder(Secrets secrets) {
    this.secrets = secrets;
  }

  /** Starts recording for a scenario; only the requirements it covers may be recorded. */
  void enter(Scenario s) {
    this.scenario = s.name();
    this.allowed = s.covers();
  }

  /**
   * Records a pass or a failure at the requirement's level.
   *
   * @param r the requirement
   * @param ok whether the target behaved as required
   * @param evidence what was observed, one line
   */
  public void check(Requirement r, boolean ok, String evidence) {
    if (ok) {
      pass(r, evidence);
    } else {
      fail(r, evidence);
    }
  }

  /**
   * Records a pass or a failure judged at a weaker level than the requirement's.
   *
   * @param r the requirement
   * @param level the level of the clause checked
   * @param ok whether the target behaved as required
   * @param evidence what was observed
   */
  public void check(Requirement r, Level level, boolean ok, String evidence) {
    if (ok) {
      pass(r, evidence);
    } else {
      fail(r, level, evidence);
    }
  }

  /**
   * Records a pass.
   *
   * @param r the requirement
   * @param evidence what was observed
   */
  public void pass(Requirement r, String evidence) {
    Entry old = results.get(guard(r));
    if (old == null
        || old.outcome() == Outcome.NOT_TESTED
        || old.outcome() == Outcome.NOT_APPLICABLE) {
      put(r, Outcome.PASSED, r.level(), evidence);
    }
  }

  /**
   * Records a failure at the requirement's level.
   *
   * @param r the requirement
   * @param evidence what was observed
   */
  public void fail(Requirement r, String evidence) {
    fail(r, r.level(), evidence);
  }

  /**
   * Records a failure at the level of the clause checked.
   *
   * @param r the requirement
   * @param level the clause's level, not stronger than the requirement's
   * @param evidence what was observed
   */
  public void fail(Requirement r, Level level, String evidence) {
    Entry old = results.get(guard(r));
    if (old == null || old.outcome() != Outcome.FAILED || level.compareTo(old.level()) < 0) {
      put(r, Outcome.FAILED, level, evidence);
    }
  }

  /**
   * Records that a check could not be made.
   *
   * @param r the requirement
   * @param why the reason
   */
  public void notTested(Requirement r, String why) {
    if (!results.containsKey(guard(r))) {
      put(r, Outcome.NOT_TESTED, r.level(), why);
    }
  }

  /**
   * Records that the target declares it lacks the feature.
   *
   * @param r the requirement
   * @param why the reason
   */
  public void notApplicable(Requirement r, String why) {
    Entry old = results.get(guard(r));
    if (old == null || old.outcome() == Outcome.NOT_TESTED) {
      put(r, Outcome.NOT_APPLICABLE, r.level(), why);
    }
  }

  /**
   * Whether a requirement has passed so far.
   *
   * @param r the requirement
   * @return true if PASSED
   */
  public boolean passed(Requirement r) {
    Entry e = results.get(r);
    return e != null && e.outcome() == Outcome.PASSED;
  }

  /**
   * Whether a requirement has failed so far.
   *
   * @param r the requirement
   * @return true if FAILED
   */
  public boolean failedHere(Requirement r) {
    Entry e = results.get(r);
    return e != null && e.outcome() == Outcome.FAILED;
  }

  boolean recorded(Requirement r) {
    return results.containsKey(r);
  }

  private Requirement guard(Requirement r) {
    if (!allowed.contains(r)) {
      throw new IllegalStateException(
          "scenario " + scenario + " records " + r.id() + " but does not declare it in covers()");
    }
    return r;
  }

  private void put(Requirement r, Outcome outcome, Level level, String evidence) {
    results.put(
        r, new Entry(outcome, level, secrets.scrub(evidence), scenario == null ? "-" : scenario));
  }

  /**
   * One result per requirement in the given order; missing ones get NOT_TESTED with the reason the
   * function gives.
   *
   * @param order the requirements, in report order
   * @param durations how long each scenario ran, by name
   * @param missing the NOT_TESTED reason for a requirement with no result
   * @return the results
   */
  List<CheckResult> complete(
      List<Requirement> order,
      Map<String, Duration> durations,
      java.util.function.Function<Requirement, String> missing) {
    List<CheckResult> out = new ArrayList<>();
    for (Requirement r : order) {
      Entry e = results.get(r);
      if (e == null) {
        out.add(CheckResult.of(r, Outcome.NOT_TESTED, missing.apply(r)));
      } else {
        out.add(
            new CheckResult(
                r,
                e.outcome(),
                e.level(),
                e.evidence(),
                e.scenario(),
                durations.getOrDefault(e.scenario(), Duration.ZERO)));
      }
    }
    return out;
  }
}
