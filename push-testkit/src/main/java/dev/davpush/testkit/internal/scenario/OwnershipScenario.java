package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_62;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.internal.client.DavHttpClient;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.PushDontNotify;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * R-WDP-62. The MUST clause: with credentials configured, a registration without credentials is
 * refused with 401 or 403. The SHOULD clause (with a second user): that user can neither delete the
 * first user's registration nor suppress its message with {@code Push-Dont-Notify}.
 */
final class OwnershipScenario extends MemberChangeScenario {
  OwnershipScenario() {
    super("ownership", R_WDP_62);
  }

  @Override
  void run(RunContext ctx, URI member) {
    Recorder rec = ctx.record();
    String refusal = checkAnonymousRefused(ctx);
    Optional<WebDavPushClient> second = ctx.secondUser();
    if (second.isEmpty()) {
      if (refusal == null) {
        rec.notTested(R_WDP_62, "needs credentials, and " + Need.SECOND_USER.describe());
      } else {
        rec.pass(
            R_WDP_62,
            refusal + "; binding to the user not checked: needs " + Need.SECOND_USER.describe());
      }
      return;
    }
    // a registration of its own, so that a server that lets the other user delete it spoils no
    // later check
    PushServiceSubscription own = ctx.subscribe();
    WebDavPushClient.RegisterResponse r = ctx.registerFurther(own, null);
    if (r.location() == null) {
      throw new Unmet(
          "a further registration was answered without a Location: " + r.result().evidence());
    }
    URI ownLocation = ctx.resolve(r.location());
    WebDavPushClient other = second.get();
    HttpResult delete = other.delete(ownLocation);
    RunContext.MemberBody body = ctx.memberBody(member);
    HttpResult put =
        other.put(
            member,
            body.type(),
            body.bytes(),
            List.of(PushDontNotify.format(List.of(ownLocation))),
            false);
    if (put.status() / 100 != 2) {
      throw new Unmet("the second user cannot write the member: " + put.evidence());
    }
    Optional<ReceivedPush> still = own.awaitMessage(ctx.pushTimeout());
    boolean deleteRefused = delete.status() == 403 || delete.status() == 404;
    rec.check(
        R_WDP_62,
        Level.SHOULD,
        deleteRefused && still.isPresent(),
        (refusal == null ? "" : refusal + "; ")
            + "second user: DELETE of the first user's registration → "
            + delete.status()
            + "; "
            + put.evidence()
            + " with Push-Dont-Notify: first user's registration → "
            + (still.isPresent() ? "first user still notified" : "first user not notified"));
  }

  /**
   * The MUST clause; returns the evidence of a proper refusal, or null when not checkable (no
   * credentials configured). Records a MUST failure when the server accepts it.
   */
  private static @org.jspecify.annotations.Nullable String checkAnonymousRefused(RunContext ctx) {
    if (ctx.options().user().isEmpty()) {
      return null;
    }
    PushServiceSubscription s = ctx.subscribe();
    WebDavPushClient.RegisterResponse r;
    try (WebDavPushClient anonymous =
        new WebDavPushClient(new DavHttpClient(ctx.target(), null, null))) {
      r = anonymous.register(ctx.target(), RunContext.contentUpdates(s, null));
    }
    String evidence = "push-register without credentials: " + r.result().evidence();
    boolean refused = r.status() == 401 || r.status() == 403;
    if (!refused) {
      if (r.status() / 100 == 2 && r.location() != null) {
        ctx.client().delete(ctx.resolve(r.location()));
      }
      ctx.record().fail(R_WDP_62, evidence);
      return null;
    }
    return evidence;
  }
}
