package dev.davpush.testkit.junit;

import static dev.davpush.testkit.junit.LaunchedKit.outcomeOf;
import static dev.davpush.testkit.junit.LaunchedKit.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JUnit kit against servers that accept HTTPS push resources only. */
class KitReachTest {
  private static final String CONFIGURATION =
      "configuration: the target is reachable, a collection, push-capable and writable";

  /** An HTTPS-only server, and the kit's push service over plain HTTP. */
  static class PlainHttpKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      ReferenceServer server =
          ReferenceServer.builder().pushResources(ReferenceServer.PushResources.HTTPS_ONLY).start();
      return KitTarget.of(server.calendarUri())
          .pushTimeout(Duration.ofSeconds(8))
          .quietPeriod(Duration.ofMillis(500))
          .only(List.of("registration"))
          .closing(server);
    }
  }

  /** The same server trusting the kit's CA, and the push service over HTTPS. */
  static class HttpsKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      KitCertificateAuthority ca = KitCertificateAuthority.generate();
      ReferenceServer server =
          ReferenceServer.builder()
              .pushResources(ReferenceServer.PushResources.HTTPS_ONLY)
              .trust(ca.certificate())
              .start();
      return KitTarget.of(server.calendarUri())
          .pushServiceHttps(ca)
          .pushTimeout(Duration.ofSeconds(8))
          .quietPeriod(Duration.ofMillis(500))
          .only(List.of("security", "R-WDP-34"))
          .closing(server);
    }
  }

  @Test
  void aRefusedPlainHttpPushResourceFailsTheConfigurationTestNotAMust() {
    Map<String, String> results = run(PlainHttpKit.class);

    assertThat(results.get(CONFIGURATION))
        .startsWith("FAILED the kit cannot check this target:")
        .contains("plain HTTP on a loopback address", "pushServiceUrl", "pushServiceHttps");
    assertThat(results.values().stream().filter(v -> v.startsWith("FAILED"))).hasSize(1);
    assertThat(outcomeOf(results, "R-WDP-24"))
        .isEqualTo("ABORTED not checked: the configuration test failed");
  }

  @Test
  void overHttpsTransportSecurityPasses() {
    Map<String, String> results = run(HttpsKit.class);

    assertThat(results.get(CONFIGURATION)).startsWith("SUCCESSFUL");
    assertThat(outcomeOf(results, "R-WDP-64")).startsWith("SUCCESSFUL");
    assertThat(outcomeOf(results, "R-8030-1")).startsWith("SUCCESSFUL");
    assertThat(results.values().stream().filter(v -> v.startsWith("FAILED"))).isEmpty();
  }
}
