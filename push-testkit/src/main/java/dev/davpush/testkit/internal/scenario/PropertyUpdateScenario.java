package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_21;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_22;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_23;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Trigger;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.PushMessageReader;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Property updates. A registration for property updates of {@code DAV:displayname} and of a
 * property the server cannot know is accepted and notified of a PROPPATCH of the display name
 * (R-WDP-21: unsupported listed properties are ignored); a content change sends it nothing
 * (R-WDP-22); deleting a member notifies the kit's content-update registration with a content
 * update (R-WDP-23).
 */
final class PropertyUpdateScenario implements Scenario {
  static final PropertyName UNKNOWN =
      PropertyName.of("urn:davpush:kit", "no-server-has-this-property");

  @Override
  public String name() {
    return "property-update";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_21, R_WDP_22, R_WDP_23);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration", "delivery");
  }

  @Override
  public void run(RunContext ctx) {
    // its checks are worth nothing on a server that notifies nobody: stop early there
    URI member = ctx.delivered().member();
    ctx.requireReadableMessages();
    Recorder rec = ctx.record();
    checkMemberDeletion(ctx);
    SupportedTriggers supported = ctx.discovery().supported();
    if (supported == null || supported.propertyUpdate().isEmpty()) {
      rec.notApplicable(R_WDP_21, "no property-update in supported-triggers");
      rec.notApplicable(R_WDP_22, "no property-update in supported-triggers");
      return;
    }
    PushServiceSubscription props = ctx.subscribe();
    WebDavPushClient.RegisterResponse r =
        ctx.register(
            new RegisterRequest(
                props.toWebPushSubscription(),
                List.of(
                    new Trigger.PropertyUpdate(
                        Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, UNKNOWN))),
                null),
            false);
    if (r.status() / 100 != 2) {
      rec.fail(
          R_WDP_21,
          "property-update of displayname and an unknown property: " + r.result().evidence());
      rec.notTested(R_WDP_22, "the property-update registration was refused (R-WDP-21)");
      return;
    }
    HttpResult patch =
        ctx.client().setDisplayName(ctx.target(), "davpush kit " + System.nanoTime());
    if (patch.status() != 207 && patch.status() / 100 != 2) {
      rec.notTested(R_WDP_21, "PROPPATCH of DAV:displayname refused: " + patch.evidence());
    } else {
      Optional<ReceivedPush> p = props.awaitMessage(ctx.pushTimeout());
      Optional<PushMessage> m = p.flatMap(PropertyUpdateScenario::message);
      rec.check(
          R_WDP_21,
          m.isPresent() && m.get().propertyUpdate().isPresent(),
          "registered for displayname and "
              + UNKNOWN.localName()
              + ": "
              + r.result().evidence()
              + "; "
              + patch.evidence()
              + " → "
              + (p.isEmpty()
                  ? "no message"
                  : m.map(
                          x ->
                              x.propertyUpdate().isPresent()
                                  ? "property-update"
                                  : "no property-update")
                      .orElse("unreadable message")));
    }
    RunContext.drain(props);
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> stray = props.awaitMessage(ctx.quietPeriod());
    rec.check(
        R_WDP_22,
        stray.isEmpty(),
        put.evidence()
            + " (content only) → property-only registration "
            + (stray.isEmpty() ? "not notified" : "notified"));
  }

  /** R-WDP-23: a deleted member is a content update for the content-update registration. */
  private static void checkMemberDeletion(RunContext ctx) {
    PushServiceSubscription primary = ctx.primary().subscription();
    URI doomed = ctx.newMember(false);
    ctx.putMember(doomed, List.of(), true);
    primary.awaitMessage(ctx.pushTimeout());
    RunContext.drain(primary);
    HttpResult del = ctx.client().delete(doomed);
    if (del.status() / 100 != 2) {
      ctx.record().notTested(R_WDP_23, "the kit could not delete its member: " + del.evidence());
      return;
    }
    Optional<PushMessage> m =
        primary.awaitMessage(ctx.pushTimeout()).flatMap(PropertyUpdateScenario::message);
    ctx.record()
        .check(
            R_WDP_23,
            m.isPresent() && m.get().contentUpdate().isPresent(),
            del.evidence()
                + " → "
                + m.map(
                        x ->
                            (x.contentUpdate().isPresent() ? "content-update" : "no content-update")
                                + (x.propertyUpdate().isPresent() ? " + property-update" : ""))
                    .orElse("no readable message"));
  }

  private static Optional<PushMessage> message(ReceivedPush p) {
    if (p.plaintext().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PushMessageReader.read(p.plaintext().get()));
    } catch (PushException e) {
      return Optional.empty();
    }
  }
}
