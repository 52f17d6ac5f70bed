package dev.davpush.testkit.junit;

import java.util.LinkedHashMap;
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
