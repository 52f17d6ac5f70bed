package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of the kit's reach: over HTTPS with the kit's CA every check passes (and R-WDP-64 and
 * R-8030-1 are judged), a server that accepts only HTTPS push resources passes with the HTTPS push
 * service, and a refusal the kit cannot fix stops the run with what to configure.
 */
class ReachIT {
  private static RunnerOptions.Builder options(URI target) {
    return RunnerOptions.builder(target)
        .pushTimeout(Duration.ofSeconds(20))
        .quietPeriod(Duration.ofSeconds(1));
  }

  @Test
  void anHttpsOnlyServerThatTrustsTheKitCaPassesEveryCheckOverHttps() {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    try (ReferenceServer server =
        ReferenceServer.builder()
            .pushResources(ReferenceServer.PushResources.HTTPS_ONLY)
            .trust(ca.certificate())
            .start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              options(server.calendarUri())
                  .pushServiceHttps(ca)
                  .expireHook(server::expireRegistration)
                  .keyRotationHook(server::rotateVapidKey)
                  .build());

      assertThat(report.failures()).as(report.toTable()).isEmpty();
      assertThat(report.mustPassed()).isTrue();
      for (String id : ConformanceRunnerIT.EXPECTED_PASSES) {
        assertThat(report.result(id).outcome())
            .as(id + "\n" + report.toTable())
            .isEqualTo(Outcome.PASSED);
      }
      assertThat(report.result("R-WDP-64").outcome())
          .as(report.toTable())
          .isEqualTo(Outcome.PASSED);
      assertThat(report.result("R-WDP-64").evidence()).contains("403");
      assertThat(report.result("R-8030-1").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(report.toJson()).doesNotContainPattern("/push/[A-Za-z0-9_-]{16,}");
    }
  }

  @Test
  void overPlainHttpTransportSecurityIsNotTestedWithTheReason() {
    try (ReferenceServer server = ReferenceServer.start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              options(server.calendarUri()).only(java.util.List.of("security")).build());

      assertThat(report.result("R-WDP-64").outcome()).isEqualTo(Outcome.NOT_TESTED);
      assertThat(report.result("R-WDP-64").evidence())
          .contains("plain HTTP", "--push-service https");
      assertThat(report.result("R-8030-1").outcome()).isEqualTo(Outcome.NOT_TESTED);
    }
  }

  @Test
  void anHttpsOnlyServerStopsAPlainHttpRunWithWhatToConfigure() {
    try (ReferenceServer server =
        ReferenceServer.builder().pushResources(ReferenceServer.PushResources.HTTPS_ONLY).start()) {
      assertThatThrownBy(() -> ConformanceRunner.run(options(server.calendarUri()).build()))
          .isInstanceOf(TargetException.class)
          .hasMessageContaining("403")
          .hasMessageContaining("plain HTTP on a loopback address")
          .hasMessageContaining("--push-service-url https://")
          .hasMessageContaining("--ca-out");
    }
  }

  @Test
  void aServerThatDoesNotTrustTheCertificateStopsTheRunWithWhatToConfigure() {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    try (ReferenceServer server =
        ReferenceServer.builder().pushResources(ReferenceServer.PushResources.HTTPS_ONLY).start()) {
      assertThatThrownBy(
              () ->
                  ConformanceRunner.run(
                      options(server.calendarUri())
                          .pushTimeout(Duration.ofSeconds(8))
                          .only(java.util.List.of("R-WDP-34"))
                          .pushServiceHttps(ca)
                          .build()))
          .isInstanceOf(TargetException.class)
          .hasMessageContaining("did not accept the kit's certificate")
          .hasMessageContaining("--ca-out");
    }
  }

  @Test
  void bindsAndAdvertisesAsConfigured() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    try (ReferenceServer server =
        ReferenceServer.builder()
            .pushResources(ReferenceServer.PushResources.HTTPS_ONLY)
            .trust(ca.certificate())
            .start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              options(server.calendarUri())
                  .only(java.util.List.of("R-WDP-34"))
                  .pushServiceHttps(ca)
                  .pushServiceBind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                  .pushServiceUrl(URI.create("https://127.0.0.1"))
                  .build());

      assertThat(report.result("R-WDP-34").outcome())
          .as(report.toTable())
          .isEqualTo(Outcome.PASSED);
    }
  }
}
