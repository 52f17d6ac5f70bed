package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.RequirementCatalogue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every catalogued requirement is checked by some scenario or listed with a reason. */
class CoverageTest {
  @Test
  void everyRequirementIsCoveredOrExplained() {
    List<ConformanceRunner.Coverage> coverage = ConformanceRunner.coverage();
    assertThat(coverage).hasSameSizeAs(RequirementCatalogue.all());
    for (ConformanceRunner.Coverage c : coverage) {
      if (c.reason() == null) {
        assertThat(ConformanceRunner.scenarioNames()).containsAll(c.scenarios());
      } else {
        assertThat(c.reason()).as(c.requirement().id()).isNotBlank();
      }
    }
  }

  @Test
  void selectingAnAreaRunsItsScenariosAndWhatTheyBuildOn() {
    RunnerOptions options =
        RunnerOptions.builder(java.net.URI.create("http://127.0.0.1:1/dav/"))
            .only(List.of("suppression"))
            .build();
    assertThat(
            dev.davpush.testkit.internal.scenario.ScenarioRunner.selected(options).stream()
                .map(dev.davpush.testkit.internal.scenario.Scenario::name))
        .containsExactly("discovery", "registration", "delivery", "suppression");
  }
}
