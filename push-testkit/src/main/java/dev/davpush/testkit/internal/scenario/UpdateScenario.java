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
    return List.of("discovery", "registration");
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
  }
}
