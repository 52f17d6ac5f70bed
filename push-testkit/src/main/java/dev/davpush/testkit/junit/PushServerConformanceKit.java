package dev.davpush.testkit.junit;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import dev.davpush.testkit.runner.ConformanceRunner;
import dev.davpush.testkit.runner.RunnerOptions;
import dev.davpush.testkit.runner.TargetException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit as a JUnit 5 class: extend it, return your server's {@link KitTarget}, and
 * JUnit shows one test per catalogued requirement, grouped in {@code @Nested} classes by {@link
 * dev.davpush.testkit.Area}, each named by its requirement ID, level and summary and tagged with
 * the requirement's level ({@code must}, {@code should}, {@code may}, {@code info}; the
 * client-interop findings {@code interop}).
 *
 * <pre>{@code
 * class MyServerConformanceTest extends PushServerConformanceKit {
 *   @Override
 *   protected KitTarget target() {
 *     MyServer server = MyServer.start(); // must accept http push resources on 127.0.0.1
 *     return KitTarget.of(server.calendarUrl()).credentials("alice", "secret").closing(server);
 *   }
 * }
 * }</pre>
 *
 * <p>The kit runs all its scenarios once, before the first test ({@link #target()} is called then,
 * once), and each test reports its requirement's result:
 *
 * <ul>
 *   <li>PASSED: the test passes;
 *   <li>FAILED at MUST level (or at SHOULD level with {@link KitTarget#strict()}): the test fails
 *       with the evidence;
 *   <li>FAILED at SHOULD, MAY or INFO level: the test is aborted (JUnit: skipped) with a message
 *       that starts {@code SHOULD failed:} (or {@code MAY failed:}, {@code INFO:}) and the
 *       evidence, so the build passes and the report shows it;
 *   <li>a client-interop finding ({@code CI-} ID) the server refuses: aborted with a message that
 *       starts {@code INTEROP:} and names the clients affected; never a failure, not even with
 *       {@link KitTarget#strict()};
 *   <li>NOT_TESTED and NOT_APPLICABLE: aborted, with the reason;
 *   <li>a failure the {@linkplain KitTarget#baseline baseline} expects: aborted, with a message
 *       that starts {@code expected by the baseline}.
 * </ul>
 *
 * <p>The first test, {@code configuration}, fails when the target cannot be checked at all
 * (unreachable, credentials refused, not a collection, no push support, or it refuses or cannot
 * reach the kit's push service for a reason of the kit's configuration: plain HTTP, a loopback
 * address, an untrusted certificate), with a message that says what to fix; every requirement test
 * is then aborted.
 *
 * <p>Thread safety: JUnit creates one instance per subclass ({@code PER_CLASS}); do not run its
 * tests concurrently with each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayNameGeneration(RuleNames.class)
public abstract class PushServerConformanceKit {
  private @Nullable KitTarget target;
  private @Nullable ConformanceReport report;
  private @Nullable RuntimeException unusable;

  /** For subclasses. */
  protected PushServerConformanceKit() {}

  /**
   * The server to check. Called once, before the first test; start an embedded server here and hand
   * it to {@link KitTarget#closing} so that the kit stops it after the last test.
   *
   * @return the target
   * @throws Exception if the server cannot be started; the configuration test then fails with it
   */
  protected abstract KitTarget target() throws Exception;

  @BeforeAll
  final void runKit() {
    try {
      KitTarget t = target();
      this.target = t;
      RunnerOptions options = t.options();
      this.report = ConformanceRunner.run(options);
    } catch (TargetException e) {
      this.unusable = e;
    } catch (Exception e) {
      this.unusable = new IllegalStateException("target() failed: " + e, e);
    }
  }

  @AfterAll
  final void closeTarget() throws Exception {
    if (target != null) {
      Optional<Exception> failure = target.close();
      if (failure.isPresent()) {
        throw failure.get();
      }
    }
  }

  /**
   * The report of the kit's run, once {@code configuration} has passed.
   *
   * @return the report, or empty before the run or when the configuration test failed
   */
  protected final Optional<ConformanceReport> report() {
    return Optional.ofNullable(report);
  }

  /**
   * Fails when the target cannot be checked at all: unreachable, credentials refused, not a
   * collection, no WebDAV-Push support, no write access.
   */
  @Test
  @DisplayName("configuration: the target is reachable, a collection, push-capable and writable")
  final void configuration() {
    if (unusable != null) {
      Assertions.fail("the kit cannot check this target: " + unusable.getMessage(), unusable);
    }
  }

  /**
   * Reports one requirement's result as the outcome of the calling test.
   *
   * @param requirement the requirement
   */
  final void verify(Requirement requirement) {
    if (unusable != null || report == null) {
      Assumptions.abort("not checked: the configuration test failed");
      return;
    }
    CheckResult r = report.result(requirement.id());
    boolean strict = target != null && target.options().strict();
    switch (r.outcome()) {
      case PASSED -> {}
      case FAILED -> {
        Optional<dev.davpush.testkit.report.Baseline.Expectation> expected =
            target == null
                ? Optional.empty()
                : target
                    .baseline()
                    .expectation(requirement.id())
                    .filter(e -> e.outcome() == Outcome.FAILED);
        if (expected.isPresent()) {
          Assumptions.abort(
              "expected by the baseline ("
                  + expected.get().reason()
                  + "): "
                  + r.level()
                  + " failed: "
                  + r.evidence());
        } else if (r.level().failsRun(strict)) {
          Assertions.fail(requirement.id() + " " + r.level() + " failed: " + r.evidence());
        } else {
          Assumptions.abort(failedPrefix(r.level()) + r.evidence());
        }
      }
      case NOT_APPLICABLE -> Assumptions.abort("not applicable: " + r.evidence());
      case NOT_TESTED -> Assumptions.abort("not tested: " + r.evidence());
    }
  }

  private static String failedPrefix(Level level) {
    return level == Level.INFO || level == Level.INTEROP ? level + ": " : level + " failed: ";
  }

  /** {@link dev.davpush.testkit.Area#DISCOVERY}. */
  @Nested
  @DisplayName("discovery")
  class Discovery implements ServerRules.Discovery {
    @Override
    @Test
    @Tag("should")
    public void r_wdp_2() {
      verify(RequirementCatalogue.R_WDP_2);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_4() {
      verify(RequirementCatalogue.R_WDP_4);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_5() {
      verify(RequirementCatalogue.R_WDP_5);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_6() {
      verify(RequirementCatalogue.R_WDP_6);
    }

    @Override
    @Test
    @Tag("info")
    public void r_wdp_8() {
      verify(RequirementCatalogue.R_WDP_8);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_9() {
      verify(RequirementCatalogue.R_WDP_9);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_18() {
      verify(RequirementCatalogue.R_WDP_18);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_46() {
      verify(RequirementCatalogue.R_WDP_46);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_49() {
      verify(RequirementCatalogue.R_WDP_49);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_51() {
      verify(RequirementCatalogue.R_WDP_51);
    }

    @Override
    @Test
    @Tag("info")
    public void r_wdp_53() {
      verify(RequirementCatalogue.R_WDP_53);
    }
  }

  /** {@link dev.davpush.testkit.Area#REGISTRATION}. */
  @Nested
  @DisplayName("registration")
  class Registration implements ServerRules.Registration {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_19() {
      verify(RequirementCatalogue.R_WDP_19);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_21() {
      verify(RequirementCatalogue.R_WDP_21);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_24() {
      verify(RequirementCatalogue.R_WDP_24);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_25() {
      verify(RequirementCatalogue.R_WDP_25);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_26() {
      verify(RequirementCatalogue.R_WDP_26);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_28() {
      verify(RequirementCatalogue.R_WDP_28);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_31() {
      verify(RequirementCatalogue.R_WDP_31);
    }
  }

  /** {@link dev.davpush.testkit.Area#NOTIFICATION}. */
  @Nested
  @DisplayName("notification")
  class Notification implements ServerRules.Notification {
    @Override
    @Test
    @Tag("may")
    public void r_wdp_17() {
      verify(RequirementCatalogue.R_WDP_17);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_22() {
      verify(RequirementCatalogue.R_WDP_22);
    }

    @Override
    @Test
    @Tag("info")
    public void r_wdp_23() {
      verify(RequirementCatalogue.R_WDP_23);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_34() {
      verify(RequirementCatalogue.R_WDP_34);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_35() {
      verify(RequirementCatalogue.R_WDP_35);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_36() {
      verify(RequirementCatalogue.R_WDP_36);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_43() {
      verify(RequirementCatalogue.R_WDP_43);
    }
  }

  /** {@link dev.davpush.testkit.Area#SUPPRESSION}. */
  @Nested
  @DisplayName("suppression")
  class Suppression implements ServerRules.Suppression {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_39() {
      verify(RequirementCatalogue.R_WDP_39);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_42() {
      verify(RequirementCatalogue.R_WDP_42);
    }
  }

  /** {@link dev.davpush.testkit.Area#LIFECYCLE}. */
  @Nested
  @DisplayName("lifecycle")
  class Lifecycle implements ServerRules.Lifecycle {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_30() {
      verify(RequirementCatalogue.R_WDP_30);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_33() {
      verify(RequirementCatalogue.R_WDP_33);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_45() {
      verify(RequirementCatalogue.R_WDP_45);
    }
  }

  /** {@link dev.davpush.testkit.Area#PUSH_REQUEST}. */
  @Nested
  @DisplayName("push-request")
  class PushRequest implements ServerRules.PushRequest {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_59() {
      verify(RequirementCatalogue.R_WDP_59);
    }

    @Override
    @Test
    @Tag("may")
    public void r_wdp_60() {
      verify(RequirementCatalogue.R_WDP_60);
    }

    @Override
    @Test
    @Tag("may")
    public void r_wdp_61() {
      verify(RequirementCatalogue.R_WDP_61);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8030_4() {
      verify(RequirementCatalogue.R_8030_4);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8030_5() {
      verify(RequirementCatalogue.R_8030_5);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8030_6() {
      verify(RequirementCatalogue.R_8030_6);
    }

    @Override
    @Test
    @Tag("may")
    public void r_8030_7() {
      verify(RequirementCatalogue.R_8030_7);
    }
  }

  /** {@link dev.davpush.testkit.Area#ENCRYPTION}. */
  @Nested
  @DisplayName("encryption")
  class Encryption implements ServerRules.Encryption {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_48() {
      verify(RequirementCatalogue.R_WDP_48);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8291_2() {
      verify(RequirementCatalogue.R_8291_2);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8291_6() {
      verify(RequirementCatalogue.R_8291_6);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8291_7() {
      verify(RequirementCatalogue.R_8291_7);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8291_9() {
      verify(RequirementCatalogue.R_8291_9);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8188_8() {
      verify(RequirementCatalogue.R_8188_8);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8030_10() {
      verify(RequirementCatalogue.R_8030_10);
    }
  }

  /** {@link dev.davpush.testkit.Area#VAPID}. */
  @Nested
  @DisplayName("vapid")
  class Vapid implements ServerRules.Vapid {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_54() {
      verify(RequirementCatalogue.R_WDP_54);
    }

    @Override
    @Test
    @Tag("should")
    public void r_wdp_55() {
      verify(RequirementCatalogue.R_WDP_55);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8292_2() {
      verify(RequirementCatalogue.R_8292_2);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8292_3() {
      verify(RequirementCatalogue.R_8292_3);
    }

    @Override
    @Test
    @Tag("should")
    public void r_8292_5() {
      verify(RequirementCatalogue.R_8292_5);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8292_10() {
      verify(RequirementCatalogue.R_8292_10);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8292_12() {
      verify(RequirementCatalogue.R_8292_12);
    }
  }

  /** {@link dev.davpush.testkit.Area#SECURITY}. */
  @Nested
  @DisplayName("security")
  class Security implements ServerRules.Security {
    @Override
    @Test
    @Tag("must")
    public void r_wdp_62() {
      verify(RequirementCatalogue.R_WDP_62);
    }

    @Override
    @Test
    @Tag("must")
    public void r_wdp_64() {
      verify(RequirementCatalogue.R_WDP_64);
    }

    @Override
    @Test
    @Tag("must")
    public void r_8030_1() {
      verify(RequirementCatalogue.R_8030_1);
    }
  }

  /** {@link dev.davpush.testkit.Area#PUSH_SERVICE}. */
  @Nested
  @DisplayName("push-service")
  class PushService implements ServerRules.PushService {
    @Override
    @Test
    @Tag("should")
    public void bp_1() {
      verify(RequirementCatalogue.BP_1);
    }

    @Override
    @Test
    @Tag("should")
    public void bp_2() {
      verify(RequirementCatalogue.BP_2);
    }

    @Override
    @Test
    @Tag("should")
    public void bp_3() {
      verify(RequirementCatalogue.BP_3);
    }

    @Override
    @Test
    @Tag("should")
    public void bp_4() {
      verify(RequirementCatalogue.BP_4);
    }
  }

  /**
   * {@link dev.davpush.testkit.Area#CLIENT_INTEROP}: a refusal aborts the test (JUnit: skipped)
   * with a message that starts {@code INTEROP:} and names the clients affected; it never fails.
   */
  @Nested
  @DisplayName("client-interop")
  class ClientInterop implements ServerRules.ClientInterop {
    @Override
    @Test
    @Tag("interop")
    public void ci_1() {
      verify(RequirementCatalogue.CI_1);
    }

    @Override
    @Test
    @Tag("interop")
    public void ci_2() {
      verify(RequirementCatalogue.CI_2);
    }

    @Override
    @Test
    @Tag("interop")
    public void ci_3() {
      verify(RequirementCatalogue.CI_3);
    }

    @Override
    @Test
    @Tag("interop")
    public void ci_4() {
      verify(RequirementCatalogue.CI_4);
    }
  }
}
