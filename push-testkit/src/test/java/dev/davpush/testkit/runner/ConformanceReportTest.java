package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.JunitXmlDom;
import dev.davpush.testkit.report.MixedRun;
import dev.davpush.testkit.report.SchemaValidation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ConformanceReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String EXPECTED_HOSTILE_IN_XML =
      "POST /dav/cal/ -> 500 <script>alert(\"x\")</script> & 'q' ]]> \uFFFDbell\r\nnext";

  @Nested
  class Verdict {
    @Test
    void failsWhenAMustFailsAndCountsFailuresPerLevel() {
      ConformanceReport report = MixedRun.report();

      assertThat(report.passed()).isFalse();
      assertThat(report.accepted()).isFalse();
      assertThat(report.mustPassed()).isFalse();
      assertThat(report.runFailures())
          .extracting(r -> r.requirement().id())
          .containsExactly("R-WDP-24");
      assertThat(report.failures()).hasSize(3);
      assertThat(report.counts())
          .containsEntry(Outcome.PASSED, 1)
          .containsEntry(Outcome.FAILED, 3)
          .containsEntry(Outcome.NOT_TESTED, 1)
          .containsEntry(Outcome.NOT_APPLICABLE, 1);
      assertThat(report.failuresByLevel())
          .containsEntry(Level.MUST, 1)
          .containsEntry(Level.SHOULD, 2)
          .containsEntry(Level.MAY, 0);
      assertThat(report.summary())
          .isEqualTo("1 passed, 3 failed (1 MUST, 2 SHOULD), 1 not applicable, 1 not tested");
      assertThat(report.verdict()).isEqualTo("run FAILED: 1 failure fails the run (R-WDP-24)");
    }

    @Test
    void passesWithShouldFailuresUnlessStrict() {
      List<CheckResult> noMust = new ArrayList<>(MixedRun.results());
      noMust.removeIf(r -> r.requirement().id().equals("R-WDP-24"));
      ConformanceReport lenient =
          new ConformanceReport(
              URI.create("http://127.0.0.1/dav/"), MixedRun.STARTED, MixedRun.FINISHED, noMust);

      assertThat(lenient.passed()).isTrue();
      assertThat(lenient.accepted()).isTrue();
      assertThat(lenient.verdict()).isEqualTo("run PASSED");
      ConformanceReport strict = lenient.withStrict(true);
      assertThat(strict.passed()).isFalse();
      assertThat(strict.runFailures())
          .extracting(r -> r.requirement().id())
          .containsExactly("R-WDP-2", "R-WDP-62");
      assertThat(strict.verdict()).startsWith("run FAILED (strict: SHOULD failures count)");
    }

    @Test
    void aBaselineThatListsTheFailureAcceptsTheRunAndSaysSo() {
      ConformanceReport report =
          MixedRun.report()
              .withBaseline(
                  Baseline.of(
                      List.of(new Baseline.Expectation("R-WDP-24", Outcome.FAILED, "known, #12"))));

      assertThat(report.passed()).isFalse();
      assertThat(report.accepted()).isTrue();
      assertThat(report.verdict())
          .isEqualTo(
              "run PASSED with the baseline: 1 failure fails the run, all expected (R-WDP-24)");
      assertThat(report.toTable())
          .contains(
              "baseline: 1 expected deviation, 0 new failures, 2 new failures that do not fail"
                  + " the run (R-WDP-2, R-WDP-62), 0 newly passing; matches");
    }

    @Test
    void rejectsTwoResultsForOneRequirementAndAnEndBeforeTheStart() {
      List<CheckResult> twice = new ArrayList<>(MixedRun.results());
      twice.add(twice.get(0));
      URI t = URI.create("http://127.0.0.1/dav/");

      assertThatThrownBy(() -> new ConformanceReport(t, MixedRun.STARTED, MixedRun.FINISHED, twice))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("R-WDP-2 has more than one result");
      assertThatThrownBy(
              () ->
                  new ConformanceReport(t, MixedRun.FINISHED, MixedRun.STARTED, MixedRun.results()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("before started");
    }

    @Test
    void reportsTheKitAndDraftVersions() {
      ConformanceReport report = MixedRun.report();

      // the test classes do not come from a jar with a manifest
      assertThat(report.kitVersion()).isEqualTo(ConformanceReport.DEVELOPMENT_BUILD);
      assertThat(report.draftVersion())
          .startsWith("draft-bitfire-webdav-push-00")
          .contains("611abe2");
    }
  }

  @Nested
  class Table {
    @Test
    void listsEveryResultWithTheLevelJudgedAndOneLineOfEvidence() {
      String table = MixedRun.report().toTable();

      assertThat(table.lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("ID"));
      assertThat(table)
          .containsPattern("R-WDP-62 +SHOULD +FAILED +DELETE by the second user -> 204")
          .containsPattern("R-WDP-24 +MUST +FAILED +POST /dav/cal/")
          .containsPattern("R-WDP-33 +MUST +NOT_TESTED +needs a hook")
          .contains("target http://127.0.0.1:8080/dav/cal/")
          .contains("summary: 1 passed, 3 failed (1 MUST, 2 SHOULD)")
          .endsWith("run FAILED: 1 failure fails the run (R-WDP-24)\n");
      // the evidence's line break does not break the table's row
      assertThat(table.lines().filter(l -> l.startsWith("next"))).isEmpty();
    }
  }

  @Nested
  class Json {
    @Test
    void validatesAgainstTheShippedSchemaWithAndWithoutABaseline() {
      ConformanceReport plain = MixedRun.report();
      ConformanceReport compared =
          MixedRun.report(true).withBaseline(Baseline.from(MixedRun.report(), "known"));

      assertThat(SchemaValidation.errors(ConformanceReport.JSON_SCHEMA_RESOURCE, plain.toJson()))
          .isEmpty();
      assertThat(SchemaValidation.errors(ConformanceReport.JSON_SCHEMA_RESOURCE, compared.toJson()))
          .isEmpty();
    }

    @Test
    void theSchemaRejectsADocumentWithoutItsVersionFields() throws IOException {
      ObjectNode doc = (ObjectNode) JSON.readTree(MixedRun.report().toJson());
      doc.remove("kitVersion");
      doc.put("schemaVersion", 3);

      assertThat(SchemaValidation.errors(ConformanceReport.JSON_SCHEMA_RESOURCE, doc.toString()))
          .hasSizeGreaterThanOrEqualTo(2)
          .anySatisfy(e -> assertThat(e).contains("kitVersion"))
          .anySatisfy(e -> assertThat(e).contains("schemaVersion"));
    }

    @Test
    void carriesTheRunAndEveryResult() throws IOException {
      JsonNode doc = JSON.readTree(MixedRun.report().toJson());

      assertThat(doc.get("schemaVersion").intValue()).isEqualTo(2);
      assertThat(doc.get("kitVersion").textValue()).isEqualTo(ConformanceReport.DEVELOPMENT_BUILD);
      assertThat(doc.get("draftVersion").textValue()).isEqualTo(ConformanceReport.DRAFT_VERSION);
      assertThat(doc.get("target").textValue()).isEqualTo("http://127.0.0.1:8080/dav/cal/");
      assertThat(doc.get("started").textValue()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(doc.get("finished").textValue()).isEqualTo("2026-12-01T10:00:07.250Z");
      assertThat(doc.get("durationMillis").longValue()).isEqualTo(7250);
      assertThat(doc.get("strict").booleanValue()).isFalse();
      assertThat(doc.get("passed").booleanValue()).isFalse();
      assertThat(doc.get("accepted").booleanValue()).isFalse();
      assertThat(doc.get("baseline").isNull()).isTrue();
      assertThat(doc.at("/counts/FAILED").intValue()).isEqualTo(3);
      assertThat(doc.at("/counts/failingRun").intValue()).isEqualTo(1);
      assertThat(doc.at("/failuresByLevel/SHOULD").intValue()).isEqualTo(2);
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      doc.get("results").forEach(r -> byId.put(r.get("id").textValue(), r));
      assertThat(byId.keySet())
          .containsExactly("R-WDP-2", "R-WDP-4", "R-WDP-17", "R-WDP-24", "R-WDP-33", "R-WDP-62");
      JsonNode judged = byId.get("R-WDP-62");
      assertThat(judged.get("outcome").textValue()).isEqualTo("FAILED");
      assertThat(judged.get("level").textValue()).isEqualTo("SHOULD");
      assertThat(judged.get("requirementLevel").textValue()).isEqualTo("MUST");
      assertThat(judged.get("section").textValue())
          .isEqualTo(RequirementCatalogue.R_WDP_62.section());
      assertThat(judged.get("summary").textValue())
          .isEqualTo(RequirementCatalogue.R_WDP_62.summary());
      assertThat(judged.get("area").textValue()).isEqualTo("security");
      assertThat(judged.get("scenario").textValue()).isEqualTo("security");
      assertThat(judged.get("scenarioDurationMillis").longValue()).isEqualTo(1258);
      assertThat(judged.get("failsRun").booleanValue()).isFalse();
      assertThat(byId.get("R-WDP-24").get("evidence").textValue()).isEqualTo(MixedRun.HOSTILE);
      assertThat(byId.get("R-WDP-24").get("failsRun").booleanValue()).isTrue();
    }

    @Test
    void showsTheBaselineComparison() throws IOException {
      Baseline b =
          Baseline.of(
              List.of(
                  new Baseline.Expectation("R-WDP-4", Outcome.FAILED, "was broken"),
                  new Baseline.Expectation("R-WDP-24", Outcome.FAILED, "known")));
      JsonNode doc = JSON.readTree(MixedRun.report().withBaseline(b).toJson());

      assertThat(doc.at("/baseline/matches").booleanValue()).isTrue();
      assertThat(doc.at("/baseline/expectations").intValue()).isEqualTo(2);
      assertThat(doc.at("/baseline/newlyPassing/0").textValue()).isEqualTo("R-WDP-4");
      assertThat(doc.at("/baseline/stillDeviating/0").textValue()).isEqualTo("R-WDP-24");
      assertThat(doc.at("/baseline/newRunFailures").size()).isZero();
      assertThat(doc.at("/baseline/newlyFailing").size()).isEqualTo(2);
      assertThat(doc.get("accepted").booleanValue()).isTrue();
      assertThat(doc.get("passed").booleanValue()).isFalse();
      assertThat(doc.at("/results/3/expectedByBaseline").booleanValue()).isTrue();
    }

    @Test
    void neverShowsTheTargetsCredentialsOrQuery() {
      ConformanceReport report =
          new ConformanceReport(
              URI.create("https://alice:s3cret@dav.example/cal/?access_token=t0ken#x"),
              MixedRun.STARTED,
              MixedRun.FINISHED,
              MixedRun.results());

      for (String rendered :
          List.of(report.toJson(), report.toJunitXml(), report.toHtml(), report.toTable())) {
        assertThat(rendered)
            .contains("https://dav.example/cal/?[redacted]")
            .doesNotContain("s3cret", "alice", "t0ken");
      }
    }
  }

  @Nested
  class JunitXml {
    @Test
    void onlyRunFailingResultsAreFailuresAndEveryOtherDeviationIsASkipWithItsReason()
        throws Exception {
      Document doc = JunitXmlDom.parse(MixedRun.report().toJunitXml());
      Element suite = doc.getDocumentElement();
      Map<String, Element> cases = JunitXmlDom.cases(doc);

      assertThat(suite.getTagName()).isEqualTo("testsuite");
      assertThat(suite.getAttribute("tests")).isEqualTo("6");
      assertThat(suite.getAttribute("failures")).isEqualTo("1");
      assertThat(suite.getAttribute("skipped")).isEqualTo("4");
      assertThat(suite.getAttribute("time")).isEqualTo("7.250");
      assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-12-01T10:00:00");
      assertThat(cases.values())
          .extracting(e -> e.getAttribute("name"))
          .allSatisfy(name -> assertThat(name).matches("R-[A-Z0-9]+-[0-9]+ [A-Z]+ .+"));
      Element must = cases.get("R-WDP-24");
      assertThat(JunitXmlDom.children(must, "failure")).hasSize(1);
      assertThat(JunitXmlDom.children(must, "failure").get(0).getAttribute("type"))
          .isEqualTo("MUST");
      assertThat(JunitXmlDom.children(must, "failure").get(0).getAttribute("message"))
          .isEqualTo("MUST failed: " + EXPECTED_HOSTILE_IN_XML);
      assertThat(must.getAttribute("name"))
          .isEqualTo("R-WDP-24 MUST " + RequirementCatalogue.R_WDP_24.summary());
      assertThat(must.getAttribute("classname")).isEqualTo("davpush-kit.registration");
      assertThat(JunitXmlDom.skip(cases.get("R-WDP-2")))
          .isEqualTo("SHOULD failed: no web-push transport");
      assertThat(JunitXmlDom.skip(cases.get("R-WDP-62")))
          .isEqualTo("SHOULD failed: DELETE by the second user -> 204");
      assertThat(cases.get("R-WDP-62").getAttribute("name")).startsWith("R-WDP-62 SHOULD ");
      assertThat(JunitXmlDom.skip(cases.get("R-WDP-33")))
          .isEqualTo("NOT_TESTED: needs a hook that expires a registration");
      assertThat(JunitXmlDom.skip(cases.get("R-WDP-17"))).isEqualTo("NOT_APPLICABLE: no GET body");
      assertThat(JunitXmlDom.children(cases.get("R-WDP-4"), "failure")).isEmpty();
      assertThat(JunitXmlDom.children(cases.get("R-WDP-4"), "skipped")).isEmpty();
      assertThat(JunitXmlDom.children(cases.get("R-WDP-62"), "system-out").get(0).getTextContent())
          .contains(
              "outcome: FAILED",
              "level judged: SHOULD (a clause of a MUST requirement)",
              "fails the run: false",
              "section: " + RequirementCatalogue.R_WDP_62.section(),
              "scenario: security (1.258 s)");
    }

    @Test
    void strictMakesShouldFailuresFailures() throws Exception {
      Map<String, Element> cases =
          JunitXmlDom.cases(JunitXmlDom.parse(MixedRun.report(true).toJunitXml()));

      assertThat(JunitXmlDom.children(cases.get("R-WDP-2"), "failure")).hasSize(1);
      assertThat(JunitXmlDom.children(cases.get("R-WDP-62"), "failure")).hasSize(1);
      assertThat(JunitXmlDom.children(cases.get("R-WDP-62"), "failure").get(0).getAttribute("type"))
          .isEqualTo("SHOULD");
      assertThat(JunitXmlDom.children(cases.get("R-WDP-24"), "failure")).hasSize(1);
    }

    @Test
    void aFailureTheBaselineExpectsIsASkipThatSaysSo() throws Exception {
      ConformanceReport report =
          MixedRun.report()
              .withBaseline(
                  Baseline.of(
                      List.of(new Baseline.Expectation("R-WDP-24", Outcome.FAILED, "issue #12"))));
      Document doc = JunitXmlDom.parse(report.toJunitXml());
      Map<String, Element> cases = JunitXmlDom.cases(doc);

      assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("0");
      assertThat(JunitXmlDom.children(cases.get("R-WDP-24"), "failure")).isEmpty();
      assertThat(JunitXmlDom.skip(cases.get("R-WDP-24")))
          .isEqualTo(
              "MUST failed (expected by the baseline: issue #12): " + EXPECTED_HOSTILE_IN_XML);
      assertThat(JunitXmlDom.properties(doc)).containsKey("baseline");
      assertThat(JunitXmlDom.properties(doc).get("baseline")).contains("1 expected deviation");
    }

    @Test
    void carriesTheRunsPropertiesWithoutCredentials() throws Exception {
      Map<String, String> props =
          JunitXmlDom.properties(JunitXmlDom.parse(MixedRun.report().toJunitXml()));

      assertThat(props)
          .containsEntry("kitVersion", ConformanceReport.DEVELOPMENT_BUILD)
          .containsEntry("draftVersion", ConformanceReport.DRAFT_VERSION)
          .containsEntry("target", "http://127.0.0.1:8080/dav/cal/")
          .containsEntry("strict", "false")
          .containsKey("summary");
    }
  }

  @Nested
  class Html {
    @Test
    void escapesHostileEvidence() {
      String html = MixedRun.report().toHtml();

      assertThat(html)
          .doesNotContain("<script")
          .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;")
          .doesNotContain("\u0007");
    }

    @Test
    void isSelfContained() {
      String html = MixedRun.report().toHtml();

      assertThat(html)
          .startsWith("<!DOCTYPE html>")
          .contains("<style>", "Content-Security-Policy", "default-src 'none'")
          .doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\(|src=|href=");
    }

    @Test
    void putsTheVerdictAndSummaryFirstThenFailuresMustFirst() {
      String html = MixedRun.report().toHtml();

      int verdict = html.indexOf("run FAILED: 1 failure fails the run (R-WDP-24)");
      int summary = html.indexOf("1 passed, 3 failed (1 MUST, 2 SHOULD)");
      int failures = html.indexOf("<h2>Failures</h2>");
      assertThat(verdict).isPositive().isLessThan(failures);
      assertThat(summary).isPositive().isLessThan(failures);
      String failureTable = html.substring(failures, html.indexOf("<section id=\"results\">"));
      assertThat(failureTable.indexOf("R-WDP-24"))
          .isPositive()
          .isLessThan(failureTable.indexOf("R-WDP-2<"))
          .isLessThan(failureTable.indexOf("R-WDP-62"));
      assertThat(failureTable).doesNotContain("R-WDP-4<", "R-WDP-33");
      assertThat(html)
          .contains(
              "Target</dt><dd>http://127.0.0.1:8080/dav/cal/",
              "Kit version</dt><dd>" + ConformanceReport.DEVELOPMENT_BUILD,
              "Draft checked</dt><dd>" + ConformanceReport.DRAFT_VERSION,
              "Duration</dt><dd>7.250 s");
    }

    @Test
    void groupsByDocumentAndSectionInSectionOrder() {
      String html = MixedRun.report().toHtml();
      String results = html.substring(html.indexOf("<section id=\"results\">"));

      List<String> headings =
          Stream.of(results.split("<h3>"))
              .skip(1)
              .map(s -> s.substring(0, s.indexOf("</h3>")))
              .toList();
      assertThat(results).contains("<h2>draft-bitfire-webdav-push</h2>");
      assertThat(headings)
          .containsExactly(
              "draft-bitfire-webdav-push §1.2",
              "draft-bitfire-webdav-push §2",
              "draft-bitfire-webdav-push §3.1.1",
              "draft-bitfire-webdav-push §3.1.3",
              RequirementCatalogue.R_WDP_33.section(),
              RequirementCatalogue.R_WDP_62.section());
      // each row: ID, level, outcome, evidence, requirement text, section
      assertThat(results)
          .contains(
              "<td class=\"id\">R-WDP-62</td><td>SHOULD<br><span class=\"note\">of a MUST"
                  + " requirement</span></td>",
              "<td>" + RequirementCatalogue.R_WDP_62.summary() + "</td>",
              "<td>" + RequirementCatalogue.R_WDP_62.section() + "</td>");
    }

    @Test
    void showsTheBaselineAndWhatItExpects() {
      String html =
          MixedRun.report()
              .withBaseline(
                  Baseline.of(
                      List.of(new Baseline.Expectation("R-WDP-24", Outcome.FAILED, "<b>#12</b>"))))
              .toHtml();

      assertThat(html)
          .contains("class=\"verdict pass\"")
          .contains("baseline: 1 expected deviation")
          .contains("baseline expects FAILED: &lt;b&gt;#12&lt;/b&gt;")
          .doesNotContain("<b>");
    }
  }

  @Nested
  class Files_ {
    @TempDir Path dir;

    @Test
    void writesAllThreeReportsAndNothingElse() throws IOException {
      ConformanceReport report = MixedRun.report();
      Path out = dir.resolve("nested/reports");

      Path json = report.writeTo(out);

      assertThat(json).isEqualTo(out.resolve("report.json"));
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("report.json", "report.xml", "report.html");
      }
      assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(report.toJson());
      assertThat(Files.readString(out.resolve("report.xml"))).isEqualTo(report.toJunitXml());
      assertThat(Files.readString(out.resolve("report.html"))).isEqualTo(report.toHtml());
    }

    @Test
    void overwritesTheReportsOfAnEarlierRun() throws IOException {
      MixedRun.report().writeTo(dir);
      ConformanceReport second = MixedRun.report(true);

      second.writeTo(dir);

      assertThat(Files.readString(dir.resolve("report.json"))).contains("\"strict\" : true");
    }
  }
}
