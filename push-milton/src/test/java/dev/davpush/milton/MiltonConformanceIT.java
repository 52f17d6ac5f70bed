package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.milton.example.MiltonExampleServer;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import dev.davpush.testkit.runner.ConformanceRunner;
import dev.davpush.testkit.runner.RunnerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The conformance kit, the same scenarios as its CLI, against the milton example server. The only
 * class of this module that calls the kit's runner API.
 */
class MiltonConformanceIT {
  /**
   * SHOULD-level requirements the milton example does not meet, with the reason. Empty: any SHOULD
   * failing is a regression.
   */
  static final Map<String, String> SHOULD_NOT_MET = Map.of();

  private static RunnerOptions.Builder options(MiltonExampleServer server) {
    return RunnerOptions.builder(server.collectionUri())
        .pushTimeout(Duration.ofSeconds(20))
        .quietPeriod(Duration.ofSeconds(2));
  }

  @Test
  void everyMustPassesAgainstTheMiltonExample(TestReporter reporter) {
    try (MiltonExampleServer server =
        MiltonExampleServer.builder().allowLoopbackHttpPush(true).start()) {
      ConformanceReport report = ConformanceRunner.run(options(server).build());

      reporter.publishEntry("conformance", report.toTable());
      assertThat(report.mustPassed()).as(report.toTable()).isTrue();
      List<CheckResult> musts =
          report.results().stream().filter(r -> r.level() == Level.MUST).toList();
      assertThat(musts)
          .as(report.toTable())
          .allSatisfy(r -> assertThat(r.outcome()).isIn(Outcome.PASSED, Outcome.NOT_TESTED));
      assertThat(report.failures())
          .as(report.toTable())
          .allSatisfy(r -> assertThat(SHOULD_NOT_MET).containsKey(r.requirement().id()));
      assertThat(report.result("R-WDP-34").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(report.result("R-WDP-36").outcome()).isEqualTo(Outcome.PASSED);
    }
  }

  @Test
  void withTwoUsersRegistrationsAreBoundToTheirUser(TestReporter reporter) {
    try (MiltonExampleServer server =
        MiltonExampleServer.builder()
            .allowLoopbackHttpPush(true)
            .user("alice", "a-secret")
            .user("bob", "b-secret")
            .start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              options(server)
                  .credentials("alice", "a-secret")
                  .secondCredentials("bob", "b-secret")
                  .build());

      reporter.publishEntry("conformance", report.toTable());
      assertThat(report.mustPassed()).as(report.toTable()).isTrue();
      assertThat(report.failures())
          .as(report.toTable())
          .allSatisfy(r -> assertThat(SHOULD_NOT_MET).containsKey(r.requirement().id()));
      assertThat(report.result("R-WDP-62").outcome())
          .as(report.toTable())
          .isEqualTo(Outcome.PASSED);
    }
  }
}
