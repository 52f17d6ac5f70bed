package dev.davpush.testkit.contract;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * The contract kits' display names: a test annotated with {@link Verifies} is shown as its rule,
 * {@code [STORE-17] removeExpired(now) removes exactly the registrations that expired at or before
 * now … (SubscriptionStore#removeExpired; R-WDP-33)}; other tests and classes keep JUnit's standard
 * names. Used through {@code @DisplayNameGeneration} on the kits; needs JUnit Jupiter 5.12 or
 * later.
 *
 * <p>Thread safety: stateless.
 */
public final class RuleDisplayNames extends DisplayNameGenerator.Standard {
  /** Created by JUnit. */
  public RuleDisplayNames() {}

  @Override
  public String generateDisplayNameForMethod(
      List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
    Verifies rule = testMethod.getAnnotation(Verifies.class);
    return rule != null
        ? rule.value().displayName()
        : super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod);
  }
}
