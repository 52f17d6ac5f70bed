package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_17;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_21;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_22;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_23;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_33;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_43;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_46;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_53;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_55;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_60;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_61;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_64;

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
          new RegistrationScenario(),
          new DowngradeScenario(),
          new DeliveryScenario(),
          new PushRequestScenario(),
          new SuppressionScenario(),
          new OwnershipScenario(),
          new GoneSubscriptionScenario(),
          new UpdateScenario(),
          new RemovalScenario());

  private static final Map<Requirement, String> NOT_COVERED = new LinkedHashMap<>();

  static {
    NOT_COVERED.put(
        R_WDP_17, "a MAY that permits ignoring a change: no behaviour to judge either way");
    NOT_COVERED.put(R_WDP_21, "no property-update scenario yet (PROPPATCH with a prop list)");
    NOT_COVERED.put(
        R_WDP_22,
        "no property-update scenario yet (content change on a property-only registration)");
    NOT_COVERED.put(R_WDP_23, "no property-update scenario yet (member deletion)");
    NOT_COVERED.put(
        R_WDP_33,
        "needs a hook that expires a registration now, or a server that grants an expiry short"
            + " enough to wait for");
    NOT_COVERED.put(R_WDP_43, "no burst scenario yet");
    NOT_COVERED.put(R_WDP_46, "needs CalDAV/CardDAV home-set discovery, not built yet");
    NOT_COVERED.put(
        R_WDP_53, "needs a second push-capable resource to compare VAPID keys, not built yet");
    NOT_COVERED.put(R_WDP_55, "needs a hook that rotates the server's VAPID key");
    NOT_COVERED.put(
        R_WDP_60, "a MAY; the Topic header's form is R-8030-6, its meaning is not observable");
    NOT_COVERED.put(R_WDP_61, "a MAY; a sent Urgency is checked under R-8030-5");
    NOT_COVERED.put(
        R_WDP_64,
        "the kit's push service speaks plain HTTP on loopback; HTTPS push resources are not"
            + " built yet");
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
