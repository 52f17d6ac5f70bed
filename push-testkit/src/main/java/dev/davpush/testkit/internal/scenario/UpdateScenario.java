package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_28;

import dev.davpush.Depth;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Registering the primary push resource again updates it: the same registration URL. */
final class UpdateScenario implements Scenario {
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
            new RegisterRequest(
                reg.subscription().toWebPushSubscription(),
                List.of(new Trigger.ContentUpdate(Depth.ONE)),
                reg.requested().plus(Duration.ofDays(1))),
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
      return;
    }
    RunContext.drain(reg.subscription());
    dev.davpush.testkit.internal.client.HttpResult put =
        ctx.putMember(ctx.delivered().member(), List.of(), false);
    int count = 0;
    while (reg.subscription()
        .awaitMessage(count == 0 ? ctx.pushTimeout() : ctx.quietPeriod())
        .isPresent()) {
      count++;
    }
    ctx.record()
        .check(
            R_WDP_28,
            count == 1,
            put.evidence() + " after registering twice → " + count + " message(s), expected 1");
  }
}
