package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.BP_4;

import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * BP-4: the push service answers a message {@code 413 Payload Too Large}. Neither the draft nor RFC
 * 8030 says what the application server does then; a 413 is deterministic (RFC 8030 §7.2: the
 * service may refuse bodies over 4096 octets), so sending the same message again cannot succeed,
 * and the subscription itself is not broken. The check, on a registration of its own:
 *
 * <ol>
 *   <li>the kit's push service answers every request of the same or a larger body size {@code 413}
 *       for {@link RunContext#pushTimeout()}, at most {@link #WATCH}, after the first; at most
 *       {@value #ALLOWED_REPEATS} such repeat is tolerated (a generic retry), more fail;
 *   <li>then the push service answers by the rules again, the kit changes its member once more, and
 *       a push request must reach the registration within the push timeout: the server did not drop
 *       the registration because of the 413.
 * </ol>
 *
 * A request with a smaller body (a server that falls back to a shorter message) is no repeat.
 */
final class PayloadTooLargeScenario extends MemberChangeScenario {
  /** Repeats of a refused message (same or larger size) that are still tolerated. */
  static final int ALLOWED_REPEATS = 1;

  /**
   * The longest time the kit watches for repeats: 15 s, enough to see a server that repeats with a
   * backoff from 2 s doubling (at about 2, 6 and 14 s) repeat twice.
   */
  static final Duration WATCH = Duration.ofSeconds(15);

  /** 413 answers queued: enough to keep a server that repeats without end repeating. */
  private static final int QUEUED = 16;

  PayloadTooLargeScenario() {
    super("payload-too-large", BP_4);
  }

  @Override
  void run(RunContext ctx, URI member) {
    PushServiceSubscription s = ctx.subscribe();
    ctx.registerFurther(s, null);
    for (int i = 0; i < QUEUED; i++) {
      s.answerWith(413);
    }
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> refused = s.awaitMessage(ctx.pushTimeout());
    if (refused.isEmpty()) {
      s.clearAnswers();
      ctx.record().notTested(BP_4, put.evidence() + " → no push request to answer 413");
      return;
    }
    int size = refused.get().body().length;
    Duration watch = ctx.pushTimeout().compareTo(WATCH) < 0 ? ctx.pushTimeout() : WATCH;
    Instant end = refused.get().receivedAt().plus(watch);
    int repeats = 0;
    int smaller = 0;
    while (repeats <= ALLOWED_REPEATS) {
      Duration left = Duration.between(Instant.now(), end);
      if (left.isNegative() || left.isZero()) {
        break;
      }
      Optional<ReceivedPush> next = s.awaitMessage(left);
      if (next.isEmpty()) {
        break;
      }
      if (next.get().body().length >= size) {
        repeats++;
      } else {
        smaller++;
      }
    }
    s.clearAnswers();
    String first =
        "413 to a push request of "
            + size
            + " bytes → "
            + repeats
            + (repeats > ALLOWED_REPEATS ? " or more" : "")
            + " repeat(s) of the same or larger size"
            + (smaller > 0 ? ", " + smaller + " smaller request(s)" : "")
            + " within "
            + watch.toSeconds()
            + " s";
    if (repeats > ALLOWED_REPEATS) {
      ctx.record().fail(BP_4, first + " (at most " + ALLOWED_REPEATS + " tolerated)");
      return;
    }
    RunContext.drain(s);
    HttpResult again = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> later = s.awaitMessage(ctx.pushTimeout());
    ctx.record()
        .check(
            BP_4,
            later.isPresent(),
            first
                + "; then "
                + again.evidence()
                + " → "
                + (later.isPresent()
                    ? "the registration is notified again"
                    : "no push request within "
                        + ctx.pushTimeout().toSeconds()
                        + " s: the registration was dropped or stalled after the 413"));
  }
}
