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
  INFO,
  /**
   * Not a requirement: whether the server accepts what a deployed client sends (the kit's {@code
   * CI-} entries, {@link Area#CLIENT_INTEROP}). Reported only, in a section of its own; it never
   * fails a run, not even a strict one. Only the requirements digest decides MUST and SHOULD.
   */
  INTEROP;

  /**
   * The JUnit tag and report spelling.
   *
   * @return {@code must}, {@code should}, {@code may}, {@code info} or {@code interop}
   */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a failure at this level fails a run.
   *
   * @param strict whether SHOULD failures count as well
   * @return true for MUST, and for SHOULD when strict; never for MAY, INFO or INTEROP
   */
  public boolean failsRun(boolean strict) {
    return this == MUST || (strict && this == SHOULD);
  }
}
