package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.davpush.Topic;
import dev.davpush.server.Change;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The database goes away in the middle of a fan-out (connections refused for a few seconds) and
 * comes back: every registration still gets its message, and the errors seen meanwhile are typed.
 */
class DatabaseOutageTest {
  @Test
  void deliveriesResumeWhenTheDatabaseReturnsAndNothingIsLost() throws Exception {
    int n = 400;
    try (TestDatabase.Db db = TestDatabase.fresh("outage")) {
      URI direct = URI.create(TestDatabase.url().substring("jdbc:".length()));
      try (CuttableProxy proxy = new CuttableProxy(direct.getPort());
          HikariDataSource viaProxy =
              TestDatabase.pool(
                  "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath(),
                  db.schema(),
                  20)) {
        Topic topic = Topic.random();
        Node.register(new JdbcSubscriptionStore(db.dataSource()), topic, 0, n);
        try (Node node =
            new Node(viaProxy, topic, Duration.ofMillis(200), Duration.ofSeconds(30))) {
          node.transport.pauseMillis = 50; // with 16 in flight: 400 take at least 1.25 s
          try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutbox(db.dataSource()).stage(c, Change.contentUpdate(Node.PATH).build());
            c.commit();
          }
          JdbcOutboxTest.waitFor(() -> node.transport.total.sum() > 20, Duration.ofSeconds(30));
          proxy.cut();
          long atCut = node.transport.total.sum();
          Thread.sleep(3_000);
          // while it is away, a call without patience fails with a typed error
          try {
            new JdbcSubscriptionStore(viaProxy, Duration.ZERO).find("x");
            throw new AssertionError("the store answered while the database was away");
          } catch (DatabaseException e) {
            assertThat(e.sqlState()).startsWith("08");
          }
          proxy.restore();
          JdbcOutboxTest.waitFor(() -> node.transport.distinct() == n, Duration.ofSeconds(60));
          assertThat(atCut).isLessThan(n);
          assertThat(node.transport.counts()).hasSize(n).allMatch(k -> k >= 1);
          JdbcOutboxTest.waitFor(
              () ->
                  db.count("SELECT count(*) FROM davpush_delivery") == 0
                      && db.count("SELECT count(*) FROM davpush_outbox") == 0,
              Duration.ofSeconds(30));
          System.out.printf(
              "outage: %d of %d sent before the cut, %d duplicates after it%n",
              atCut, n, node.transport.duplicates());
        }
      }
    }
  }
}
