package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.reference.ReferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceRunnerIT {
  /** What one run against a correct server must pass, whatever else it reports. */
  static final List<String> EXPECTED_PASSES =
      List.of(
          "R-WDP-2",
          "R-WDP-4",
          "R-WDP-5",
          "R-WDP-6",
          "R-WDP-8",
          "R-WDP-9",
          "R-WDP-18",
          "R-WDP-19",
          "R-WDP-21",
          "R-WDP-22",
          "R-WDP-23",
          "R-WDP-24",
          "R-WDP-25",
          "R-WDP-26",
          "R-WDP-28",
          "R-WDP-30",
          "R-WDP-31",
          "R-WDP-33",
          "R-WDP-34",
          "R-WDP-35",
          "R-WDP-36",
          "R-WDP-39",
          "R-WDP-42",
          "R-WDP-43",
          "R-WDP-45",
          "R-WDP-48",
          "R-WDP-49",
          "R-WDP-51",
          "R-WDP-53",
          "R-WDP-54",
          "R-WDP-59",
          "R-8030-4",
          "R-8030-5",
          "R-8030-6",
          "R-8030-7",
          "R-8291-2",
          "R-8291-6",
          "R-8291-7",
          "R-8291-9",
          "R-8188-8",
          "R-8292-2",
          "R-8292-3",
          "R-8292-5",
          "R-8292-10",
          "BP-1",
          "BP-2",
          "BP-3",
          "R-WDP-46",
          "BP-4",
          "CI-1",
          "CI-2",
          "CI-3",
          "CI-4");

  static RunnerOptions options(URI target) {
    return RunnerOptions.builder(target)
        .pushTimeout(Duration.ofSeconds(20))
        .quietPeriod(Duration.ofSeconds(1))
        .build();
  }

  @Test
  void everyCheckPassesAgainstTheReferenceCalendar() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report = ConformanceRunner.run(options(server.calendarUri()));

      assertThat(report.failures()).as(report.toTable()).isEmpty();
      assertThat(report.mustPassed()).isTrue();
      for (String id : EXPECTED_PASSES) {
        assertThat(report.result(id).outcome())
            .as(id + "\n" + report.toTable())
            .isEqualTo(Outcome.PASSED);
      }
    }
  }

  @Test
  void withASecondUserRegistrationsAreCheckedToBeBoundToTheirUser() {
    try (ReferenceServer server =
        ReferenceServer.builder().user("alice", "a-secret").user("bob", "b-secret").start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              RunnerOptions.builder(server.calendarUri())
                  .credentials("alice", "a-secret")
                  .secondCredentials("bob", "b-secret")
                  .pushTimeout(Duration.ofSeconds(20))
                  .quietPeriod(Duration.ofSeconds(2))
                  .build());

      assertThat(report.failures()).as(report.toTable()).isEmpty();
      assertThat(report.result("R-WDP-62").outcome()).isEqualTo(Outcome.PASSED);
    }
  }

  @Test
  void everyCheckPassesAgainstAnAddressBookAndAPlainCollection() {
    try (ReferenceServer server = ReferenceServer.start()) {
      for (URI target : List.of(server.addressBookUri(), server.filesUri())) {
        ConformanceReport report = ConformanceRunner.run(options(target));
        assertThat(report.failures()).as(report.toTable()).isEmpty();
        assertThat(report.result("R-WDP-34").outcome()).isEqualTo(Outcome.PASSED);
      }
    }
  }

  @Test
  void leavesNoMemberBehind() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceRunner.run(options(server.filesUri()));
      var listing = java.net.http.HttpClient.newHttpClient();
      String body =
          listing
              .sendAsync(
                  java.net.http.HttpRequest.newBuilder(server.filesUri()).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .join()
              .body();
      assertThat(body).doesNotContain("davpush-kit-");
    }
  }

  @Test
  void reportsEveryCatalogueRequirementOnceWithItsLevel() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report = ConformanceRunner.run(options(server.calendarUri()));
      assertThat(report.results()).extracting(r -> r.requirement().id()).doesNotHaveDuplicates();
      assertThat(report.results()).allSatisfy(r -> assertThat(r.evidence()).isNotBlank());
      assertThat(report.result("R-WDP-39").requirement().level()).isEqualTo(Level.MUST);
      assertThat(report.result("R-WDP-55").outcome()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(report.result("R-WDP-55").evidence()).contains("key-rotation hook");
      assertThat(report.toJson())
          .contains("\"id\" : \"R-WDP-25\"", "[redacted]")
          .doesNotContainPattern("/push/(registrations/)?[A-Za-z0-9_-]{16,}");
    }
  }
}
