package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_43;

import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.PushMessageReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * R-WDP-43: {@value #CHANGES} quick changes of the kit's member give between one and {@value
 * #CHANGES} messages, and the last one carries the collection's newest sync-token (merging may drop
 * intermediate messages, never the meaning of the last).
 */
final class BurstScenario implements Scenario {
  static final int CHANGES = 20;

  /** How long after the last message the burst counts as over, beyond the quiet period. */
  private static final Duration SETTLE = Duration.ofMillis(1500);

  @Override
  public String name() {
    return "burst";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_43);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration", "delivery");
  }

  @Override
  public void run(RunContext ctx) {
    PushServiceSubscription sub = ctx.primary().subscription();
    URI member = ctx.delivered().member();
    ctx.requireReadableMessages();
    RunContext.drain(sub);
    long start = System.nanoTime();
    for (int i = 0; i < CHANGES; i++) {
      ctx.putMember(member, List.of(), false);
    }
    List<ReceivedPush> messages = new ArrayList<>();
    Optional<ReceivedPush> next = sub.awaitMessage(ctx.pushTimeout());
    while (next.isPresent()) {
      messages.add(next.get());
      next = sub.awaitMessage(ctx.quietPeriod().plus(SETTLE));
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    if (messages.isEmpty()) {
      ctx.record()
          .fail(
              R_WDP_43,
              CHANGES + " changes → no message within " + ctx.pushTimeout().toSeconds() + " s");
      return;
    }
    Optional<String> last = syncToken(messages.get(messages.size() - 1));
    Optional<String> now =
        ctx.propfind(ctx.target())
            .self()
            .flatMap(r -> RunContext.read("sync-token", r::syncToken, new ArrayList<>()));
    // the sync-token itself is R-WDP-36's: compared here only where that passed
    boolean compare = ctx.record().passed(dev.davpush.testkit.RequirementCatalogue.R_WDP_36);
    boolean newest = !compare || now.isEmpty() || last.equals(now);
    ctx.record()
        .check(
            R_WDP_43,
            messages.size() <= CHANGES && newest,
            CHANGES
                + " changes → "
                + messages.size()
                + " message(s) in "
                + millis
                + " ms; last sync-token "
                + (!compare
                    ? "not compared (R-WDP-36 did not pass)"
                    : now.isEmpty()
                        ? "(the collection has none)"
                        : newest
                            ? "= the collection's"
                            : "≠ the collection's (" + last.orElse("absent") + ")"));
  }

  private static Optional<String> syncToken(ReceivedPush p) {
    if (p.plaintext().isEmpty()) {
      return Optional.empty();
    }
    try {
      return PushMessageReader.read(p.plaintext().get())
          .contentUpdate()
          .flatMap(PushMessage.ContentUpdate::syncTokenValue);
    } catch (PushException e) {
      return Optional.empty();
    }
  }
}
