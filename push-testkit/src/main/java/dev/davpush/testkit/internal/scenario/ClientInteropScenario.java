package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.CI_1;
import static dev.davpush.testkit.RequirementCatalogue.CI_2;
import static dev.davpush.testkit.RequirementCatalogue.CI_3;
import static dev.davpush.testkit.RequirementCatalogue.CI_4;

import dev.davpush.Base64Url;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client interop (level INTEROP, never a run failure): registers the way deployed clients do and
 * reports whether the server accepts each form and, when it does, whether a member change then
 * reaches the registration. Each form differs from the current draft's registration in one respect
 * only, so a finding names one cause:
 *
 * <ul>
 *   <li>CI-1: no {@code trigger} and no {@code content-encoding}, as DAVx⁵ up to 4.5.19 sends it;
 *   <li>CI-2: {@code content-update} holding {@code DAV:sync-level} {@code 1} instead of {@code
 *       DAV:depth} (drafts 2025-02-22 to 2025-03-09; dav4jvm's element);
 *   <li>CI-3: depth {@code infinite} instead of {@code infinity} (drafts 2025-02-22 to 2025-04-27;
 *       RFC 6578's spelling);
 *   <li>CI-4: every element in the {@code DAV:Push} namespace (drafts before 2024-11-13).
 * </ul>
 *
 * <p>When the server refuses CI-3's form, the kit registers the same trigger with the current
 * spelling {@code infinity}; when that is refused too, the server refuses depth infinity itself
 * (R-WDP-19 judges that) and CI-3 is NOT_TESTED. Every registration is deleted when the scenario
 * ends.
 */
final class ClientInteropScenario extends MemberChangeScenario {
  /** One way a deployed client registers. */
  record Form(Requirement id, String what, String clients) {}

  static final Form DAVX5 =
      new Form(CI_1, "push-register without trigger and content-encoding", "DAVx⁵ up to 4.5.19");
  static final Form SYNC_LEVEL =
      new Form(
          CI_2,
          "content-update with DAV:sync-level 1",
          "clients written to the drafts of 2025-02-22 to 2025-03-09, and clients built on"
              + " dav4jvm's sync-level element");
  static final Form INFINITE =
      new Form(
          CI_3,
          "content-update with depth infinite",
          "clients written to the drafts of 2025-02-22 to 2025-04-27, and dav4jvm (RFC 6578's"
              + " infinite)");
  static final Form LEGACY_NAMESPACE =
      new Form(
          CI_4,
          "push-register in the DAV:Push namespace",
          "clients written to the drafts before 2024-11-13");

  static final List<Form> FORMS = List.of(DAVX5, SYNC_LEVEL, INFINITE, LEGACY_NAMESPACE);

  // "notified" is worth judging only on a server that notifies the kit's own registration, so
  // this scenario starts only once delivery has reached it
  ClientInteropScenario() {
    super("client-interop", CI_1, CI_2, CI_3, CI_4);
  }

  @Override
  void run(RunContext ctx, URI member) {
    Recorder rec = ctx.record();
    List<Accepted> accepted = new ArrayList<>();
    for (Form f : FORMS) {
      PushServiceSubscription s = ctx.subscribe();
      WebDavPushClient.RegisterResponse r = ctx.registerRaw(body(f, s));
      if (r.status() / 100 == 2) {
        accepted.add(new Accepted(f, s, r));
      } else if (f == INFINITE && refusesInfinity(ctx)) {
        rec.notTested(
            f.id(),
            "depth infinity itself is refused (R-WDP-19), so the spelling infinite cannot be"
                + " judged: "
                + r.result().evidence());
      } else {
        rec.fail(
            f.id(),
            f.id().level(),
            "refused, affects "
                + f.clients()
                + ": "
                + f.what()
                + ": "
                + r.result().evidence()
                + RunContext.bodyHint(r.result()));
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    for (Accepted a : accepted) {
      RunContext.drain(a.subscription());
    }
    HttpResult put = ctx.putMember(member, List.of(), false);
    for (Accepted a : accepted) {
      Optional<ReceivedPush> p = a.subscription().awaitMessage(ctx.pushTimeout());
      String evidence =
          a.form().what() + ": " + a.answer().result().evidence() + "; " + put.evidence() + " → ";
      if (p.isPresent()) {
        rec.pass(a.form().id(), evidence + "notified");
      } else {
        rec.fail(
            a.form().id(),
            a.form().id().level(),
            "accepted but not notified, affects "
                + a.form().clients()
                + ": "
                + evidence
                + "no push message within "
                + ctx.pushTimeout().toSeconds()
                + " s");
      }
    }
  }

  /**
   * A control for CI-3: whether the server refuses a content update of depth {@code infinity}
   * spelled as the current draft spells it (then {@code infinite} says nothing about the spelling).
   */
  private static boolean refusesInfinity(RunContext ctx) {
    WebDavPushClient.RegisterResponse r =
        ctx.register(
            new dev.davpush.RegisterRequest(
                ctx.subscribe().toWebPushSubscription(),
                List.of(new dev.davpush.Trigger.ContentUpdate(dev.davpush.Depth.INFINITY)),
                null),
            false);
    return r.status() / 100 != 2;
  }

  private record Accepted(
      Form form, PushServiceSubscription subscription, WebDavPushClient.RegisterResponse answer) {}

  /**
   * The registration body a client of that kind sends for a subscription.
   *
   * @param f the form
   * @param s the subscription
   * @return UTF-8 XML
   */
  static byte[] body(Form f, PushServiceSubscription s) {
    String ns = f == LEGACY_NAMESPACE ? WebDavPush.LEGACY_NAMESPACE : WebDavPush.NAMESPACE;
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<push-register xmlns=\"")
            .append(ns)
            .append("\" xmlns:D=\"DAV:\"><subscription><web-push-subscription><push-resource>")
            .append(escape(s.pushResource().uri().toString()))
            .append("</push-resource>");
    if (f != DAVX5) {
      xml.append("<content-encoding>aes128gcm</content-encoding>");
    }
    xml.append("<subscription-public-key type=\"p256dh\">")
        .append(Base64Url.encode(s.keys().publicKey().bytes()))
        .append("</subscription-public-key><auth-secret>")
        .append(s.keys().authSecret().toBase64Url())
        .append("</auth-secret></web-push-subscription></subscription>");
    if (f == SYNC_LEVEL) {
      xml.append("<trigger><content-update><D:sync-level>1</D:sync-level></content-update>")
          .append("</trigger>");
    } else if (f == INFINITE) {
      xml.append("<trigger><content-update><D:depth>infinite</D:depth></content-update>")
          .append("</trigger>");
    } else if (f == LEGACY_NAMESPACE) {
      xml.append("<trigger><content-update><D:depth>1</D:depth></content-update></trigger>");
    }
    xml.append("</push-register>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
