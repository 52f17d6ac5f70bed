package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_30;

import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** DELETE of the primary registration: 204, then 404; afterwards a change sends nothing. */
final class RemovalScenario implements Scenario {
  @Override
  public String name() {
    return "removal";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_30);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration");
  }

  @Override
  public void run(RunContext ctx) {
    RunContext.Registered reg = ctx.primary();
    URI location = reg.location();
    HttpResult del = ctx.client().delete(location);
    if (del.status() == 404 && ctx.replacement().isPresent()) {
      // an update answered another URL and dropped this one: that one is the registration now
      location = ctx.replacement().get();
      del = ctx.client().delete(location);
    }
    HttpResult del2 = ctx.client().delete(location);
    ctx.record()
        .check(
            R_WDP_30,
            del.status() == 204 && del2.status() == 404,
            "DELETE " + location + " → " + del.status() + ", again → " + del2.status());
    if (del.status() / 100 != 2) {
      return;
    }
    ctx.forget(location);
    Optional<URI> member = ctx.sharedMember();
    if (member.isEmpty()) {
      return;
    }
    RunContext.drain(reg.subscription());
    HttpResult after = ctx.putMember(member.get(), List.of(), false);
    Optional<ReceivedPush> stray = reg.subscription().awaitMessage(ctx.quietPeriod());
    if (stray.isPresent()) {
      ctx.record().fail(R_WDP_30, after.evidence() + " after unregistering → a push arrived");
    }
  }
}
