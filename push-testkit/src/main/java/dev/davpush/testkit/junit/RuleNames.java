package dev.davpush.testkit.junit;

import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names the kit's tests: a method {@code r_wdp_25} becomes {@code R-WDP-25 [MUST] a new
 * registration's Location is an absolute URL}; other methods and classes keep JUnit's standard
 * names.
 *
 * <p>Thread safety: stateless.
 */
public final class RuleNames extends DisplayNameGenerator.Standard {
  /** For JUnit. */
  public RuleNames() {}

  /**
   * The requirement a rule method checks.
   *
   * @param methodName for example {@code r_wdp_25}, {@code bp_1} or {@code ci_1}
   * @return {@code R-WDP-25}'s (or {@code BP-1}'s, {@code CI-1}'s) entry, or empty for other names
   */
  public static Optional<Requirement> requirementOf(String methodName) {
    if (!methodName.startsWith("r_")
        && !methodName.startsWith("bp_")
        && !methodName.startsWith("ci_")) {
      return Optional.empty();
    }
    return RequirementCatalogue.find(methodName.toUpperCase(Locale.ROOT).replace('_', '-'));
  }

  @Override
  public String generateDisplayNameForMethod(
      List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
    return requirementOf(testMethod.getName())
        .map(r -> r.id() + " [" + r.level() + "] " + r.summary())
        .orElseGet(
            () ->
                super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod));
  }
}
