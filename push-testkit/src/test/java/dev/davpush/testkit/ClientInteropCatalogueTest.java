package dev.davpush.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.testkit.runner.CheckResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client-interop entries of the catalogue and the INTEROP level. */
class ClientInteropCatalogueTest {
  @Test
  void theInteropLevelNeverFailsARunNotEvenAStrictOne() {
    assertThat(Level.INTEROP.failsRun(false)).isFalse();
    assertThat(Level.INTEROP.failsRun(true)).isFalse();
    assertThat(Level.INTEROP.tag()).isEqualTo("interop");
    CheckResult refused =
        new CheckResult(
            RequirementCatalogue.CI_1,
            Outcome.FAILED,
            Level.INTEROP,
            "refused",
            "client-interop",
            Duration.ZERO);
    assertThat(refused.failsRun(true)).isFalse();
  }

  @Test
  void everyClientInteropEntryIsACiIdAtLevelInteropAndNamesItsClients() {
    List<Requirement> ci = RequirementCatalogue.inArea(Area.CLIENT_INTEROP);
    assertThat(ci).extracting(Requirement::id).containsExactly("CI-1", "CI-2", "CI-3", "CI-4");
    assertThat(ci)
        .allSatisfy(
            r -> {
              assertThat(r.level()).isEqualTo(Level.INTEROP);
              assertThat(r.document()).isEqualTo("davpush client interop");
              assertThat(r.section()).startsWith("davpush client interop, not a requirement");
            });
    assertThat(RequirementCatalogue.CI_1.summary()).startsWith("DAVx⁵ up to 4.5.19");
    assertThat(RequirementCatalogue.all())
        .filteredOn(r -> r.level() == Level.INTEROP)
        .containsExactlyElementsOf(ci);
    assertThat(Area.fromLabel("client-interop")).isEqualTo(Area.CLIENT_INTEROP);
  }

  @Test
  void onlyCiIdsHaveTheInteropLevel() {
    assertThatThrownBy(
            () -> new Requirement("CI-9", Level.SHOULD, Area.CLIENT_INTEROP, "s", "summary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CI-9 has SHOULD");
    assertThatThrownBy(
            () -> new Requirement("R-WDP-99", Level.INTEROP, Area.DISCOVERY, "s", "summary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R-WDP-99 has INTEROP");
    assertThatThrownBy(() -> new Requirement("XI-1", Level.INTEROP, Area.DISCOVERY, "s", "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CI-<n>");
  }

  @Test
  void bp4IsAShouldOfThePushServiceAreaNotFromTheDraft() {
    assertThat(RequirementCatalogue.BP_4.level()).isEqualTo(Level.SHOULD);
    assertThat(RequirementCatalogue.BP_4.area()).isEqualTo(Area.PUSH_SERVICE);
    assertThat(RequirementCatalogue.BP_4.section()).contains("not from the draft", "RFC 8030 §7.2");
  }
}
