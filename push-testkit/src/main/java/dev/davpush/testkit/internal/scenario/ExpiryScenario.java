package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_33;

import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.xml.HttpDates;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * R-WDP-33: a registration that has been notified once gets nothing once it has expired. It expires
 * through the target's expire hook, or else by asking for an expiry {@value #SHORT_SECONDS} seconds
 * away and waiting, if the server grants one at most {@value #LONGEST_WAIT_SECONDS} seconds away.
 */
final class ExpiryScenario extends MemberChangeScenario {
  static final int SHORT_SECONDS = 4;
  static final int LONGEST_WAIT_SECONDS = 15;

  ExpiryScenario() {
    super("expiry", R_WDP_33);
  }

  @Override
  void run(RunContext ctx, URI member) {
    Optional<Consumer<URI>> hook = ctx.options().expireHook();
    Instant requested =
        hook.isPresent()
            ? Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
            : Instant.now().plusSeconds(SHORT_SECONDS + 1).truncatedTo(ChronoUnit.SECONDS);
    PushServiceSubscription sub = ctx.subscribe();
    WebDavPushClient.RegisterResponse r = ctx.registerFurther(sub, requested);
    if (r.location() == null) {
      throw new Unmet(
          "a further registration was answered without a Location: " + r.result().evidence());
    }
    URI location = ctx.resolve(r.location());
    ctx.putMember(member, List.of(), false);
    if (sub.awaitMessage(ctx.pushTimeout()).isEmpty()) {
      throw new Unmet("the registration got no message before it expired");
    }
    String how;
    if (hook.isPresent()) {
      hook.get().accept(location);
      how = "expired by the hook";
    } else {
      Optional<Instant> granted =
          r.expires() == null ? Optional.empty() : HttpDates.parse(r.expires());
      if (granted.isEmpty()
          || granted.get().isAfter(Instant.now().plusSeconds(LONGEST_WAIT_SECONDS))) {
        throw new Unmet(
            "asked for an expiry "
                + SHORT_SECONDS
                + " s away, granted "
                + (r.expires() == null ? "no Expires" : r.expires())
                + "; too long to wait for: give the kit an expire hook");
      }
      sleepUntil(granted.get().plusSeconds(1));
      how = "expired at " + r.expires();
    }
    RunContext.drain(sub);
    HttpResult put = ctx.putMember(member, List.of(), false);
    Optional<ReceivedPush> stray = sub.awaitMessage(ctx.quietPeriod());
    ctx.record()
        .check(
            R_WDP_33,
            stray.isEmpty(),
            how
                + "; "
                + put.evidence()
                + " → "
                + (stray.isEmpty()
                    ? "no message to the expired registration"
                    : "a message arrived"));
  }

  private static void sleepUntil(Instant when) {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unmet("interrupted while waiting for the registration to expire");
    }
  }
}
