package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Topic;
import dev.davpush.server.Change;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A push service answers 429 with Retry-After; the engine's retries wait in the database, the
 * engine and its queue are closed, and a new engine (a new node) on the same database sends them
 * once the Retry-After has passed, without a publish to wake it: nothing is lost, nothing is sent
 * before its time.
 */
class EngineRestartTest {
  @Test
  void retriesAndTheirRetryAfterSurviveARestartOfTheEngine() throws Exception {
    int n = 20;
    try (TestDatabase.Db db = TestDatabase.fresh("restart")) {
      Topic topic = Topic.random();
      Node first = new Node(db.dataSource(), topic, Duration.ofMillis(100), Duration.ofSeconds(1));
      Node.register(first.store, topic, 0, n);
      first.transport.tooManyRequests = Duration.ofSeconds(6);
      first.engine.publish(Change.contentUpdate(Node.PATH).build());
      JdbcOutboxTest.waitFor(() -> first.transport.refused.sum() >= n, Duration.ofSeconds(30));
      JdbcOutboxTest.waitFor(
          () ->
              db.count("SELECT count(*) FROM davpush_delivery WHERE attempt = 2 AND state = 'W'")
                  == n,
          Duration.ofSeconds(30));
      long notBefore = db.count("SELECT min(not_before_s) FROM davpush_delivery");
      first.close();
      assertThat(db.count("SELECT count(*) FROM davpush_delivery")).isEqualTo(n);

      try (Node second =
          new Node(db.dataSource(), topic, Duration.ofMillis(100), Duration.ofSeconds(1))) {
        // no publish: the new engine looks at its queue when built, and the queue wakes it when
        // it adopts the first node's rows
        // nothing goes out before the Retry-After (whole seconds: wait until one before it)
        while (java.time.Instant.now().getEpochSecond() < notBefore - 1) {
          assertThat(second.transport.total.sum()).as("sent before Retry-After").isZero();
          Thread.sleep(50);
        }
        JdbcOutboxTest.waitFor(() -> second.transport.distinct() == n, Duration.ofSeconds(30));
        assertThat(second.transport.counts()).hasSize(n).allMatch(k -> k == 1);
        assertThat(first.transport.total.sum()).isZero();
        JdbcOutboxTest.waitFor(
            () -> db.count("SELECT count(*) FROM davpush_delivery") == 0, Duration.ofSeconds(10));
      }
    }
  }
}
