package dev.davpush.testkit.report;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.runner.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run compared with a {@link Baseline}, at the run's strictness. Every result of the run falls
 * into at most one of three lists:
 *
 * <ul>
 *   <li>{@linkplain #newlyFailing() newly failing}: FAILED now (at any level), and the baseline
 *       does not expect FAILED;
 *   <li>{@linkplain #newlyPassing() newly passing}: PASSED now, and the baseline expects a
 *       deviation (update the baseline);
 *   <li>{@linkplain #stillDeviating() still deviating}: the baseline expects a deviation and the
 *       result is still not PASSED (its outcome may differ from the expected one; the result says
 *       which).
 * </ul>
 *
 * <p>The run {@linkplain #matches() matches} when every result that fails the run ({@link
 * CheckResult#failsRun(boolean)}) is expected FAILED by the baseline. Newly passing requirements
 * and new failures that do not fail the run (a SHOULD when not strict) do not spoil a match.
 *
 * <p>Thread safety: immutable.
 */
public final class BaselineComparison {
  private final Baseline baseline;
  private final boolean strict;
  private final List<CheckResult> newlyFailing;
  private final List<CheckResult> newlyPassing;
  private final List<CheckResult> stillDeviating;

  BaselineComparison(Baseline baseline, List<CheckResult> results, boolean strict) {
    this.baseline = baseline;
    this.strict = strict;
    List<CheckResult> failing = new ArrayList<>();
    List<CheckResult> passing = new ArrayList<>();
    List<CheckResult> still = new ArrayList<>();
    for (CheckResult r : results) {
      Optional<Baseline.Expectation> e = baseline.expectation(r.requirement().id());
      if (r.outcome() == Outcome.FAILED && e.map(x -> x.outcome() != Outcome.FAILED).orElse(true)) {
        failing.add(r);
      } else if (e.isPresent() && r.outcome() == Outcome.PASSED) {
        passing.add(r);
      } else if (e.isPresent()) {
        still.add(r);
      }
    }
    this.newlyFailing = List.copyOf(failing);
    this.newlyPassing = List.copyOf(passing);
    this.stillDeviating = List.copyOf(still);
  }

  /** {@return the baseline compared with} */
  public Baseline baseline() {
    return baseline;
  }

  /** {@return the results that failed and that the baseline does not expect to fail} */
  public List<CheckResult> newlyFailing() {
    return newlyFailing;
  }

  /** {@return the results that passed although the baseline expects a deviation} */
  public List<CheckResult> newlyPassing() {
    return newlyPassing;
  }

  /** {@return the results the baseline expects to deviate and that still do} */
  public List<CheckResult> stillDeviating() {
    return stillDeviating;
  }

  /**
   * Whether a result that fails the run is excused by the baseline.
   *
   * @param result a result of the compared run
   * @return true if it is FAILED and the baseline expects FAILED for its ID
   */
  public boolean expected(CheckResult result) {
    return result.outcome() == Outcome.FAILED
        && baseline
            .expectation(result.requirement().id())
            .map(e -> e.outcome() == Outcome.FAILED)
            .orElse(false);
  }

  /** {@return the newly failing results that fail the run at the compared strictness} */
  public List<CheckResult> newRunFailures() {
    return newlyFailing.stream().filter(r -> r.failsRun(strict)).toList();
  }

  /**
   * Whether nothing fails the run except what the baseline lists: the exit status 0 condition of a
   * run with {@code --baseline}.
   *
   * @return true if no newly failing result fails the run
   */
  public boolean matches() {
    return newRunFailures().isEmpty();
  }

  /**
   * One line for the console and the reports, for example {@code baseline: 1 expected deviation, 0
   * new failures, 1 newly passing (R-WDP-4); matches}.
   *
   * @return the line, without a line break
   */
  public String summary() {
    StringBuilder sb = new StringBuilder("baseline: ");
    sb.append(count(stillDeviating.size(), "expected deviation", "expected deviations"));
    sb.append(", ").append(count(newRunFailures().size(), "new failure", "new failures"));
    sb.append(ids(newRunFailures()));
    int otherNew = newlyFailing.size() - newRunFailures().size();
    if (otherNew > 0) {
      sb.append(", ")
          .append(
              count(
                  otherNew,
                  "new failure that does not fail the run",
                  "new failures that do not fail the run"));
      sb.append(ids(newlyFailing.stream().filter(r -> !r.failsRun(strict)).toList()));
    }
    sb.append(", ").append(newlyPassing.size()).append(" newly passing");
    sb.append(ids(newlyPassing));
    sb.append(matches() ? "; matches" : "; does not match");
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String ids(List<CheckResult> rs) {
    if (rs.isEmpty()) {
      return "";
    }
    return rs.stream()
        .map(r -> r.requirement().id())
        .collect(java.util.stream.Collectors.joining(", ", " (", ")"));
  }
}
