package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_8188_8;
import static dev.davpush.testkit.RequirementCatalogue.R_8291_2;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_34;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_39;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_42;

import dev.davpush.PushException;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.webpush.crypto.Aes128GcmCodec;
import dev.davpush.xml.PushDontNotify;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A write with {@code Push-Dont-Notify} naming the kit's own registration sends nothing; with a
 * second registration, naming one spares the other, two field lines silence both, {@code *}
 * silences both (SHOULD); a write with an invalid value is accepted and notifies. The second
 * message also shows that each message has its own application server key and salt.
 */
final class SuppressionScenario implements Scenario {
  @Override
  public String name() {
    return "suppression";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_39, R_WDP_42, R_8291_2, R_8188_8, R_WDP_34);
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

    checkTwoRegistrations(ctx, delivered.member(), reg);

    RunContext.drain(sub);
    HttpResult invalid =
        ctx.putMemberAnyStatus(delivered.member(), List.of("garbage, not-a-quoted-url"));
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

  /**
   * With a second registration B on the collection: naming A suppresses A only (B is notified:
   * R-WDP-34, so a server that silences everyone whenever the header is present fails); {@code *}
   * suppresses both (SHOULD NOT notify); A and B on two field lines suppress both (MUST NOT).
   */
  private static void checkTwoRegistrations(
      RunContext ctx, java.net.URI member, RunContext.Registered a) {
    Recorder rec = ctx.record();
    PushServiceSubscription b = ctx.subscribe();
    dev.davpush.testkit.internal.client.WebDavPushClient.RegisterResponse r =
        ctx.register(
            new dev.davpush.RegisterRequest(
                b.toWebPushSubscription(),
                List.of(new dev.davpush.Trigger.ContentUpdate(dev.davpush.Depth.ONE)),
                null),
            false);
    if (r.status() / 100 != 2 || r.location() == null) {
      rec.notTested(R_WDP_34, "a second registration was refused: " + r.result().evidence());
      return;
    }
    java.net.URI bLocation = ctx.resolve(r.location());
    PushServiceSubscription aSub = a.subscription();

    RunContext.drain(aSub);
    HttpResult onlyA =
        ctx.putMember(member, List.of(PushDontNotify.format(List.of(a.location()))), false);
    Optional<ReceivedPush> toB = b.awaitMessage(ctx.pushTimeout());
    Optional<ReceivedPush> toA = aSub.awaitMessage(ctx.quietPeriod());
    rec.check(
        R_WDP_39,
        toA.isEmpty(),
        onlyA.evidence()
            + " with Push-Dont-Notify naming A of two → A "
            + (toA.isEmpty() ? "not notified" : "notified"));
    rec.check(
        R_WDP_34,
        toB.isPresent(),
        onlyA.evidence()
            + " with Push-Dont-Notify naming only A → B, not named, "
            + (toB.isPresent() ? "notified" : "not notified"));

    RunContext.drain(aSub);
    RunContext.drain(b);
    HttpResult both =
        ctx.putMember(
            member,
            List.of(
                PushDontNotify.format(List.of(a.location())),
                PushDontNotify.format(List.of(bLocation))),
            false);
    Optional<ReceivedPush> leak = aSub.awaitMessage(ctx.quietPeriod());
    if (leak.isEmpty()) {
      leak = b.awaitMessage(Duration.ofMillis(200));
    }
    rec.check(
        R_WDP_39,
        leak.isEmpty(),
        both.evidence()
            + " with Push-Dont-Notify: A and B on two field lines → "
            + (leak.isEmpty() ? "neither notified" : "a push arrived"));

    RunContext.drain(aSub);
    RunContext.drain(b);
    HttpResult all = ctx.putMember(member, List.of("*"), false);
    Optional<ReceivedPush> star = aSub.awaitMessage(ctx.quietPeriod());
    if (star.isEmpty()) {
      star = b.awaitMessage(Duration.ofMillis(200));
    }
    rec.check(
        R_WDP_39,
        dev.davpush.testkit.Level.SHOULD,
        star.isEmpty(),
        all.evidence()
            + " with Push-Dont-Notify: * → "
            + (star.isEmpty() ? "nobody notified" : "a push arrived (SHOULD NOT)"));
  }

  private static Aes128GcmCodec.@Nullable Header header(ReceivedPush p) {
    try {
      return Aes128GcmCodec.Header.parse(p.body());
    } catch (PushException e) {
      return null;
    }
  }
}
