package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;

/**
 * The outcome of one requirement in one run, with one line of evidence (request line, status,
 * relevant headers; secrets redacted).
 *
 * @param requirement the requirement
 * @param outcome the outcome
 * @param evidence what was observed, one line
 *     <p>Thread safety: immutable.
 */
public record CheckResult(Requirement requirement, Outcome outcome, String evidence) {
  /**
   * Validates the parts.
   *
   * @param requirement as described on the record
   * @param outcome as described on the record
   * @param evidence as described on the record
   */
  public CheckResult {
    requireNonNull(requirement, "requirement");
    requireNonNull(outcome, "outcome");
    requireNonNull(evidence, "evidence");
  }
}
