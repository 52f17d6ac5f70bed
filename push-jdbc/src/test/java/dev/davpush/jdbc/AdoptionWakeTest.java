package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.PendingDelivery;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle engine on a strict queue (no idle poll): it learns of the rows its queue adopts from a
 * node that died only through the queue's wake-up hook, and sends each once.
 */
class AdoptionWakeTest {
  @Test
  void rowsAdoptedFromADeadNodeWakeAnIdleEngine() throws Exception {
    int n = 5;
    try (TestDatabase.Db db = TestDatabase.fresh("wake")) {
      Topic topic = Topic.random();
      JdbcSubscriptionStore store = new JdbcSubscriptionStore(db.dataSource());
      List<Registration> registrations = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Registration r =
            Fixtures.registration(
                "alice",
                Node.PATH,
                topic,
                "https://push.example/wake/" + i,
                Instant.now().plus(Duration.ofDays(1)));
        store.save(r);
        registrations.add(r);
      }
      JdbcDeliveryQueue dying = strictQueue(db);
      JdbcDeliveryQueue live = strictQueue(db);
      Node.Counting transport = new Node.Counting();
      PushEngine engine =
          PushEngine.builder()
              .resources(new Node.OneCollection(topic))
              .store(store)
              .deliveryQueue(live)
              .transport(transport)
              .registrationBase(URI.create("https://dav.example/push/"))
              .build();
      try {
        for (Registration r : registrations) {
          dying.offer(delivery(r, topic));
        }
        // two heartbeats of the live node: the rows belong to the other node, still alive
        awaitHeartbeats(db, live, 2);
        assertThat(transport.total.sum()).as("sent another node's rows").isZero();

        dying.close(); // marked dead: the live node adopts its rows at its next heartbeat

        JdbcOutboxTest.waitFor(() -> transport.distinct() == n, Duration.ofSeconds(15));
        assertThat(transport.counts()).hasSize(n).allMatch(k -> k == 1);
        JdbcOutboxTest.waitFor(
            () -> db.count("SELECT count(*) FROM davpush_delivery") == 0, Duration.ofSeconds(10));
        assertThat(live.recovered()).isZero(); // waiting rows, none claimed: no duplicate
      } finally {
        engine.close();
        live.close();
      }
    }
  }

  // Waits until the node's row was extended `beats` times from now on (its heartbeat ran).
  private static void awaitHeartbeats(TestDatabase.Db db, JdbcDeliveryQueue node, int beats)
      throws InterruptedException {
    String sql =
        "SELECT (extract(epoch FROM alive_until) * 1000000)::bigint FROM davpush_node"
            + " WHERE node_id = '"
            + node.nodeId()
            + "'";
    for (int i = 0; i < beats; i++) {
      long before = db.count(sql);
      JdbcOutboxTest.waitFor(() -> db.count(sql) != before, Duration.ofSeconds(10));
    }
  }

  private static JdbcDeliveryQueue strictQueue(TestDatabase.Db db) {
    return JdbcDeliveryQueue.builder(db.dataSource())
        .heartbeat(Duration.ofMillis(100))
        .lapse(Duration.ofMillis(500))
        .idlePoll(null)
        .build();
  }

  private static PendingDelivery delivery(Registration r, Topic topic) {
    Instant now = Instant.now();
    return PendingDelivery.builder()
        .registrationId(r.id())
        .subscriptionId(r.subscription().id())
        .message(PushMessage.contentUpdate(topic, "token-1"))
        .notBefore(now)
        .deadline(now.plus(Duration.ofHours(1)))
        .idempotencyKey("wake-" + r.id())
        .build();
  }
}
