package dev.davpush.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every contract rule can fail: for each rule a planted fault (a decorator over the in-memory
 * implementation that breaks exactly that rule), and the kit, run through the JUnit Platform
 * Launcher as a build tool runs it, reports exactly that rule as failed and every other rule as
 * passed.
 */
class ContractKitSelfTest {
  @AfterEach
  void clearFaults() {
    BrokenStoreKit.fault = null;
    BrokenQueueKit.fault = null;
    BrokenTransportKit.fault = null;
  }

  static Set<ContractRule> rulesOf(Class<?> kit) {
    return Arrays.stream(ContractRule.values())
        .filter(r -> r.kit() == kit)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ContractRule.class)));
  }

  @Test
  void storeKitPassesTheInMemoryStore() {
    BrokenStoreKit.fault = null;
    KitRun run = KitRun.of(BrokenStoreKit.class);
    assertThat(run.failed).as("%s", run).isEmpty();
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.passed).isEqualTo(rulesOf(SubscriptionStoreContract.class));
    assertThat(run.displayNames)
        .as("display names of the tests")
        .containsExactlyInAnyOrderElementsOf(
            rulesOf(SubscriptionStoreContract.class).stream()
                .map(ContractRule::displayName)
                .toList());
  }

  @ParameterizedTest
  @EnumSource(BrokenStore.class)
  void storeKitReportsExactlyThePlantedFault(BrokenStore fault) {
    BrokenStoreKit.fault = fault;
    KitRun run = KitRun.of(BrokenStoreKit.class);
    assertThat(run.failed).as("%s", run).containsExactly(fault.rule);
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.aborted).as("%s", run).isEmpty();
  }

  @Test
  void everyStoreRuleHasAPlantedFault() {
    assertThat(Arrays.stream(BrokenStore.values()).map(f -> f.rule).collect(Collectors.toSet()))
        .isEqualTo(rulesOf(SubscriptionStoreContract.class));
  }

  @Test
  void queueKitPassesTheInMemoryQueue() {
    BrokenQueueKit.fault = null;
    KitRun run = KitRun.of(BrokenQueueKit.class);
    assertThat(run.failed).as("%s", run).isEmpty();
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.passed).isEqualTo(rulesOf(DeliveryQueueContract.class));
    assertThat(run.displayNames)
        .as("display names of the tests")
        .containsExactlyInAnyOrderElementsOf(
            rulesOf(DeliveryQueueContract.class).stream().map(ContractRule::displayName).toList());
  }

  @ParameterizedTest
  @EnumSource(BrokenQueue.class)
  void queueKitReportsExactlyThePlantedFault(BrokenQueue fault) {
    BrokenQueueKit.fault = fault;
    KitRun run = KitRun.of(BrokenQueueKit.class);
    assertThat(run.failed).as("%s", run).containsExactly(fault.rule);
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.aborted).as("%s", run).isEmpty();
  }

  @Test
  void everyQueueRuleHasAPlantedFault() {
    assertThat(Arrays.stream(BrokenQueue.values()).map(f -> f.rule).collect(Collectors.toSet()))
        .isEqualTo(rulesOf(DeliveryQueueContract.class));
  }

  @Test
  void transportKitPassesWebPushTransport() {
    BrokenTransportKit.fault = null;
    KitRun run = KitRun.of(BrokenTransportKit.class);
    assertThat(run.failed).as("%s", run).isEmpty();
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.passed).isEqualTo(rulesOf(PushTransportContract.class));
    assertThat(run.displayNames)
        .as("display names of the tests")
        .containsExactlyInAnyOrderElementsOf(
            rulesOf(PushTransportContract.class).stream().map(ContractRule::displayName).toList());
  }

  @ParameterizedTest
  @EnumSource(BrokenTransport.class)
  void transportKitReportsExactlyThePlantedFault(BrokenTransport fault) {
    BrokenTransportKit.fault = fault;
    KitRun run = KitRun.of(BrokenTransportKit.class);
    assertThat(run.failed).as("%s", run).containsExactly(fault.rule);
    assertThat(run.otherFailures).as("%s", run).isEmpty();
    assertThat(run.aborted).as("%s", run).isEmpty();
  }

  @Test
  void everyTransportRuleHasAPlantedFault() {
    assertThat(Arrays.stream(BrokenTransport.values()).map(f -> f.rule).collect(Collectors.toSet()))
        .isEqualTo(rulesOf(PushTransportContract.class));
  }

  @Test
  void aStoreThatIsNotEmptyIsNamedAsTheProblem() {
    KitRun run = KitRun.of(MisconfiguredKits.PrefilledStoreKit.class);
    assertThat(run.failed)
        .containsExactlyInAnyOrder(
            ContractRule.STORE_DISTINCT_ORDERED_PAGES,
            ContractRule.STORE_DISTINCT_FULL_PAGES,
            ContractRule.STORE_DISTINCT_ACTIVE_ONLY);
    assertThat(run.failureMessages)
        .allSatisfy(m -> assertThat(m).contains("createStore() must return an empty store"));
  }

  @Test
  void aQueueThatIsNotEmptyIsNamedAsTheProblem() {
    KitRun run = KitRun.of(MisconfiguredKits.PrefilledQueueKit.class);
    assertThat(run.failed).isEqualTo(rulesOf(DeliveryQueueContract.class));
    assertThat(run.failureMessages)
        .allSatisfy(m -> assertThat(m).contains("createQueue() must return an empty queue"));
  }
}
