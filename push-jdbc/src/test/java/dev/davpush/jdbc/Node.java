package dev.davpush.jdbc;

import dev.davpush.Depth;
import dev.davpush.Registration;
import dev.davpush.Subscription;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/** One engine node on the JDBC store and queue, with a transport that counts what it sends. */
final class Node implements AutoCloseable {
  static final String PATH = "/cal/shared/";

  final JdbcSubscriptionStore store;
  final JdbcDeliveryQueue queue;
  final Counting transport = new Counting();
  final PushEngine engine;
  final JdbcOutbox.Relay relay;

  Node(DataSource dataSource, Topic topic, Duration heartbeat, Duration lapse) {
    store = new JdbcSubscriptionStore(dataSource);
    queue =
        JdbcDeliveryQueue.builder(dataSource)
            .heartbeat(heartbeat)
            .lapse(lapse)
            .idlePoll(Duration.ofMillis(200))
            .build();
    engine =
        PushEngine.builder()
            .resources(new OneCollection(topic))
            .store(store)
            .deliveryQueue(queue)
            .transport(transport)
            .registrationBase(URI.create("https://dav.example/push/"))
            .coalescingWindow(Duration.ZERO)
            .maxInFlightPerOrigin(16) // a fan-out that lasts long enough to be interrupted
            .closeTimeout(Duration.ofSeconds(2))
            .build();
    relay =
        new JdbcOutbox(dataSource)
            .startRelay(engine, queue, Duration.ofMillis(20), Duration.ofMinutes(1));
  }

  /** Saves n registrations of the shared collection, each on its own push resource. */
  static void register(JdbcSubscriptionStore store, Topic topic, int from, int n) {
    for (int i = from; i < from + n; i++) {
      Registration r =
          Fixtures.registration(
              "user" + (i % 50),
              PATH,
              topic,
              "https://push.example/node-test/" + i,
              Instant.now().plus(Duration.ofDays(1)));
      store.save(r);
    }
  }

  @Override
  public void close() {
    relay.close();
    engine.close();
    queue.close();
  }

  /** The shared collection, and nothing else. */
  static final class OneCollection implements DavResources {
    final DavResource collection;

    OneCollection(Topic topic) {
      collection =
          new DavResource(PATH, topic, SupportedTriggers.of(Depth.INFINITY, Depth.INFINITY), true);
    }

    @Override
    public Optional<DavResource> resource(String path) {
      return PATH.equals(path) ? Optional.of(collection) : Optional.empty();
    }

    @Override
    public Optional<String> parent(String path) {
      return Optional.empty();
    }

    @Override
    public boolean maySubscribe(String principal, String path) {
      return true;
    }

    @Override
    public Optional<String> syncToken(String path) {
      return Optional.of("token-1");
    }
  }

  /** Accepts every Web Push message after an optional pause; counts them per push resource. */
  static final class Counting implements PushTransport {
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final LongAdder total = new LongAdder();
    final LongAdder refused = new LongAdder();
    volatile long pauseMillis;

    /** When set, every attempt is answered 429 with this Retry-After. */
    volatile java.time.Duration tooManyRequests;

    int distinct() {
      return received.size();
    }

    int duplicates() {
      int d = 0;
      for (AtomicInteger n : received.values()) {
        d += Math.max(0, n.get() - 1);
      }
      return d;
    }

    List<Integer> counts() {
      return received.values().stream().map(AtomicInteger::get).toList();
    }

    @Override
    public String name() {
      return WebPushSubscription.TRANSPORT;
    }

    @Override
    public TransportDescriptor descriptor() {
      return new WebPushTransportDescriptor(null);
    }

    @Override
    public boolean accepts(Subscription subscription) {
      return subscription instanceof WebPushSubscription;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
      java.time.Duration retryAfter = tooManyRequests;
      if (retryAfter != null) {
        refused.increment();
        return CompletableFuture.completedFuture(new DeliveryResult.RetryLater(429, retryAfter));
      }
      long pause = pauseMillis;
      if (pause > 0) {
        return CompletableFuture.supplyAsync(
            () -> {
              try {
                Thread.sleep(pause);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              record(delivery);
              return new DeliveryResult.Delivered(201);
            });
      }
      record(delivery);
      return CompletableFuture.completedFuture(new DeliveryResult.Delivered(201));
    }

    private void record(PushDelivery delivery) {
      received
          .computeIfAbsent(delivery.subscription().id(), k -> new AtomicInteger())
          .incrementAndGet();
      total.increment();
    }
  }
}
