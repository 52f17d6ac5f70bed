package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_24;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_34;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_35;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_36;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_6;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_8;

import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * PUT of a new member → a push message within the push timeout; its push-message names the
 * collection's topic and a content update with the sync-token the collection then has; the topic
 * stays the same; the member itself shows no push properties (unless it says it is push-capable),
 * and a registration on it is refused with 403 push-not-available.
 */
final class DeliveryScenario implements Scenario {
  @Override
  public String name() {
    return "delivery";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_34, R_WDP_35, R_WDP_36, R_WDP_8, R_WDP_6, R_WDP_24);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration");
  }

  @Override
  public void run(RunContext ctx) {
    RunContext.Discovery d = ctx.discovery();
    RunContext.Registered reg = ctx.primary();
    Recorder rec = ctx.record();
    URI member = ctx.newMember(true);
    int tlsFailuresBefore = ctx.service().tlsHandshakeFailures().size();
    HttpResult put = ctx.putMember(member, List.of(), true);
    Optional<ReceivedPush> first = reg.subscription().awaitMessage(ctx.pushTimeout());
    if (first.isEmpty()) {
      Optional<String> untrusted = Reach.untrustedCertificate(ctx.service(), tlsFailuresBefore);
      if (untrusted.isPresent()) {
        throw new dev.davpush.testkit.runner.TargetException(untrusted.get());
      }
    }
    rec.check(
        R_WDP_34,
        first.isPresent(),
        first.isPresent()
            ? put.evidence() + " → push received"
            : put.evidence()
                + " → no push message within "
                + ctx.pushTimeout().toSeconds()
                + " s"
                + (reg.subscription().received().isEmpty()
                    ? Reach.silentRefusalHint(ctx.service())
                    : ""));
    checkMemberHasNoPushProperties(ctx, member);
    if (first.isEmpty()) {
      throw new Unmet("no push message arrived after a member change (R-WDP-34)");
    }
    ctx.delivered(new RunContext.Delivered(member, first.get()));
    PushMessage message = checkMessage(rec, first.get(), d.topic());
    checkSyncToken(ctx, message, d.syncTokenBefore());
    Topic again =
        ctx.propfind(ctx.target())
            .self()
            .flatMap(r -> RunContext.read("topic", r::topic, new ArrayList<>()))
            .orElse(null);
    RegistrationScenario.expect(
        ctx,
        "on the kit's member, a resource without push",
        ctx.registerRawAt(
            member,
            dev.davpush.xml.PushRegisterWriter.write(
                new dev.davpush.RegisterRequest(
                    ctx.subscribe().toWebPushSubscription(),
                    List.of(new dev.davpush.Trigger.ContentUpdate(dev.davpush.Depth.ZERO)),
                    null))),
        dev.davpush.Precondition.PUSH_NOT_AVAILABLE);
    rec.check(
        R_WDP_8,
        d.topic().equals(again),
        "topic before and after a member change: "
            + (d.topic().equals(again) ? "equal" : "different"));
  }

  private static @Nullable PushMessage checkMessage(Recorder rec, ReceivedPush p, Topic topic) {
    if (p.plaintext().isEmpty()) {
      rec.notTested(R_WDP_35, "the message could not be decrypted (R-WDP-48)");
      rec.notTested(R_WDP_36, "the message could not be decrypted (R-WDP-48)");
      return null;
    }
    try {
      PushMessage m = PushMessageReader.read(p.plaintext().get());
      boolean sameTopic = m.topic().map(topic::equals).orElse(false);
      rec.check(
          R_WDP_35,
          sameTopic && m.contentUpdate().isPresent(),
          "push-message topic "
              + (sameTopic
                  ? "= PROPFIND topic"
                  : "≠ PROPFIND topic (" + m.topic().map(Topic::value).orElse("absent") + ")")
              + ", content-update "
              + (m.contentUpdate().isPresent() ? "present" : "absent"));
      return m;
    } catch (PushException e) {
      rec.fail(R_WDP_35, "the decrypted payload is not a push-message: " + e.getMessage());
      rec.notTested(R_WDP_36, "no readable push-message (R-WDP-35)");
      return null;
    }
  }

  private static void checkSyncToken(
      RunContext ctx, @Nullable PushMessage m, @Nullable String before) {
    if (m == null) {
      return;
    }
    Optional<String> inMessage =
        m.contentUpdate().flatMap(PushMessage.ContentUpdate::syncTokenValue);
    Optional<String> now =
        ctx.propfind(ctx.target())
            .self()
            .flatMap(r -> RunContext.read("sync-token", r::syncToken, new ArrayList<>()));
    if (now.isEmpty() && before == null) {
      ctx.record().notApplicable(R_WDP_36, "the collection has no DAV:sync-token");
      return;
    }
    ctx.record()
        .check(
            R_WDP_36,
            inMessage.isPresent() && inMessage.equals(now),
            "message sync-token "
                + inMessage.orElse("(absent)")
                + ", PROPFIND sync-token "
                + now.orElse("(absent)"));
  }

  private static void checkMemberHasNoPushProperties(RunContext ctx, URI member) {
    HttpResult options = ctx.client().options(member);
    if (WebDavPushClient.davTokens(options).contains(WebDavPush.COMPLIANCE_CLASS)) {
      // the draft allows push-capable members (since 2025-03): nothing to forbid here
      ctx.record()
          .pass(
              R_WDP_6,
              options.evidence() + ": the member itself is push-capable (DAV: webdav-push)");
      return;
    }
    WebDavPushClient.Propfind pf = ctx.client().propfind(member, "0", RunContext.DISCOVERY);
    Optional<DavResponse> r = pf.self();
    boolean topic = r.isPresent() && RunContext.isPresent(r.get(), WebDavPush.TOPIC);
    boolean triggers =
        r.isPresent() && RunContext.isPresent(r.get(), WebDavPush.SUPPORTED_TRIGGERS);
    ctx.record()
        .check(
            R_WDP_6,
            r.isPresent() && !topic && !triggers,
            pf.result().evidence()
                + " (a member without webdav-push in DAV): topic "
                + (topic ? "present" : "absent")
                + ", supported-triggers "
                + (triggers ? "present" : "absent"));
  }
}
