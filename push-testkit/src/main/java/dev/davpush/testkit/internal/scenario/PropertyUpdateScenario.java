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
 * Property updates. A registration for property updates of {@code DAV:displayname}, of the kit's
 * own dead property {@link #KIT_PROPERTY} and of a property the server cannot know is accepted and
 * notified of a PROPPATCH of the display name (R-WDP-21: unsupported listed properties are
 * ignored); when the server refuses that PROPPATCH (some answer 500 for {@code DAV:displayname} on
 * a collection), of a PROPPATCH of the kit's dead property instead, which is removed again
 * afterwards; R-WDP-21 is NOT_TESTED only when both are refused. A content change sends the
 * registration nothing (R-WDP-22); deleting a member notifies the kit's content-update registration
 * with a content update (R-WDP-23).
 */
final class PropertyUpdateScenario extends MemberChangeScenario {
  static final PropertyName UNKNOWN =
      PropertyName.of("urn:davpush:kit", "no-server-has-this-property");

  /** A dead property in the kit's namespace, set when the display name cannot be. */
  static final PropertyName KIT_PROPERTY = PropertyName.of("urn:davpush:kit", "conformance-note");

  // its checks are worth nothing on a server that notifies nobody: it starts only once delivery
  // has reached the kit's registration
  PropertyUpdateScenario() {
    super("property-update", R_WDP_21, R_WDP_22, R_WDP_23);
  }

  @Override
  void run(RunContext ctx, URI member) {
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
                        Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, KIT_PROPERTY, UNKNOWN))),
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
    PropertyName changed = PropertyName.DISPLAYNAME;
    String refusedFirst = "";
    if (!patched(patch, PropertyName.DISPLAYNAME)) {
      refusedFirst = "displayname refused (" + patch.evidence() + "), so ";
      patch = ctx.client().setProperty(ctx.target(), KIT_PROPERTY, "set by the davpush kit");
      changed = KIT_PROPERTY;
    }
    if (!patched(patch, changed)) {
      rec.notTested(
          R_WDP_21,
          "PROPPATCH refused for DAV:displayname and for the dead property "
              + KIT_PROPERTY.localName()
              + ": "
              + refusedFirst
              + patch.evidence());
    } else {
      Optional<ReceivedPush> p = props.awaitMessage(ctx.pushTimeout());
      Optional<PushMessage> m = p.flatMap(PropertyUpdateScenario::message);
      rec.check(
          R_WDP_21,
          m.isPresent() && m.get().propertyUpdate().isPresent(),
          "registered for displayname, "
              + KIT_PROPERTY.localName()
              + " and "
              + UNKNOWN.localName()
              + ": "
              + r.result().evidence()
              + "; "
              + refusedFirst
              + patch.evidence()
              + " ("
              + changed.localName()
              + ") → "
              + (p.isEmpty()
                  ? "no message"
                  : m.map(
                          x ->
                              x.propertyUpdate().isPresent()
                                  ? "property-update"
                                  : "no property-update")
                      .orElse("unreadable message")));
    }
    boolean removeKitProperty = changed.equals(KIT_PROPERTY) && patched(patch, KIT_PROPERTY);
    RunContext.drain(props);
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> stray = props.awaitMessage(ctx.quietPeriod());
    rec.check(
        R_WDP_22,
        stray.isEmpty(),
        put.evidence()
            + " (content only) → property-only registration "
            + (stray.isEmpty() ? "not notified" : "notified"));
    if (removeKitProperty) {
      // after R-WDP-22's quiet period, so that the removal's message cannot count there
      ctx.client().removeProperty(ctx.target(), KIT_PROPERTY);
    }
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

  /** Whether a PROPPATCH set the property: a 2xx answer, or a 207 whose propstat for it is 2xx. */
  static boolean patched(HttpResult r, PropertyName name) {
    if (r.status() == 207) {
      try {
        List<dev.davpush.xml.DavResponse> rs =
            dev.davpush.xml.MultistatusReader.read(new java.io.ByteArrayInputStream(r.body()));
        return !rs.isEmpty() && rs.get(0).status(name).orElse(500) / 100 == 2;
      } catch (PushException e) {
        return false;
      }
    }
    return r.status() / 100 == 2;
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
