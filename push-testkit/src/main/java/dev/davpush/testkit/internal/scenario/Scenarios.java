package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_8030_10;
import static dev.davpush.testkit.RequirementCatalogue.R_8292_12;
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
    NOT_COVERED.put(
        R_8030_10,
        "judged through its parts, which fail on their own: R-WDP-48 (the message decrypts with"
            + " the subscription's key and auth secret: confidentiality and integrity), R-WDP-54"
            + " and R-8292-3 (a VAPID token that verifies with the published key: origin"
            + " authentication)");
    NOT_COVERED.put(
        R_8292_12,
        "the application server's part is judged as R-WDP-54 (the token's k is the published key"
            + " the kit's subscription is restricted to) and R-8292-3 (its ES256 signature"
            + " verifies with k); the other part binds the push service");
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
