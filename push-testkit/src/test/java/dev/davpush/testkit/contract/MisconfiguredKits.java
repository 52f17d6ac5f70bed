package dev.davpush.testkit.contract;

import dev.davpush.Depth;
import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.InMemoryDeliveryQueue;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Kit subclasses that break the kits' own preconditions (a store or queue that is not empty), run
 * by {@link ContractKitSelfTest} to show that the failure says what to fix. Not run on their own.
 */
final class MisconfiguredKits {
  private MisconfiguredKits() {}

  /** Its store already holds a registration. */
  static class PrefilledStoreKit extends SubscriptionStoreContract {
    @Override
    protected SubscriptionStore createStore() {
      UserAgentKeyPair keys = UserAgentKeyPair.generate();
      InMemorySubscriptionStore store = new InMemorySubscriptionStore();
      store.save(
          Registration.builder()
              .id("left-over")
              .registrationUrl(URI.create("https://dav.example.test/push/left-over"))
              .resourcePath("/left/over/")
              .topic(Topic.of("left-over"))
              .owner("someone")
              .subscription(
                  WebPushSubscription.of(
                      new PushResource(URI.create("https://push.example.test/push/left-over")),
                      keys.publicKey(),
                      keys.authSecret()))
              .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
              .expires(Instant.parse("2099-01-01T00:00:00Z"))
              .created(Instant.parse("2020-01-01T00:00:00Z"))
              .build());
      return store;
    }
  }

  /** Its queue already holds a delivery. */
  static class PrefilledQueueKit extends DeliveryQueueContract {
    @Override
    protected DeliveryQueue createQueue() {
      InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
      queue.offer(
          PendingDelivery.builder()
              .registrationId("left-over")
              .subscriptionId("https://push.example.test/push/left-over")
              .message(PushMessage.contentUpdate(Topic.of("left-over"), null))
              .notBefore(Instant.parse("2020-01-01T00:00:00Z"))
              .deadline(Instant.parse("2099-01-01T00:00:00Z"))
              .idempotencyKey("left-over")
              .build());
      return queue;
    }
  }
}
