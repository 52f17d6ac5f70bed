package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.reference.ReferenceServer.Fault;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each planted fault is caught by exactly the requirement it breaks. */
class BrokenServerIT {
  @ParameterizedTest(name = "{0} fails {1}")
  @CsvSource({
    "RELATIVE_LOCATION, R-WDP-25",
    "NEVER_PUSH, R-WDP-34",
    "IGNORE_DONT_NOTIFY, R-WDP-39",
    "NO_COMPLIANCE_CLASS, R-WDP-4",
    "KEEP_GONE_SUBSCRIPTIONS, R-WDP-45",
    "UNREGISTER_FOR_ANYONE, R-WDP-62"
  })
  void aPlantedFaultFailsExactlyItsRequirement(Fault fault, String requirement) {
    try (ReferenceServer server =
        ReferenceServer.builder()
            .fault(fault)
            .user("alice", "a-secret")
            .user("bob", "b-secret")
            .start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              RunnerOptions.builder(server.calendarUri())
                  .credentials("alice", "a-secret")
                  .secondCredentials("bob", "b-secret")
                  .pushTimeout(Duration.ofSeconds(10))
                  .quietPeriod(Duration.ofSeconds(2))
                  .build());

      assertThat(report.failures())
          .as(report.toTable())
          .extracting(r -> r.requirement().id())
          .containsExactly(requirement);
      boolean must = report.result(requirement).level() == Level.MUST;
      assertThat(report.mustPassed()).isEqualTo(!must);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"NEVER_PUSH"})
  void checksThatNeedAPushAreNotTestedRatherThanFailed(Fault fault) {
    try (ReferenceServer server = ReferenceServer.builder().fault(fault).start()) {
      ConformanceReport report =
          ConformanceRunner.run(ConformanceRunnerIT.options(server.calendarUri()));
      assertThat(report.result("R-WDP-35").outcome()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(report.result("R-WDP-39").outcome()).isEqualTo(Outcome.NOT_TESTED);
    }
  }
}
