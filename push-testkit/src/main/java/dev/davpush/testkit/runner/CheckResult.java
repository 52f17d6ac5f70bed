package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import java.time.Duration;

/**
 * The outcome of one requirement in one run, with one line of evidence (request line, status,
 * relevant headers). Evidence never holds a secret: push-resource URLs, registration-URL
 * identifiers, keys, auth secrets, VAPID tokens and passwords are redacted before a result is made.
 *
 * @param requirement the requirement
 * @param outcome the outcome
 * @param level the level at which the outcome counts: the requirement's level, or the weaker level
 *     of the clause the check judged (R-WDP-62's binding of registrations to their user is a SHOULD
 *     inside a MUST requirement); never stronger than {@code requirement.level()}
 * @param evidence what was observed, one line
 * @param scenario the name of the scenario that recorded the outcome, or {@code -} when none did
 * @param duration how long that scenario ran, zero when none did
 *     <p>Thread safety: immutable.
 */
public record CheckResult(
    Requirement requirement,
    Outcome outcome,
    Level level,
    String evidence,
    String scenario,
    Duration duration) {
  /**
   * Validates the parts.
   *
   * @param requirement as described on the record
   * @param outcome as described on the record
   * @param level as described on the record
   * @param evidence as described on the record
   * @param scenario as described on the record
   * @param duration as described on the record
   * @throws IllegalArgumentException if {@code level} is stronger than the requirement's, or the
   *     duration is negative
   */
  public CheckResult {
    requireNonNull(requirement, "requirement");
    requireNonNull(outcome, "outcome");
    requireNonNull(level, "level");
    requireNonNull(evidence, "evidence");
    requireNonNull(scenario, "scenario");
    requireNonNull(duration, "duration");
    if (level.compareTo(requirement.level()) < 0) {
      throw new IllegalArgumentException(
          "level " + level + " is stronger than " + requirement.id() + "'s " + requirement.level());
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: negative " + duration);
    }
  }

  /**
   * A result at the requirement's own level, outside any scenario.
   *
   * @param requirement the requirement
   * @param outcome the outcome
   * @param evidence what was observed, one line
   * @return the result
   */
  public static CheckResult of(Requirement requirement, Outcome outcome, String evidence) {
    return new CheckResult(requirement, outcome, requirement.level(), evidence, "-", Duration.ZERO);
  }

  /**
   * Whether this result fails a run.
   *
   * @param strict whether SHOULD failures count
   * @return true if FAILED at MUST level (or SHOULD level when strict)
   */
  public boolean failsRun(boolean strict) {
    return outcome == Outcome.FAILED && level.failsRun(strict);
  }
}
