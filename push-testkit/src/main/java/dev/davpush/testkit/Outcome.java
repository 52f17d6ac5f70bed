package dev.davpush.testkit;

/**
 * The outcome of one check of one requirement.
 *
 * <p>Thread safety: immutable.
 */
public enum Outcome {
  /** The target behaved as the requirement says. */
  PASSED,
  /** The target did not; the level says how much that matters. */
  FAILED,
  /** The target declares it does not have the feature the requirement is about. */
  NOT_APPLICABLE,
  /** The check could not be made in this run (for example, an earlier step it needs failed). */
  NOT_TESTED
}
