package dev.davpush.testkit.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link ContractRule} a contract kit test checks. {@link RuleDisplayNames} builds the
 * test's display name from it, and the kits' self-test checks by reflection that every rule has
 * exactly one test.
 *
 * <p>Thread safety: an annotation; immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Verifies {
  /**
   * The rule.
   *
   * @return the rule this test checks
   */
  ContractRule value();
}
