package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.reference.DavHandler;
import dev.davpush.testkit.reference.DavReply;
import dev.davpush.testkit.reference.DavRequest;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.reference.ServerDecorator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The checks of issue 10's coverage part against the reference server and small variations of it:
 * client interop, R-WDP-46 from the home sets, BP-4 for a 413, and R-WDP-21's fallback.
 */
class CoverageScenariosIT {
  private static ConformanceReport run(URI target, List<String> only) {
    return ConformanceRunner.run(
        RunnerOptions.builder(target)
            .pushTimeout(Duration.ofSeconds(6))
            .quietPeriod(Duration.ofSeconds(1))
            .only(only)
            .build());
  }

  /** A reference server whose HTTP answers a function rewrites: (next handler, request). */
  private static ReferenceServer server(BiFunction<DavHandler, DavRequest, DavReply> f) {
    return ReferenceServer.builder()
        .decorate(
            new ServerDecorator() {
              @Override
              public DavHandler http(DavHandler h, Context context) {
                return r -> f.apply(h, r);
              }
            })
        .start();
  }

  private static String text(DavRequest r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void theReferenceServerAcceptsEveryClientFormAndNotifiesIt() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report = run(server.calendarUri(), List.of("client-interop"));

      assertThat(report.interop()).hasSize(4);
      assertThat(report.interop())
          .as(report.toTable())
          .allSatisfy(
              r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.PASSED);
                assertThat(r.level()).isEqualTo(Level.INTEROP);
                assertThat(r.evidence()).endsWith("notified").contains("POST");
              });
      assertThat(report.summary()).endsWith("; client interop: 4 accepted, 0 refused");
      assertThat(report.toTable()).contains("CLIENT INTEROP");
    }
  }

  @Test
  void aRefusedClientFormNamesTheClientsAndNeverFailsTheRunNotEvenAStrictOne() {
    try (ReferenceServer server =
        server(
            (h, r) ->
                r.method().equals("POST") && text(r).contains("sync-level")
                    ? DavReply.text(400, "unknown element sync-level")
                    : h.handle(r))) {
      ConformanceReport report = run(server.calendarUri(), List.of("client-interop"));

      CheckResult ci2 = report.result("CI-2");
      assertThat(ci2.outcome()).as(report.toTable()).isEqualTo(Outcome.FAILED);
      assertThat(ci2.level()).isEqualTo(Level.INTEROP);
      assertThat(ci2.evidence())
          .startsWith("refused, affects clients written to the drafts of 2025-02-22")
          .contains("400");
      assertThat(report.result("CI-1").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(report.passed()).isTrue();
      assertThat(report.withStrict(true).passed()).isTrue();
      assertThat(report.summary()).endsWith("client interop: 3 accepted, 1 refused (CI-2)");
      assertThat(report.toJunitXml()).contains("INTEROP: refused, affects");
    }
  }

  @Test
  void theSpellingInfiniteIsNotJudgedWhenDepthInfinityItselfIsRefused() {
    try (ReferenceServer server =
        ReferenceServer.builder()
            .fault(dev.davpush.testkit.reference.faults.PlantedFault.REFUSE_DEPTH_INFINITY)
            .start()) {
      ConformanceReport report = run(server.calendarUri(), List.of("client-interop"));

      CheckResult ci3 = report.result("CI-3");
      assertThat(ci3.outcome()).as(report.toTable()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(ci3.evidence()).startsWith("depth infinity itself is refused (R-WDP-19)");
      assertThat(report.result("CI-1").outcome()).isEqualTo(Outcome.PASSED);
    }
    try (ReferenceServer server =
        ReferenceServer.builder()
            .fault(dev.davpush.testkit.reference.faults.PlantedFault.REFUSE_INFINITE)
            .start()) {
      CheckResult ci3 = run(server.calendarUri(), List.of("client-interop")).result("CI-3");
      assertThat(ci3.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(ci3.evidence()).startsWith("refused, affects clients written to the drafts");
    }
  }

  @Test
  void homeSetsAreCheckedFromThePrincipal() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report = run(server.calendarUri(), List.of("R-WDP-46"));

      CheckResult r = report.result("R-WDP-46");
      assertThat(r.outcome()).as(report.toTable()).isEqualTo(Outcome.PASSED);
      // principal, two home sets, the calendar and the address book
      assertThat(r.evidence()).startsWith("5 resource(s) from /dav/principals/anonymous/");
    }
  }

  @Test
  void aHomeSetWithoutDeepContentUpdatesFailsAtShould() {
    try (ReferenceServer server =
        ReferenceServer.builder()
            .fault(dev.davpush.testkit.reference.faults.PlantedFault.HOME_SETS_CONTENT_DEPTH_ZERO)
            .start()) {
      ConformanceReport report = run(server.addressBookUri(), List.of("R-WDP-46"));

      CheckResult r = report.result("R-WDP-46");
      assertThat(r.outcome()).as(report.toTable()).isEqualTo(Outcome.FAILED);
      assertThat(r.level()).isEqualTo(Level.SHOULD);
      assertThat(r.evidence())
          .contains("/dav/calendars/: content-update depth 0")
          .contains("/dav/addressbooks/: content-update depth 0");
      assertThat(report.mustPassed()).isTrue();
    }
  }

  @Test
  void withoutAPrincipalAPlainWebDavTargetIsNotApplicableAndACalendarNotTested() {
    try (ReferenceServer server =
        server(
            (h, r) -> {
              if (r.method().equals("PROPFIND") && text(r).contains("current-user-principal")) {
                return DavReply.text(403, "no principals here");
              }
              DavReply reply = h.handle(r);
              if (r.method().equals("OPTIONS") && !r.path().contains("calendars")) {
                return reply.withHeader("DAV", List.of("1, 3, webdav-push"));
              }
              return reply;
            })) {
      CheckResult files = run(server.filesUri(), List.of("R-WDP-46")).result("R-WDP-46");
      CheckResult calendar = run(server.calendarUri(), List.of("R-WDP-46")).result("R-WDP-46");

      assertThat(files.outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
      assertThat(files.evidence()).startsWith("plain WebDAV");
      assertThat(calendar.outcome()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(calendar.evidence()).contains("current-user-principal could not be read");
    }
  }

  @Test
  void a413IsNotRepeatedAndTheRegistrationKeepsWorking() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report = run(server.filesUri(), List.of("BP-4"));

      CheckResult r = report.result("BP-4");
      assertThat(r.outcome()).as(report.toTable()).isEqualTo(Outcome.PASSED);
      assertThat(r.evidence())
          .contains("→ 0 repeat(s) of the same or larger size")
          .endsWith("the registration is notified again");
    }
  }

  @Test
  void propertyUpdatesFallBackToTheKitsDeadPropertyWhenTheDisplayNameIsRefused() {
    try (ReferenceServer server =
        server(
            (h, r) ->
                r.method().equals("PROPPATCH") && text(r).contains("displayname")
                    ? DavReply.text(500, "cannot set displayname")
                    : h.handle(r))) {
      CheckResult r = run(server.calendarUri(), List.of("R-WDP-21")).result("R-WDP-21");

      assertThat(r.outcome()).as(r.evidence()).isEqualTo(Outcome.PASSED);
      assertThat(r.evidence()).contains("displayname refused", "(conformance-note)");
    }
  }

  @Test
  void propertyUpdatesAreNotTestedOnlyWhenEveryPropPatchIsRefused() {
    try (ReferenceServer server =
        server(
            (h, r) ->
                r.method().equals("PROPPATCH")
                    ? DavReply.text(500, "no PROPPATCH here")
                    : h.handle(r))) {
      CheckResult r = run(server.calendarUri(), List.of("R-WDP-21")).result("R-WDP-21");

      assertThat(r.outcome()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(r.evidence())
          .startsWith("PROPPATCH refused for DAV:displayname and for the dead property");
    }
  }
}
