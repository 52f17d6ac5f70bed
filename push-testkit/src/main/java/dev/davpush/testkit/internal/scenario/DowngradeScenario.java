package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_19;

import dev.davpush.Depth;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Trigger;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import java.util.List;
import java.util.Set;

/** A registration asking for more depth than advertised must be downgraded, not refused. */
final class DowngradeScenario implements Scenario {
  @Override
  public String name() {
    return "depth-downgrade";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_19);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery");
  }

  @Override
  public void run(RunContext ctx) {
    SupportedTriggers supported = ctx.discovery().supported();
    Recorder rec = ctx.record();
    if (supported == null || supported.contentUpdate().isEmpty()) {
      rec.notApplicable(R_WDP_19, "no content-update in supported-triggers");
      return;
    }
    if (supported.contentUpdate().get() == Depth.INFINITY) {
      rec.notApplicable(
          R_WDP_19, "content-update depth infinity is supported; nothing to downgrade");
      return;
    }
    WebDavPushClient.RegisterResponse r =
        ctx.register(
            new RegisterRequest(
                ctx.subscribe().toWebPushSubscription(),
                List.of(new Trigger.ContentUpdate(Depth.INFINITY)),
                null),
            false);
    rec.check(
        R_WDP_19,
        r.status() / 100 == 2,
        "content-update depth infinity where "
            + supported.contentUpdate().get().token()
            + " is the maximum: "
            + r.result().evidence());
  }
}
