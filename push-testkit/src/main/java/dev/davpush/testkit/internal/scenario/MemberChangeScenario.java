package dev.davpush.testkit.internal.scenario;

import dev.davpush.testkit.Requirement;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A scenario that changes the kit's member, the one the delivery scenario created, and watches what
 * the server sends: it builds on discovery, registration and delivery, and does not run (its
 * requirements are NOT_TESTED) when no first push message arrived.
 *
 * <p>Thread safety: stateless; all run state lives in the {@link RunContext}.
 */
abstract class MemberChangeScenario implements Scenario {
  private static final List<String> BUILDS_ON = List.of("discovery", "registration", "delivery");

  private final String name;
  private final Set<Requirement> covers;

  /**
   * Names the scenario and what it covers.
   *
   * @param name the scenario's name, lower case with hyphens
   * @param covers the requirements it records results for; at least one
   */
  MemberChangeScenario(String name, Requirement... covers) {
    this.name = name;
    this.covers = Set.of(covers);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Set<Requirement> covers() {
    return covers;
  }

  @Override
  public final List<String> buildsOn() {
    return BUILDS_ON;
  }

  /**
   * Runs the scenario once delivery has produced a member and its first push message.
   *
   * @throws Unmet if delivery produced no push message, or as {@link #run(RunContext, URI)}
   */
  @Override
  public final void run(RunContext ctx) {
    run(ctx, ctx.delivered().member());
  }

  /**
   * Runs the scenario's checks.
   *
   * @param ctx the run's shared state, clients and recorder
   * @param member the kit's member, whose first change reached the primary registration
   * @throws Unmet if something it builds on is missing
   */
  abstract void run(RunContext ctx, URI member);
}
