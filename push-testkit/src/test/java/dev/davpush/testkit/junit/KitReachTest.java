package dev.davpush.testkit.junit;

import static dev.davpush.testkit.junit.LaunchedKit.failures;
import static dev.davpush.testkit.junit.LaunchedKit.outcomeOf;
import static dev.davpush.testkit.junit.LaunchedKit.run;
import static dev.davpush.testkit.junit.LaunchedKit.targetOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
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
      return targetOf(server).only(List.of("registration"));
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
      return targetOf(server).pushServiceHttps(ca).only(List.of("security", "R-WDP-34"));
    }
  }

  @Test
  void aRefusedPlainHttpPushResourceFailsTheConfigurationTestNotAMust() {
    Map<String, String> results = run(PlainHttpKit.class);

    assertThat(results.get(CONFIGURATION))
        .startsWith("FAILED the kit cannot check this target:")
        .contains("plain HTTP on a loopback address", "pushServiceUrl", "pushServiceHttps");
    assertThat(failures(results)).hasSize(1);
    assertThat(outcomeOf(results, "R-WDP-24"))
        .isEqualTo("ABORTED not checked: the configuration test failed");
  }

  @Test
  void overHttpsTransportSecurityPasses() {
    Map<String, String> results = run(HttpsKit.class);

    assertThat(results.get(CONFIGURATION)).startsWith("SUCCESSFUL");
    assertThat(outcomeOf(results, "R-WDP-64")).startsWith("SUCCESSFUL");
    assertThat(outcomeOf(results, "R-8030-1")).startsWith("SUCCESSFUL");
    assertThat(failures(results)).isEmpty();
  }
}
