package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.BP_1;
import static dev.davpush.testkit.RequirementCatalogue.BP_2;
import static dev.davpush.testkit.RequirementCatalogue.BP_3;

import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the server copes with its push service, each on a registration of its own: a 429 with {@code
 * Retry-After: }{@value #RETRY_AFTER_SECONDS} is retried, not earlier (BP-1); a 503 is retried
 * (BP-2); while the push service hangs, the write that caused the push answers within {@link
 * #PROMPT} and a later change still reaches a healthy registration (BP-3).
 */
final class PushServiceFaultsScenario extends MemberChangeScenario {
  static final int RETRY_AFTER_SECONDS = 3;

  /** How long a write may take while the push service hangs. */
  static final Duration PROMPT = Duration.ofSeconds(3);

  /** Requests this soon after the 429 were already on their way: not retries. */
  private static final Duration IN_FLIGHT = Duration.ofMillis(100);

  /** How much earlier than Retry-After a retry may come (clock granularity, scheduling). */
  private static final Duration SLACK = Duration.ofMillis(250);

  PushServiceFaultsScenario() {
    super("push-service-faults", BP_1, BP_2, BP_3);
  }

  @Override
  void run(RunContext ctx, URI member) {
    checkRetryAfter(ctx, member);
    checkServerError(ctx, member);
    checkHang(ctx, member);
  }

  private static PushServiceSubscription register(RunContext ctx) {
    PushServiceSubscription s = ctx.subscribe();
    ctx.registerFurther(s, null);
    return s;
  }

  private static void checkRetryAfter(RunContext ctx, URI member) {
    PushServiceSubscription s = register(ctx);
    s.answerWith(429, Integer.toString(RETRY_AFTER_SECONDS));
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> refused = s.awaitMessage(ctx.pushTimeout());
    if (refused.isEmpty()) {
      ctx.record().notTested(BP_1, put.evidence() + " → no push request to answer 429");
      return;
    }
    Duration wait = ctx.pushTimeout().plusSeconds(RETRY_AFTER_SECONDS);
    Optional<ReceivedPush> retry = s.awaitMessage(wait);
    // a request that arrives right after the 429 was sent before the answer reached the server
    // (several messages in flight): not a retry
    while (retry.isPresent()
        && Duration.between(refused.get().receivedAt(), retry.get().receivedAt())
                .compareTo(IN_FLIGHT)
            < 0) {
      retry = s.awaitMessage(wait);
    }
    if (retry.isEmpty()) {
      ctx.record()
          .fail(
              BP_1,
              "429 with Retry-After: "
                  + RETRY_AFTER_SECONDS
                  + " → no retry within "
                  + wait.toSeconds()
                  + " s");
      return;
    }
    Duration after = Duration.between(refused.get().receivedAt(), retry.get().receivedAt());
    ctx.record()
        .check(
            BP_1,
            after.compareTo(Duration.ofSeconds(RETRY_AFTER_SECONDS).minus(SLACK)) >= 0,
            "429 with Retry-After: "
                + RETRY_AFTER_SECONDS
                + " → retried after "
                + after.toMillis()
                + " ms");
  }

  private static void checkServerError(RunContext ctx, URI member) {
    PushServiceSubscription s = register(ctx);
    s.answerWith(503);
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> failed = s.awaitMessage(ctx.pushTimeout());
    if (failed.isEmpty()) {
      ctx.record().notTested(BP_2, put.evidence() + " → no push request to answer 503");
      return;
    }
    Optional<ReceivedPush> retry = s.awaitMessage(ctx.pushTimeout());
    ctx.record()
        .check(
            BP_2,
            retry.isPresent(),
            "503 → "
                + retry
                    .map(
                        r ->
                            "retried after "
                                + Duration.between(failed.get().receivedAt(), r.receivedAt())
                                    .toMillis()
                                + " ms")
                    .orElse("no retry within " + ctx.pushTimeout().toSeconds() + " s"));
  }

  private static void checkHang(RunContext ctx, URI member) {
    PushServiceSubscription hanging = register(ctx);
    ctx.service().injectFault(hanging, EmbeddedPushService.Fault.HANG, 1_000);
    PushServiceSubscription healthy = ctx.primary().subscription();
    RunContext.drain(healthy);
    long start = System.nanoTime();
    HttpResult put = ctx.putMember(member, List.of(), false);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Optional<ReceivedPush> first = healthy.awaitMessage(ctx.pushTimeout());
    RunContext.drain(healthy);
    HttpResult again = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> second = healthy.awaitMessage(ctx.pushTimeout());
    ctx.record()
        .check(
            BP_3,
            took.compareTo(PROMPT) <= 0 && first.isPresent() && second.isPresent(),
            "push service hangs for one registration: "
                + put.evidence()
                + " in "
                + took.toMillis()
                + " ms; healthy registration "
                + (first.isPresent() ? "notified" : "not notified")
                + ", and after "
                + again.evidence()
                + " "
                + (second.isPresent() ? "notified again" : "not notified"));
  }
}
