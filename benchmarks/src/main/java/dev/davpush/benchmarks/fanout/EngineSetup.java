package dev.davpush.benchmarks.fanout;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.Change;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.server.PublishResult;
import dev.davpush.server.PushEngine;
import dev.davpush.server.RegistrationLimits;
import dev.davpush.server.RegistrationResult;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one place where the harness builds the engine and registers subscriptions, so that changes of
 * the engine's API (new builder options, the in-memory store's name, the artifact) are an edit here
 * only. Everything else in the harness talks to this class.
 *
 * <p>The engine gets its defaults, except what a loopback benchmark needs: a push resource policy
 * that allows plain {@code http} on loopback, and an explicit in-memory store (held here, so the
 * heap scenario keeps a strong reference to it). Registration goes through {@link
 * PushEngine#register}, never into the store directly.
 *
 * <p>Thread safety: {@link #register} and {@link #publish} may be called from any thread; {@link
 * #close()} closes the engine, then the transport (the engine does not close transports).
 */
final class EngineSetup implements AutoCloseable {
  /** The VAPID subject sent in every token; never contacted. */
  static final String SUBJECT = "mailto:bench@127.0.0.1";

  final CalendarResources resources = new CalendarResources();
  final VapidKeyPair vapid = VapidKeyPair.generate();
  final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
  final WebPushTransport transport;
  final PushEngine engine;

  EngineSetup() {
    this(b -> {});
  }

  /**
   * An engine with the harness's settings plus {@code custom} (for example no coalescing window for
   * the latency of isolated changes).
   */
  EngineSetup(java.util.function.Consumer<PushEngine.Builder> custom) {
    this.transport =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .subject(SUBJECT)
            .pushResourcePolicy(
                PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
            .build();
    PushEngine.Builder b =
        PushEngine.builder()
            .resources(resources)
            .transport(transport)
            .registrationBase(URI.create("http://127.0.0.1/push-registrations/"))
            .store(store)
            // the heap scenario puts 100,000 registrations on one collection
            .registrationLimits(RegistrationLimits.builder().perResource(1_000_000).build());
    custom.accept(b);
    this.engine = b.build();
  }

  /**
   * Registers subscriber {@code i} (principal {@code user-i}) on the collection for content updates
   * of depth 1, with the engine's default expiry.
   */
  RegistrationResult register(
      int i, PushResource pushResource, P256PublicKey key, AuthSecret auth) {
    WebPushSubscription subscription = WebPushSubscription.of(pushResource, key, auth);
    RegisterRequest request =
        new RegisterRequest(subscription, List.of(new Trigger.ContentUpdate(Depth.ONE)), null);
    return engine.register(CalendarResources.COLLECTION, "user-" + i, request);
  }

  /** Commits a change of a member of the collection and publishes it; the clock starts here. */
  CompletionStage<PublishResult> publishMemberChange() {
    long version = resources.commitChange();
    return engine.publish(Change.contentUpdate(CalendarResources.member(version)).build());
  }

  @Override
  public void close() {
    engine.close();
    transport.close();
  }
}
