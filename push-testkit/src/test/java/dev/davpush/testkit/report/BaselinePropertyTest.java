package dev.davpush.testkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class BaselinePropertyTest {
  private static Path dir;

  @BeforeContainer
  static void createDirectory() throws IOException {
    dir = Files.createTempDirectory("davpush-baseline");
  }

  @AfterContainer
  static void deleteDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  // each try writes and reads a file: 1,000 tries keep the build's 10,000-try run short
  @Property(tries = 1000)
  void writeThenReadIsIdentity(@ForAll("baselines") Baseline baseline) throws IOException {
    Path file = dir.resolve("baseline.json");

    baseline.write(file);

    assertThat(Baseline.read(file)).isEqualTo(baseline);
    assertThat(Baseline.read(file).expectations()).isEqualTo(baseline.expectations());
    assertThat(Baseline.parse(baseline.toJson())).isEqualTo(baseline);
  }

  // each try builds and compares whole reports (a result per catalogued requirement)
  @Property(tries = 1000)
  void everyResultLandsInAtMostOneListAndTheRunMatchesExactlyWhenEveryRunFailureIsExpected(
      @ForAll("baselines") Baseline baseline,
      @ForAll("runs") List<CheckResult> results,
      @ForAll boolean strict) {
    ConformanceReport run =
        new ConformanceReport(
            URI.create("http://127.0.0.1/dav/"),
            MixedRun.STARTED,
            MixedRun.FINISHED,
            results,
            strict);

    BaselineComparison c = baseline.compare(run);

    Set<CheckResult> seen = new HashSet<>();
    for (List<CheckResult> list : List.of(c.newlyFailing(), c.newlyPassing(), c.stillDeviating())) {
      for (CheckResult r : list) {
        assertThat(seen.add(r)).as("%s in two lists", r.requirement().id()).isTrue();
      }
    }
    for (CheckResult r : results) {
      var e = baseline.expectation(r.requirement().id());
      if (r.outcome() == Outcome.FAILED) {
        assertThat(c.newlyFailing().contains(r))
            .isEqualTo(e.isEmpty() || e.get().outcome() != Outcome.FAILED);
      }
      if (e.isPresent() && r.outcome() == Outcome.PASSED) {
        assertThat(c.newlyPassing()).contains(r);
      }
    }
    boolean everyRunFailureExpected =
        results.stream()
            .filter(r -> r.failsRun(strict))
            .allMatch(
                r ->
                    baseline
                        .expectation(r.requirement().id())
                        .map(e -> e.outcome() == Outcome.FAILED)
                        .orElse(false));
    assertThat(c.matches()).isEqualTo(everyRunFailureExpected);
    assertThat(run.withBaseline(baseline).accepted()).isEqualTo(everyRunFailureExpected);
    assertThat(Baseline.from(run, "r").compare(run).matches()).isTrue();
  }

  @Provide
  Arbitrary<Baseline> baselines() {
    List<Requirement> all = RequirementCatalogue.all();
    Arbitrary<Baseline.Expectation> one =
        Combinators.combine(
                Arbitraries.of(all),
                Arbitraries.of(Outcome.FAILED, Outcome.NOT_TESTED, Outcome.NOT_APPLICABLE),
                Arbitraries.strings().ofMaxLength(40))
            .as((r, o, reason) -> new Baseline.Expectation(r.id(), o, reason));
    return one.list()
        .ofMaxSize(all.size())
        .uniqueElements(Baseline.Expectation::id)
        .map(Baseline::of);
  }

  @Provide
  Arbitrary<List<CheckResult>> runs() {
    List<Requirement> all = RequirementCatalogue.all();
    return Arbitraries.subsetOf(all)
        .flatMap(
            reqs -> {
              List<Arbitrary<CheckResult>> each = new ArrayList<>();
              for (Requirement r : reqs) {
                each.add(
                    Combinators.combine(
                            Arbitraries.of(Outcome.values()), Arbitraries.of(judgeable(r.level())))
                        .as((o, l) -> MixedRun.result(r, o, l, "evidence of " + r.id())));
              }
              return Combinators.combine(each).as(List::copyOf);
            });
  }

  private static List<Level> judgeable(Level level) {
    return List.of(Level.values()).subList(level.ordinal(), Level.values().length);
  }
}
