package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_28;

import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Registering the primary push resource again updates it: the same registration URL. */
final class UpdateScenario implements Scenario {
  private static int count(RunContext ctx, PushServiceSubscription s) {
    int n = 0;
    while (s.awaitMessage(n == 0 ? ctx.pushTimeout() : ctx.quietPeriod()).isPresent()) {
      n++;
    }
    return n;
  }

  @Override
  public String name() {
    return "update";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_28);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration", "delivery");
  }

  @Override
  public void run(RunContext ctx) {
    RunContext.Registered reg = ctx.primary();
    WebDavPushClient.RegisterResponse again =
        ctx.register(
            RunContext.contentUpdates(reg.subscription(), reg.requested().plus(Duration.ofDays(1))),
            false);
    URI againLocation = again.location() == null ? null : ctx.resolve(again.location());
    boolean same = reg.location().equals(againLocation);
    if (same) {
      // the same registration as the primary one: the run, not this scenario, deletes it
      ctx.forget(reg.location());
      ctx.keepShared(reg.location());
    }
    ctx.record()
        .check(
            R_WDP_28,
            again.status() / 100 == 2 && same,
            "second push-register of the same push resource: "
                + again.result().evidence()
                + ", Location "
                + (same ? "unchanged" : "different: " + again.location()));
    java.util.Optional<java.time.Instant> before =
        reg.expires() == null
            ? java.util.Optional.empty()
            : dev.davpush.xml.HttpDates.parse(reg.expires());
    java.util.Optional<java.time.Instant> after =
        again.expires() == null
            ? java.util.Optional.empty()
            : dev.davpush.xml.HttpDates.parse(again.expires());
    if (after.isPresent() && before.isPresent()) {
      // asked for a day more: Expires moves, unless the server already capped the first request
      boolean capped = before.get().isBefore(reg.requested().minusSeconds(60));
      boolean moved = after.get().isAfter(before.get()) || capped;
      ctx.record()
          .check(
              R_WDP_28,
              moved,
              "Expires " + reg.expires() + ", after asking a day more " + again.expires());
    }
    if (!same) {
      if (again.status() / 100 == 2 && againLocation != null) {
        // either URL may be the live one: removal tries this one when the first is gone
        ctx.forget(againLocation);
        ctx.keepShared(againLocation);
        ctx.replacement(againLocation);
      }
      return;
    }
    // a control registered once: the twice-registered push resource must get no more messages
    PushServiceSubscription control = ctx.subscribe();
    dev.davpush.testkit.internal.client.WebDavPushClient.RegisterResponse c =
        ctx.register(RunContext.contentUpdates(control, null), false);
    if (c.status() / 100 != 2) {
      return;
    }
    RunContext.drain(reg.subscription());
    dev.davpush.testkit.internal.client.HttpResult put =
        ctx.putMember(ctx.delivered().member(), List.of(), false);
    int twice = count(ctx, reg.subscription());
    int once = count(ctx, control);
    ctx.record()
        .check(
            R_WDP_28,
            once > 0 && twice <= once,
            put.evidence()
                + " → the push resource registered twice got "
                + twice
                + " message(s), one registered once "
                + once);
  }
}
