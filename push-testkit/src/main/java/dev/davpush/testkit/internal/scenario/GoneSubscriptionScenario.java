package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_45;

import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Push resources that the push service reports gone (410, then 404) after the server's first
 * message to each: after the quiet period, the next change sends nothing more to them.
 */
final class GoneSubscriptionScenario extends MemberChangeScenario {
  GoneSubscriptionScenario() {
    super("gone-subscription", R_WDP_45);
  }

  @Override
  void run(RunContext ctx, URI member) {
    checkDropped(ctx, member, 410);
    checkDropped(ctx, member, 404);
  }

  /** One push resource the push service reports gone with the given status. */
  private static void checkDropped(RunContext ctx, URI member, int status) {
    PushServiceSubscription dead = ctx.subscribe();
    ctx.registerFurther(dead, null);
    if (status == PushServiceSubscription.GONE_STATUS) {
      dead.unsubscribe();
    } else {
      for (int i = 0; i < 20; i++) {
        dead.answerWith(status);
      }
    }
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> refused = dead.awaitMessage(ctx.pushTimeout());
    if (refused.isEmpty()) {
      throw new Unmet(put.evidence() + " → the second registration got no message");
    }
    // the server acts on the 410 after it arrives; the quiet period gives it that time
    dead.expectNothing(ctx.quietPeriod());
    RunContext.drain(dead);
    HttpResult again = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> stray = dead.awaitMessage(ctx.quietPeriod());
    ctx.record()
        .check(
            R_WDP_45,
            stray.isEmpty(),
            "push service answered "
                + refused.get().status()
                + "; "
                + again.evidence()
                + " → "
                + (stray.isEmpty()
                    ? "no further message to that push resource"
                    : "sent again to the gone push resource"));
  }
}
