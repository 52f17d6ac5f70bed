package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.MixedRun;
import dev.davpush.testkit.report.SchemaValidation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client-interop findings in every rendering: a section of their own, never a run failure. */
class InteropReportTest {
  private static final String REFUSED =
      "refused, affects DAVx⁵ up to 4.5.19: push-register without trigger and content-encoding:"
          + " POST /dav/cal/ → 403";

  private static ConformanceReport report(boolean strict) {
    List<CheckResult> results =
        new ArrayList<>(
            List.of(
                MixedRun.result(
                    RequirementCatalogue.R_WDP_4, Outcome.PASSED, Level.MUST, "OPTIONS → DAV"),
                MixedRun.result(
                    RequirementCatalogue.BP_4, Outcome.PASSED, Level.SHOULD, "413 → 0 repeats"),
                MixedRun.result(RequirementCatalogue.CI_1, Outcome.FAILED, Level.INTEROP, REFUSED),
                MixedRun.result(
                    RequirementCatalogue.CI_2, Outcome.PASSED, Level.INTEROP, "… → notified"),
                MixedRun.result(
                    RequirementCatalogue.CI_3,
                    Outcome.NOT_TESTED,
                    Level.INTEROP,
                    "no push message arrived after a member change (R-WDP-34)")));
    return new ConformanceReport(
        URI.create("http://127.0.0.1:8080/dav/cal/"),
        MixedRun.STARTED,
        MixedRun.FINISHED,
        results,
        strict);
  }

  @Test
  void aRefusedClientFormFailsNoRunAndIsSummarisedApart() {
    for (boolean strict : List.of(false, true)) {
      ConformanceReport r = report(strict);
      assertThat(r.passed()).isTrue();
      assertThat(r.runFailures()).isEmpty();
      assertThat(r.verdict()).startsWith("run PASSED");
      assertThat(r.summary())
          .isEqualTo(
              "2 passed, 0 failed, 0 not applicable, 0 not tested;"
                  + " client interop: 1 accepted, 1 refused (CI-1), 1 not checked");
    }
    assertThat(report(false).interop())
        .extracting(c -> c.requirement().id())
        .containsExactly("CI-1", "CI-2", "CI-3");
    assertThat(report(false).failures()).extracting(c -> c.requirement().id()).contains("CI-1");
  }

  @Test
  void theTableListsTheFindingsAfterTheRequirementsUnderTheirOwnHeading() {
    String table = report(false).toTable();
    int heading = table.indexOf("CLIENT INTEROP");
    assertThat(heading).isPositive();
    assertThat(table.indexOf("R-WDP-4 ")).isLessThan(heading);
    assertThat(table.indexOf("BP-4 ")).isLessThan(heading);
    assertThat(table.indexOf("CI-1 ")).isGreaterThan(heading);
    assertThat(table).containsPattern("CI-1 +INTEROP +FAILED +refused, affects DAVx⁵ up to 4.5.19");
  }

  @Test
  void jsonWithBestPracticeAndInteropResultsValidatesAgainstTheShippedSchema() {
    ConformanceReport r = report(false);
    assertThat(SchemaValidation.errors(ConformanceReport.JSON_SCHEMA_RESOURCE, r.toJson()))
        .isEmpty();
    assertThat(r.toJson())
        .contains("\"area\" : \"client-interop\"", "\"level\" : \"INTEROP\"", "\"INTEROP\" : 1");
    ConformanceReport compared = r.withBaseline(Baseline.from(r, "DAVx⁵ registrations refused"));
    assertThat(SchemaValidation.errors(ConformanceReport.JSON_SCHEMA_RESOURCE, compared.toJson()))
        .isEmpty();
    assertThat(compared.accepted()).isTrue();
  }

  @Test
  void htmlHasAClientInteropSectionAndNoInteropFailureAmongTheFailures() {
    String html = report(false).toHtml();
    int failures = html.indexOf("<section id=\"failures\">");
    int interop = html.indexOf("<section id=\"client-interop\">");
    assertThat(failures).isPositive();
    assertThat(interop).isGreaterThan(failures);
    assertThat(html.substring(failures, interop)).contains("No requirement failed.");
    assertThat(html.substring(interop)).contains("CI-1", "DAVx⁵ up to 4.5.19");
  }

  @Test
  void junitXmlSkipsARefusalWithAnInteropMessage() {
    String xml = report(true).toJunitXml();
    assertThat(xml).contains("<skipped message=\"INTEROP: refused, affects DAVx⁵");
    assertThat(xml).doesNotContain("<failure");
    assertThat(xml).contains("classname=\"davpush-kit.client-interop\"");
  }
}
