package dev.davpush.testkit.contract;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One run of a kit class through the JUnit Platform Launcher, as a build tool would run it: which
 * rules passed, failed or were aborted, by the {@link Verifies} annotation of each test method, and
 * every failure that is not a rule's test (a container, a test without a rule).
 */
final class KitRun {
  final Set<ContractRule> passed = EnumSet.noneOf(ContractRule.class);
  final Set<ContractRule> failed = EnumSet.noneOf(ContractRule.class);
  final Set<ContractRule> aborted = EnumSet.noneOf(ContractRule.class);
  final List<String> displayNames = new ArrayList<>();
  final List<String> otherFailures = new ArrayList<>();
  final List<String> failureMessages = new ArrayList<>();

  private KitRun() {}

  /** Runs every test of {@code kit} (with its nested classes) and collects the outcomes. */
  static KitRun of(Class<?> kit) {
    KitRun run = new KitRun();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            ContractRule rule = ruleOf(id);
            if (id.isTest()) {
              run.displayNames.add(id.getDisplayName());
            }
            boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED;
            if (failed) {
              run.failureMessages.add(
                  id.getDisplayName()
                      + ": "
                      + result.getThrowable().map(Throwable::toString).orElse("(no exception)"));
            }
            if (rule == null || !id.isTest()) {
              if (failed) {
                run.otherFailures.add(id.getDisplayName());
              }
              return;
            }
            switch (result.getStatus()) {
              case SUCCESSFUL -> run.passed.add(rule);
              case FAILED -> run.failed.add(rule);
              case ABORTED -> run.aborted.add(rule);
            }
          }
        });
    return run;
  }

  private static ContractRule ruleOf(TestIdentifier id) {
    TestSource source = id.getSource().orElse(null);
    if (source instanceof MethodSource m) {
      Method method = m.getJavaMethod();
      Verifies v = method.getAnnotation(Verifies.class);
      return v == null ? null : v.value();
    }
    return null;
  }

  @Override
  public String toString() {
    return "KitRun[failed="
        + failed
        + ", aborted="
        + aborted
        + ", other failures="
        + otherFailures
        + ", messages="
        + failureMessages
        + "]";
  }
}
