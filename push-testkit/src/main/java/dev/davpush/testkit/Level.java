package dev.davpush.testkit;

import java.util.Locale;

/**
 * The requirement level of RFC 2119 / RFC 8174 keywords, as the digest tags them.
 *
 * <p>Thread safety: immutable.
 */
public enum Level {
  /** MUST, MUST NOT, REQUIRED, SHALL. A failure makes the run fail (exit status 1). */
  MUST,
  /** SHOULD, SHOULD NOT, RECOMMENDED. A failure is reported at this level. */
  SHOULD,
  /** MAY, OPTIONAL, or descriptive text. Reported only. */
  MAY;

  /**
   * The JUnit tag and report spelling.
   *
   * @return {@code must}, {@code should} or {@code may}
   */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
