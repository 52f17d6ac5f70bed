package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_55;

import dev.davpush.P256PublicKey;
import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.webpush.crypto.VapidClaims;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.WebDavPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * R-WDP-55, through the target's key-rotation hook: a registered subscription gets a key-rotation
 * message (no topic, a property update naming {@code transports}) signed with the old key, and
 * afterwards the collection publishes a different key. Runs last: after it the kit's other
 * subscriptions are bound to a key the server no longer uses.
 */
final class KeyRotationScenario implements Scenario {
  @Override
  public String name() {
    return "key-rotation";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_55);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery");
  }

  @Override
  public void run(RunContext ctx) {
    Optional<Runnable> hook = ctx.options().keyRotationHook();
    if (hook.isEmpty()) {
      throw new Unmet("needs a key-rotation hook (the JUnit kit's KitTarget.keyRotationHook)");
    }
    Optional<P256PublicKey> before = ctx.discovery().vapidKey();
    if (before.isEmpty()) {
      ctx.record().notApplicable(R_WDP_55, "the server publishes no VAPID key");
      return;
    }
    PushServiceSubscription sub = ctx.subscribe();
    ctx.registerFurther(sub, null);
    hook.get().run();
    Optional<ReceivedPush> p = sub.awaitMessage(ctx.pushTimeout());
    Optional<P256PublicKey> after =
        ctx.propfind(ctx.target())
            .self()
            .flatMap(s -> RunContext.read("transports", s::transports, new ArrayList<>()))
            .flatMap(
                ts ->
                    ts.stream()
                        .filter(WebPushTransportDescriptor.class::isInstance)
                        .map(WebPushTransportDescriptor.class::cast)
                        .findFirst())
            .flatMap(WebPushTransportDescriptor::vapidKey);
    boolean keyChanged = after.isPresent() && !after.equals(before);
    if (p.isEmpty()) {
      ctx.record()
          .fail(
              R_WDP_55,
              "no key-rotation message within "
                  + ctx.pushTimeout().toSeconds()
                  + " s; published key "
                  + (keyChanged ? "changed" : "unchanged"));
      return;
    }
    Optional<PushMessage> m = message(p.get());
    boolean shape =
        m.isPresent()
            && m.get().topic().isEmpty()
            && m.get()
                .propertyUpdate()
                .map(u -> u.properties().contains(WebDavPush.TRANSPORTS))
                .orElse(false);
    boolean oldKey = p.get().vapidClaims().map(VapidClaims::publicKey).equals(before);
    ctx.record()
        .check(
            R_WDP_55,
            shape && oldKey && keyChanged,
            "key-rotation message "
                + (shape
                    ? "without topic, property-update of transports"
                    : "of the wrong shape: " + m.map(Object::toString).orElse("unreadable"))
                + "; signed with the "
                + (oldKey ? "old" : "wrong")
                + " key; published key afterwards "
                + (keyChanged ? "changed" : "unchanged"));
  }

  private static Optional<PushMessage> message(ReceivedPush p) {
    if (p.plaintext().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PushMessageReader.read(p.plaintext().get()));
    } catch (PushException e) {
      return Optional.empty();
    }
  }
}
