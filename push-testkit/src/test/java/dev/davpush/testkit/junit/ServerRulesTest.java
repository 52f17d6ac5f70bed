package dev.davpush.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Area;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules interfaces, the kit's nested classes and the catalogue agree. */
class ServerRulesTest {
  private static String camel(Area a) {
    return Arrays.stream(a.name().split("_"))
        .map(p -> p.charAt(0) + p.substring(1).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining());
  }

  private static Class<?> member(Class<?> outer, String simpleName) throws ClassNotFoundException {
    return Class.forName(outer.getName() + "$" + simpleName);
  }

  @ParameterizedTest
  @EnumSource(Area.class)
  void eachAreaHasOneRulePerCatalogedRequirement(Area area) throws Exception {
    Class<?> rules = member(ServerRules.class, camel(area));
    Set<String> ids =
        Arrays.stream(rules.getDeclaredMethods())
            .map(m -> RuleNames.requirementOf(m.getName()).map(Requirement::id).orElse(m.getName()))
            .collect(Collectors.toSet());
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            RequirementCatalogue.inArea(area).stream().map(Requirement::id).toList());
  }

  @ParameterizedTest
  @EnumSource(Area.class)
  void eachAreaIsANestedClassWhoseTestsAreTaggedWithTheLevel(Area area) throws Exception {
    Class<?> nested = member(PushServerConformanceKit.class, camel(area));
    assertThat(nested.isAnnotationPresent(Nested.class)).isTrue();
    assertThat(member(ServerRules.class, camel(area)).isAssignableFrom(nested)).isTrue();
    for (Method m : nested.getDeclaredMethods()) {
      Requirement r = RuleNames.requirementOf(m.getName()).orElseThrow();
      assertThat(m.isAnnotationPresent(Test.class)).as(m.getName()).isTrue();
      assertThat(m.getAnnotation(Tag.class).value()).as(m.getName()).isEqualTo(r.level().tag());
    }
  }

  @Test
  void displayNamesStartWithTheRequirementId() throws Exception {
    Method m = member(PushServerConformanceKit.class, "Registration").getMethod("r_wdp_25");
    String name =
        new RuleNames()
            .generateDisplayNameForMethod(java.util.List.of(), PushServerConformanceKit.class, m);
    assertThat(name).startsWith("R-WDP-25 [MUST] ");
    assertThat(RuleNames.requirementOf("configuration")).isEmpty();
  }
}
