package dev.davpush.testkit.reference.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.reference.ReferenceServer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The catalogue of planted faults, without running the kit. */
class PlantedFaultTest {
  @Test
  void thereAreAtLeastFortyFaultsEachNamingACataloguedMustOrShouldOrInfoRequirement() {
    assertThat(PlantedFault.values()).hasSizeGreaterThanOrEqualTo(40);
    for (PlantedFault f : PlantedFault.values()) {
      assertThat(RequirementCatalogue.find(f.requirement()))
          .as("%s names %s", f, f.requirement())
          .isPresent();
      assertThat(f.description()).as("%s", f).isNotBlank();
    }
    assertThat(
            Arrays.stream(PlantedFault.values())
                .map(f -> RequirementCatalogue.get(f.requirement()).level())
                .filter(l -> l == Level.MUST || l == Level.SHOULD)
                .count())
        .isGreaterThanOrEqualTo(40);
  }

  @Test
  void breakingListsTheFaultsOfARequirement() {
    assertThat(PlantedFault.breaking("R-WDP-25"))
        .containsExactly(PlantedFault.RELATIVE_LOCATION, PlantedFault.NO_LOCATION);
    assertThat(PlantedFault.breaking("R-WDP-2")).isEmpty();
  }

  @Test
  void theEarlierSixFaultsMapToPlantedFaultsOfTheSameRequirement() {
    for (ReferenceServer.Fault f : ReferenceServer.Fault.values()) {
      assertThat(f.planted().name()).isEqualTo(f.name());
    }
    assertThat(ReferenceServer.Fault.RELATIVE_LOCATION.planted().requirement())
        .isEqualTo("R-WDP-25");
  }

  @Test
  void theDocumentationListsEveryFaultWithItsRequirement() throws java.io.IOException {
    java.nio.file.Path doc =
        java.nio.file.Path.of(System.getProperty("user.dir"))
            .getParent()
            .resolve("docs/reference-server.md");
    String text = java.nio.file.Files.readString(doc);
    for (PlantedFault f : PlantedFault.values()) {
      assertThat(text)
          .as("docs/reference-server.md lists %s", f)
          .contains("| `" + f.name() + "` | " + f.requirement() + " |");
    }
    assertThat(text).contains("lists " + PlantedFault.values().length + " faults");
  }

  @ParameterizedTest
  @EnumSource(PlantedFault.class)
  void everyFaultGivesAFreshDecoratorAndAServerThatStartsAndStops(PlantedFault fault) {
    assertThat(fault.decorator()).isNotSameAs(fault.decorator());
    try (ReferenceServer server = ReferenceServer.builder().fault(fault).start()) {
      assertThat(server.calendarUri().getPort()).isPositive();
    }
  }
}
