package dev.davpush.testkit.report;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A hand-made run with every kind of result, for the report and baseline tests. */
public final class MixedRun {
  /** Evidence as a hostile server might shape it. */
  public static final String HOSTILE =
      "POST /dav/cal/ -> 500 <script>alert(\"x\")</script> & 'q' ]]> \u0007bell\r\nnext";

  public static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");
  public static final Instant FINISHED = Instant.parse("2026-12-01T10:00:07.250Z");

  private MixedRun() {}

  /** PASSED MUST, FAILED MUST (hostile), FAILED SHOULD, FAILED judged SHOULD, NOT_TESTED, N/A. */
  public static List<CheckResult> results() {
    return List.of(
        result(RequirementCatalogue.R_WDP_2, Outcome.FAILED, Level.SHOULD, "no web-push transport"),
        result(
            RequirementCatalogue.R_WDP_4,
            Outcome.PASSED,
            Level.MUST,
            "OPTIONS -> DAV: 1, 3, webdav-push"),
        result(RequirementCatalogue.R_WDP_17, Outcome.NOT_APPLICABLE, Level.MAY, "no GET body"),
        result(RequirementCatalogue.R_WDP_24, Outcome.FAILED, Level.MUST, HOSTILE),
        result(
            RequirementCatalogue.R_WDP_33,
            Outcome.NOT_TESTED,
            Level.MUST,
            "needs a hook that expires a registration"),
        result(
            RequirementCatalogue.R_WDP_62,
            Outcome.FAILED,
            Level.SHOULD,
            "DELETE by the second user -> 204"));
  }

  public static ConformanceReport report(boolean strict) {
    return new ConformanceReport(
        URI.create("http://127.0.0.1:8080/dav/cal/"), STARTED, FINISHED, results(), strict);
  }

  public static ConformanceReport report() {
    return report(false);
  }

  public static CheckResult result(Requirement r, Outcome o, Level judged, String evidence) {
    return new CheckResult(
        r, o, judged, evidence, r.area().label(), Duration.ofMillis(1250 + r.id().length()));
  }
}
