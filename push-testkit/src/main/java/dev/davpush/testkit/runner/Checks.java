package dev.davpush.testkit.runner;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects the outcomes of one run. A requirement checked several times keeps its first failure,
 * else its first pass; NOT_APPLICABLE and NOT_TESTED never overwrite a pass or a failure.
 *
 * <p>Thread safety: confined to the runner's thread.
 */
final class Checks {
  private final Map<String, CheckResult> results = new LinkedHashMap<>();
  private @Nullable String stopReason;

  void check(String id, boolean ok, String evidence) {
    if (ok) {
      pass(id, evidence);
    } else {
      fail(id, evidence);
    }
  }

  void pass(String id, String evidence) {
    CheckResult old = results.get(id);
    if (old == null
        || old.outcome() == Outcome.NOT_TESTED
        || old.outcome() == Outcome.NOT_APPLICABLE) {
      results.put(id, CheckResult.of(RequirementCatalogue.get(id), Outcome.PASSED, evidence));
    }
  }

  void fail(String id, String evidence) {
    CheckResult old = results.get(id);
    if (old == null || old.outcome() != Outcome.FAILED) {
      results.put(id, CheckResult.of(RequirementCatalogue.get(id), Outcome.FAILED, evidence));
    }
  }

  void notTested(String id, String why) {
    results.putIfAbsent(id, CheckResult.of(RequirementCatalogue.get(id), Outcome.NOT_TESTED, why));
  }

  void notApplicable(String id, String why) {
    CheckResult old = results.get(id);
    if (old == null || old.outcome() == Outcome.NOT_TESTED) {
      results.put(id, CheckResult.of(RequirementCatalogue.get(id), Outcome.NOT_APPLICABLE, why));
    }
  }

  boolean passed(String id) {
    CheckResult r = results.get(id);
    return r != null && r.outcome() == Outcome.PASSED;
  }

  /** The run ended early; requirements without a result are reported as not reached. */
  void stoppedBecause(String reason) {
    this.stopReason = reason;
  }

  /** One result per catalogue requirement, in catalogue order. */
  List<CheckResult> complete() {
    String missing =
        stopReason == null ? "no check of this run covers it" : "not reached: " + stopReason;
    List<CheckResult> out = new ArrayList<>();
    for (Requirement r : RequirementCatalogue.all()) {
      CheckResult c = results.get(r.id());
      out.add(c != null ? c : CheckResult.of(r, Outcome.NOT_TESTED, missing));
    }
    return out;
  }
}
