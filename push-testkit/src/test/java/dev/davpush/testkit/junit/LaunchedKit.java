package dev.davpush.testkit.junit;

import dev.davpush.testkit.reference.ReferenceServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a {@link PushServerConformanceKit} subclass through the JUnit Platform launcher, as a build
 * tool would, and reports each test's outcome by its display name.
 */
final class LaunchedKit {
  private LaunchedKit() {}

  /** Runs a kit class; returns display name → "STATUS message", in the order the tests ended. */
  static Map<String, String> run(Class<?> kit) {
    Map<String, String> out = new LinkedHashMap<>();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(kit))
                .build(),
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                  out.put(
                      id.getDisplayName(),
                      result.getStatus()
                          + " "
                          + result.getThrowable().map(Throwable::getMessage).orElse(""));
                }
              }
            });
    return out;
  }

  /**
   * The target for a kit under test: a reference server, with a push timeout of 8 s and a quiet
   * period of 500 ms, closed when the kit ends.
   */
  static KitTarget targetOf(ReferenceServer server) {
    return KitTarget.of(server.calendarUri())
        .pushTimeout(Duration.ofSeconds(8))
        .quietPeriod(Duration.ofMillis(500))
        .closing(server);
  }

  /** {@return the outcomes of a run that are failures} */
  static List<String> failures(Map<String, String> results) {
    return results.values().stream().filter(v -> v.startsWith("FAILED")).toList();
  }

  /**
   * The outcome of the test whose display name starts with a requirement ID.
   *
   * @throws AssertionError if no test has that ID
   */
  static String outcomeOf(Map<String, String> results, String idPrefix) {
    return results.entrySet().stream()
        .filter(e -> e.getKey().startsWith(idPrefix + " "))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no test for " + idPrefix + " in " + results));
  }
}
