package dev.davpush.testkit;

import static java.util.Objects.requireNonNull;

/**
 * One requirement of the project's requirements digest, or a best practice of the kit's own ({@code
 * docs/requirements.md} lists them).
 *
 * @param id the stable identifier: {@code R-WDP-25} for the digest's, {@code BP-1} for a best
 *     practice the kit checks where neither the draft nor the RFCs state a requirement, {@code
 *     CI-1} for a client-interop finding (level {@link Level#INTEROP}, not a requirement)
 * @param level the level the digest gives it; a single check may judge a weaker clause of it (see
 *     {@link dev.davpush.testkit.runner.CheckResult#level()})
 * @param area the kit's area
 * @param section where the source states it, for example {@code draft-bitfire-webdav-push §3.1.3}
 * @param summary a one-line paraphrase
 *     <p>Thread safety: immutable.
 */
public record Requirement(String id, Level level, Area area, String section, String summary) {
  /**
   * Validates the parts.
   *
   * @param id as described on the record
   * @param level as described on the record
   * @param area as described on the record
   * @param section as described on the record
   * @param summary as described on the record
   */
  public Requirement {
    requireNonNull(id, "id");
    requireNonNull(level, "level");
    requireNonNull(area, "area");
    requireNonNull(section, "section");
    requireNonNull(summary, "summary");
    if (!id.matches("R-[A-Z0-9]+-[0-9]+|BP-[0-9]+|CI-[0-9]+")) {
      throw new IllegalArgumentException(
          "id: expected R-<SPEC>-<n> (the digest), BP-<n> or CI-<n> (the kit's own), got '"
              + id
              + "'");
    }
    if (id.startsWith("CI-") != (level == Level.INTEROP)) {
      throw new IllegalArgumentException(
          "level: CI- entries and only they have level INTEROP; " + id + " has " + level);
    }
  }

  /**
   * The display name prefix of a check: {@code [R-WDP-25] MUST}.
   *
   * @return the prefix
   */
  public String label() {
    return "[" + id + "] " + level;
  }

  /**
   * The spec document this requirement comes from.
   *
   * @return for example {@code draft-bitfire-webdav-push}, {@code RFC 8291}, {@code davpush best
   *     practice} for a {@code BP-} ID, or {@code davpush client interop} for a {@code CI-} ID
   */
  public String document() {
    if (id.startsWith("BP-")) {
      return "davpush best practice";
    }
    if (id.startsWith("CI-")) {
      return "davpush client interop";
    }
    int s = section.indexOf('§');
    return (s < 0 ? section : section.substring(0, s)).trim();
  }
}
