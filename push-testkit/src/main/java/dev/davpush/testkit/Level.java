package dev.davpush.testkit;

import java.util.Locale;

/**
 * The requirement level of RFC 2119 / RFC 8174 keywords, as the requirements digest gives it.
 *
 * <p>Thread safety: immutable.
 */
public enum Level {
  /** MUST, MUST NOT, REQUIRED, SHALL. A failure makes the run fail (exit status 1). */
  MUST,
  /**
   * SHOULD, SHOULD NOT, RECOMMENDED. A failure is reported at this level; it fails the run only in
   * strict mode.
   */
  SHOULD,
  /** MAY, OPTIONAL. Reported only. */
  MAY,
  /** Descriptive text the digest marks as informative. Reported only. */
  INFO;

  /**
   * The JUnit tag and report spelling.
   *
   * @return {@code must}, {@code should}, {@code may} or {@code info}
   */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a failure at this level fails a run.
   *
   * @param strict whether SHOULD failures count as well
   * @return true for MUST, and for SHOULD when strict
   */
  public boolean failsRun(boolean strict) {
    return this == MUST || (strict && this == SHOULD);
  }
}
