package dev.davpush.testkit.junit;

import static dev.davpush.testkit.junit.LaunchedKit.failures;
import static dev.davpush.testkit.junit.LaunchedKit.outcomeOf;
import static dev.davpush.testkit.junit.LaunchedKit.run;
import static dev.davpush.testkit.junit.LaunchedKit.targetOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.reference.ReferenceServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the kit's outcomes become JUnit outcomes, seen through the JUnit Platform launcher. */
class KitOutcomesTest {
  /** A server whose registrations come back with a relative Location: breaks R-WDP-25 (MUST). */
  static class RelativeLocationKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      ReferenceServer server =
          ReferenceServer.builder().fault(ReferenceServer.Fault.RELATIVE_LOCATION).start();
      return targetOf(server);
    }
  }

  /** The same broken server, with a baseline that expects the failure. */
  static class BaselinedKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      ReferenceServer server =
          ReferenceServer.builder().fault(ReferenceServer.Fault.RELATIVE_LOCATION).start();
      return targetOf(server)
          .only(java.util.List.of("registration"))
          .baseline(
              dev.davpush.testkit.report.Baseline.of(
                  java.util.List.of(
                      new dev.davpush.testkit.report.Baseline.Expectation(
                          "R-WDP-25",
                          dev.davpush.testkit.Outcome.FAILED,
                          "relative Location until release 2"))));
    }
  }

  /** A server that lets anyone delete a registration: breaks R-WDP-62's SHOULD clause. */
  static class AnyoneUnregistersKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      ReferenceServer server =
          ReferenceServer.builder()
              .fault(ReferenceServer.Fault.UNREGISTER_FOR_ANYONE)
              .user("alice", "a-secret")
              .user("bob", "b-secret")
              .start();
      return targetOf(server)
          .credentials("alice", "a-secret")
          .secondUser("bob", "b-secret")
          .only(java.util.List.of("R-WDP-62"));
    }
  }

  /** A server that refuses DAVx⁵'s trigger-less registration, judged strictly. */
  static class StrictInteropKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      ReferenceServer server =
          ReferenceServer.builder()
              .fault(
                  dev.davpush.testkit.reference.faults.PlantedFault
                      .REFUSE_REGISTRATION_WITHOUT_TRIGGER)
              .start();
      return targetOf(server).only(java.util.List.of("client-interop")).strict();
    }
  }

  /** Nothing listens at the target. */
  static class UnreachableKit extends PushServerConformanceKit {
    @Override
    protected KitTarget target() {
      return KitTarget.of(URI.create("http://127.0.0.1:9/dav/calendars/personal/"));
    }
  }

  @Test
  void aMustFailureFailsItsTestAndOnlyIt() {
    Map<String, String> results = run(RelativeLocationKit.class);

    assertThat(results).hasSize(RequirementCatalogue.all().size() + 1);
    assertThat(outcomeOf(results, "R-WDP-25")).startsWith("FAILED R-WDP-25 MUST failed:");
    assertThat(failures(results)).hasSize(1);
    assertThat(outcomeOf(results, "R-WDP-24")).startsWith("SUCCESSFUL");
    assertThat(outcomeOf(results, "R-WDP-64")).startsWith("ABORTED not tested:");
  }

  @Test
  void aShouldFailureAbortsWithAMessageThatSaysSo() {
    Map<String, String> results = run(AnyoneUnregistersKit.class);

    assertThat(outcomeOf(results, "R-WDP-62")).startsWith("ABORTED SHOULD failed:");
    assertThat(outcomeOf(results, "R-WDP-4")).startsWith("ABORTED not tested: not selected");
    assertThat(failures(results)).isEmpty();
  }

  @Test
  void aRefusedClientFormAbortsWithTheClientsItAffectsEvenWhenStrict() {
    Map<String, String> results = run(StrictInteropKit.class);

    assertThat(outcomeOf(results, "CI-1"))
        .startsWith("ABORTED INTEROP: refused, affects DAVx⁵ up to 4.5.19:")
        .contains("403");
    assertThat(outcomeOf(results, "CI-2")).startsWith("SUCCESSFUL");
    assertThat(failures(results)).isEmpty();
  }

  @Test
  void aFailureTheBaselineExpectsAbortsAndSaysSo() {
    Map<String, String> results = run(BaselinedKit.class);

    assertThat(outcomeOf(results, "R-WDP-25"))
        .startsWith("ABORTED expected by the baseline (relative Location until release 2): MUST");
    assertThat(failures(results)).isEmpty();
  }

  @Test
  void anUnusableTargetFailsTheConfigurationTestAndAbortsTheRest() {
    Map<String, String> results = run(UnreachableKit.class);

    assertThat(
            results.get(
                "configuration: the target is reachable, a collection, push-capable and writable"))
        .startsWith("FAILED the kit cannot check this target:");
    assertThat(failures(results)).hasSize(1);
    assertThat(outcomeOf(results, "R-WDP-4"))
        .isEqualTo("ABORTED not checked: the configuration test failed");
  }
}
