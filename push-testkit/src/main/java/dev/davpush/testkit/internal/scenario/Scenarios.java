package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_17;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_60;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_61;

import dev.davpush.testkit.Requirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kit's scenarios in run order, and the catalogued requirements no scenario checks, each with
 * the reason.
 *
 * <p>Thread safety: immutable.
 */
public final class Scenarios {
  private static final List<Scenario> ALL =
      List.of(
          new DiscoveryScenario(),
          new HomeSetScenario(),
          new RegistrationScenario(),
          new DowngradeScenario(),
          new DeliveryScenario(),
          new PushRequestScenario(),
          new SuppressionScenario(),
          new PropertyUpdateScenario(),
          new BurstScenario(),
          new OwnershipScenario(),
          new GoneSubscriptionScenario(),
          new PushServiceFaultsScenario(),
          new PayloadTooLargeScenario(),
          new ClientInteropScenario(),
          new ExpiryScenario(),
          new UpdateScenario(),
          new TransportSecurityScenario(),
          new RemovalScenario(),
          new KeyRotationScenario());

  private static final Map<Requirement, String> NOT_COVERED = new LinkedHashMap<>();

  static {
    NOT_COVERED.put(
        R_WDP_17, "a MAY that permits ignoring a change: no behaviour to judge either way");
    NOT_COVERED.put(
        R_WDP_60, "a MAY; the Topic header's form is R-8030-6, its meaning is not observable");
    NOT_COVERED.put(R_WDP_61, "a MAY; a sent Urgency is checked under R-8030-5");
  }

  private Scenarios() {}

  /** {@return every scenario, in run order} */
  public static List<Scenario> all() {
    return ALL;
  }

  /** {@return the catalogued requirements no scenario checks, with the reason} */
  public static Map<Requirement, String> notCovered() {
    return java.util.Collections.unmodifiableMap(NOT_COVERED);
  }
}
