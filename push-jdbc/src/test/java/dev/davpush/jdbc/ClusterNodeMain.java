package dev.davpush.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.davpush.Subscription;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * One engine node in its own JVM, for {@link ClusterTest}: the JDBC store, queue and outbox relay
 * on the schema named in the arguments, and a transport that POSTs each message to its push
 * resource (the test's loopback receiver) with the node's name. Prints {@code READY}, then runs
 * until its standard input closes (a graceful stop) or it is killed.
 *
 * <p>Arguments: jdbc-url user password schema topic node-name.
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[3];
    Topic topic = Topic.of(args[4]);
    String name = args[5];
    System.setProperty("davpush.jdbc.url", url);
    System.setProperty("davpush.jdbc.user", args[1]);
    System.setProperty("davpush.jdbc.password", args[2]);
    HikariDataSource ds = TestDatabase.pool(url, schema, 30);
    JdbcSubscriptionStore store = new JdbcSubscriptionStore(ds);
    JdbcDeliveryQueue queue =
        JdbcDeliveryQueue.builder(ds)
            .heartbeat(Duration.ofMillis(200))
            .lapse(Duration.ofMillis(1500))
            .idlePoll(Duration.ofMillis(200))
            .build();
    PushEngine engine =
        PushEngine.builder()
            .resources(new Node.OneCollection(topic))
            .store(store)
            .deliveryQueue(queue)
            .transport(new Posting(name))
            .registrationBase(URI.create("https://dav.example/push/"))
            .coalescingWindow(Duration.ZERO)
            .maxInFlightPerOrigin(16)
            .closeTimeout(Duration.ofSeconds(2))
            .build();
    JdbcOutbox.Relay relay =
        new JdbcOutbox(ds).startRelay(engine, queue, Duration.ofMillis(20), Duration.ofMinutes(1));
    System.out.println("READY " + queue.nodeId());
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the parent closes our input
    }
    relay.close();
    engine.close();
    queue.close();
    ds.close();
  }

  /** POSTs the payload to the push resource, naming this node. */
  static final class Posting implements PushTransport {
    private final String node;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Posting(String node) {
      this.node = node;
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
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(delivery.subscription().id()))
              .header("X-Node", node)
              .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload()))
              .build();
      return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
          .thenApply(
              r ->
                  r.statusCode() == 201
                      ? new DeliveryResult.Delivered(201)
                      : new DeliveryResult.RetryLater(r.statusCode(), null));
    }
  }
}
