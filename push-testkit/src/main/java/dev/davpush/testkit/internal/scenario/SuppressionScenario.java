package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_8188_8;
import static dev.davpush.testkit.RequirementCatalogue.R_8291_2;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_39;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_42;

import dev.davpush.PushException;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.webpush.crypto.Aes128GcmCodec;
import dev.davpush.xml.PushDontNotify;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A write with {@code Push-Dont-Notify} naming the kit's own registration sends nothing; a write
 * with an invalid value is accepted and notifies. The second message also shows that each message
 * has its own application server key and salt.
 */
final class SuppressionScenario implements Scenario {
  @Override
  public String name() {
    return "suppression";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_39, R_WDP_42, R_8291_2, R_8188_8);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration", "delivery");
  }

  @Override
  public void run(RunContext ctx) {
    RunContext.Registered reg = ctx.primary();
    RunContext.Delivered delivered = ctx.delivered();
    PushServiceSubscription sub = reg.subscription();
    Recorder rec = ctx.record();

    RunContext.drain(sub);
    HttpResult quiet =
        ctx.putMember(
            delivered.member(), List.of(PushDontNotify.format(List.of(reg.location()))), false);
    Optional<ReceivedPush> leaked = sub.awaitMessage(ctx.quietPeriod());
    rec.check(
        R_WDP_39,
        leaked.isEmpty(),
        quiet.evidence()
            + " with Push-Dont-Notify: own registration → "
            + (leaked.isEmpty()
                ? "no push within " + ctx.quietPeriod().toMillis() + " ms"
                : "a push arrived"));

    RunContext.drain(sub);
    HttpResult invalid =
        ctx.putMember(delivered.member(), List.of("garbage, not-a-quoted-url"), false);
    Optional<ReceivedPush> next = sub.awaitMessage(ctx.pushTimeout());
    rec.check(
        R_WDP_42,
        invalid.status() / 100 == 2 && next.isPresent(),
        invalid.evidence()
            + " with Push-Dont-Notify: garbage → "
            + (next.isPresent() ? "push received" : "no push"));
    if (next.isEmpty()) {
      throw new Unmet("no second push message arrived to compare keys and salts with");
    }
    Aes128GcmCodec.Header h1 = header(delivered.first());
    Aes128GcmCodec.Header h2 = header(next.get());
    if (h1 == null || h2 == null) {
      rec.notTested(R_8291_2, "an aes128gcm header was unreadable (R-8291-6, R-8291-7)");
      rec.notTested(R_8188_8, "an aes128gcm header was unreadable (R-8291-6, R-8291-7)");
      return;
    }
    boolean sameKey = Arrays.equals(h1.keyId(), h2.keyId());
    rec.check(
        R_8291_2,
        !sameKey,
        "two messages: application server keys " + (sameKey ? "identical" : "different"));
    boolean sameSalt = Arrays.equals(h1.salt(), h2.salt());
    rec.check(R_8188_8, !sameSalt, "two messages: salts " + (sameSalt ? "identical" : "different"));
  }

  private static Aes128GcmCodec.@Nullable Header header(ReceivedPush p) {
    try {
      return Aes128GcmCodec.Header.parse(p.body());
    } catch (PushException e) {
      return null;
    }
  }
}
