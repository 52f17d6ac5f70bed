package dev.davpush.testkit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
  @TempDir Path dir;

  private static Baseline.Expectation failed(String id, String reason) {
    return new Baseline.Expectation(id, Outcome.FAILED, reason);
  }

  @Test
  void fromARunListsEveryFailureAtAnyLevelAndNothingElse() {
    Baseline b = Baseline.from(MixedRun.report(), "known on 2026-12-01");

    assertThat(b.expectations())
        .containsExactly(
            failed("R-WDP-2", "known on 2026-12-01"),
            failed("R-WDP-24", "known on 2026-12-01"),
            failed("R-WDP-62", "known on 2026-12-01"));
  }

  @Test
  void aRunMatchesTheBaselineWrittenFromIt() {
    ConformanceReport run = MixedRun.report(true);

    BaselineComparison c = Baseline.from(run, "r").compare(run);

    assertThat(c.matches()).isTrue();
    assertThat(c.newlyFailing()).isEmpty();
    assertThat(c.newlyPassing()).isEmpty();
    assertThat(c.stillDeviating())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-2", "R-WDP-24", "R-WDP-62");
    assertThat(c.summary())
        .isEqualTo("baseline: 3 expected deviations, 0 new failures, 0 newly passing; matches");
  }

  @Test
  void anUnlistedMustFailureIsANewFailureAndSpoilsTheMatch() {
    Baseline b = Baseline.of(List.of(failed("R-WDP-2", "no web push yet")));

    BaselineComparison c = b.compare(MixedRun.report());

    assertThat(c.matches()).isFalse();
    assertThat(c.newRunFailures())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-24");
    assertThat(c.newlyFailing())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-24", "R-WDP-62");
    assertThat(c.stillDeviating()).extracting(r -> r.requirement().id()).containsExactly("R-WDP-2");
    assertThat(c.summary())
        .isEqualTo(
            "baseline: 1 expected deviation, 1 new failure (R-WDP-24), 1 new failure that does"
                + " not fail the run (R-WDP-62), 0 newly passing; does not match");
    assertThat(MixedRun.report().withBaseline(b).accepted()).isFalse();
  }

  @Test
  void anUnlistedShouldFailureSpoilsTheMatchOnlyWhenStrict() {
    Baseline b = Baseline.of(List.of(failed("R-WDP-24", "x"), failed("R-WDP-2", "y")));

    assertThat(b.compare(MixedRun.report(false)).matches()).isTrue();
    assertThat(b.compare(MixedRun.report(true)).matches()).isFalse();
    assertThat(b.compare(MixedRun.report(true)).newRunFailures())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-62");
  }

  @Test
  void anExpectedFailureThatPassesIsNewlyPassingAndStillMatches() {
    Baseline b = Baseline.of(List.of(failed("R-WDP-4", "was broken"), failed("R-WDP-24", "x")));

    BaselineComparison c = b.compare(MixedRun.report());

    assertThat(c.newlyPassing()).extracting(r -> r.requirement().id()).containsExactly("R-WDP-4");
    assertThat(c.matches()).isTrue();
    assertThat(c.summary()).contains("1 newly passing (R-WDP-4)");
  }

  @Test
  void aFailureWhereTheBaselineExpectsNotTestedIsNew() {
    Baseline b =
        Baseline.of(List.of(new Baseline.Expectation("R-WDP-24", Outcome.NOT_TESTED, "no hook")));

    BaselineComparison c = b.compare(MixedRun.report());

    assertThat(c.matches()).isFalse();
    assertThat(c.expected(MixedRun.report().result("R-WDP-24"))).isFalse();
  }

  @Test
  void anExpectedFailureNowNotTestedStillDeviates() {
    Baseline b = Baseline.of(List.of(failed("R-WDP-33", "expiry broken")));

    BaselineComparison c = b.compare(MixedRun.report());

    assertThat(c.stillDeviating()).extracting(r -> r.outcome()).containsExactly(Outcome.NOT_TESTED);
  }

  @Test
  void writesAndReadsTheSameBaseline() throws IOException {
    Baseline b =
        Baseline.of(
            List.of(
                failed("R-WDP-62", "second user \"bob\" <b> ü"),
                new Baseline.Expectation("R-WDP-17", Outcome.NOT_APPLICABLE, "")));
    Path file = dir.resolve("ci/baseline.json");

    b.write(file);

    assertThat(Baseline.read(file)).isEqualTo(b);
    // catalogue order, whatever the order given
    assertThat(Baseline.read(file).expectations())
        .extracting(Baseline.Expectation::id)
        .containsExactly("R-WDP-17", "R-WDP-62");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
    assertThat(SchemaValidation.errors(Baseline.SCHEMA_RESOURCE, Files.readString(file))).isEmpty();
  }

  @Test
  void theFileHasTheDocumentedForm() {
    String json = Baseline.of(List.of(failed("R-WDP-31", "fixed expiry"))).toJson();

    assertThat(json)
        .isEqualTo(
            "{\n"
                + "  \"schemaVersion\" : 1,\n"
                + "  \"expectations\" : [ {\n"
                + "    \"id\" : \"R-WDP-31\",\n"
                + "    \"outcome\" : \"FAILED\",\n"
                + "    \"reason\" : \"fixed expiry\"\n"
                + "  } ]\n"
                + "}\n");
  }

  @Test
  void namesAnUnknownIdAndTheFile() throws IOException {
    Path file = dir.resolve("b.json");
    Files.writeString(
        file,
        "{\"schemaVersion\":1,\"expectations\":[{\"id\":\"R-WDP-4\",\"outcome\":\"FAILED\","
            + "\"reason\":\"\"},{\"id\":\"R-WDP-999\",\"outcome\":\"FAILED\",\"reason\":\"x\"}]}");

    assertThatThrownBy(() -> Baseline.read(file))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("expectations[1]")
        .hasMessageContaining("'R-WDP-999' is not a requirement ID of the catalogue");
  }

  @Test
  void rejectsWhatIsNotABaseline() {
    assertThatThrownBy(() -> Baseline.parse("{\"schemaVersion\":1,"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("not JSON")
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> Baseline.parse("[]"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> Baseline.parse("{\"schemaVersion\":2,\"expectations\":[]}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("schemaVersion: expected 1, got 2");
    assertThatThrownBy(() -> Baseline.parse("{\"expectations\":[]}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("schemaVersion: expected 1, got none");
    assertThatThrownBy(() -> Baseline.parse("{\"schemaVersion\":1,\"expectations\":{}}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("expectations: expected an array");
    assertThatThrownBy(
            () -> Baseline.parse("{\"schemaVersion\":1,\"expectations\":[],\"extra\":true}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("unknown field 'extra'");
    assertThatThrownBy(
            () ->
                Baseline.parse(
                    "{\"schemaVersion\":1,\"expectations\":[{\"id\":\"R-WDP-4\","
                        + "\"outcome\":\"BROKEN\",\"reason\":\"\"}]}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("outcome 'BROKEN'");
    assertThatThrownBy(
            () ->
                Baseline.parse(
                    "{\"schemaVersion\":1,\"expectations\":[{\"id\":\"R-WDP-4\","
                        + "\"outcome\":\"FAILED\"}]}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("expectations[0]: reason must be a string");
    assertThatThrownBy(
            () ->
                Baseline.parse(
                    "{\"schemaVersion\":1,\"expectations\":[{\"id\":\"R-WDP-4\","
                        + "\"outcome\":\"PASSED\",\"reason\":\"\"}]}"))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("PASSED is no deviation");
  }

  @Test
  void rejectsAnIdListedTwice() {
    assertThatThrownBy(() -> Baseline.of(List.of(failed("R-WDP-4", "a"), failed("R-WDP-4", "b"))))
        .isInstanceOf(BaselineException.class)
        .hasMessageContaining("R-WDP-4 is listed twice");
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThatThrownBy(() -> Baseline.read(dir.resolve("none.json")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aFailedWriteLeavesTheEarlierFile() throws IOException {
    Path file = dir.resolve("baseline.json");
    Baseline.of(List.of(failed("R-WDP-4", "first"))).write(file);
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "a file where a directory should be");

    assertThatThrownBy(() -> Baseline.EMPTY.write(blocked.resolve("baseline.json")))
        .isInstanceOf(IOException.class);
    assertThat(Baseline.read(file).expectations())
        .extracting(e -> e.reason())
        .containsExactly("first");
  }

  @Test
  void anEmptyBaselineMakesEveryRunFailureNew() {
    List<CheckResult> results = new ArrayList<>(MixedRun.results());
    results.add(
        MixedRun.result(RequirementCatalogue.R_WDP_5, Outcome.FAILED, Level.MUST, "no topic"));
    ConformanceReport run =
        new ConformanceReport(
            URI.create("http://127.0.0.1/dav/"), MixedRun.STARTED, MixedRun.FINISHED, results);

    BaselineComparison c = Baseline.EMPTY.compare(run);

    assertThat(c.newRunFailures())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-5", "R-WDP-24");
  }
}
