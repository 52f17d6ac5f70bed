package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Topic;
import dev.davpush.server.Change;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcOutboxTest {
  TestDatabase.Db db;
  Topic topic = Topic.random();
  Node node;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh("outbox");
    node = new Node(db.dataSource(), topic, Duration.ofMillis(200), Duration.ofSeconds(2));
    Node.register(node.store, topic, 0, 100);
  }

  @AfterEach
  void stop() {
    node.close();
    db.close();
  }

  @Test
  void aRolledBackChangeSendsNothingAndACommittedOneExactlyOneMessagePerRegistration()
      throws Exception {
    JdbcOutbox outbox = new JdbcOutbox(db.dataSource());
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.stage(c, Change.contentUpdate(Node.PATH).build());
      c.rollback();
    }
    Thread.sleep(1_000); // several relay rounds
    assertThat(node.transport.total.sum()).isZero();
    assertThat(db.count("SELECT count(*) FROM davpush_outbox")).isZero();

    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.stage(c, Change.contentUpdate(Node.PATH).build());
      assertThat(node.relay.published()).as("not before commit").isZero();
      Thread.sleep(300);
      assertThat(node.transport.total.sum()).as("nothing before commit").isZero();
      c.commit();
    }
    waitFor(() -> node.transport.distinct() == 100 && outboxEmpty(), Duration.ofSeconds(30));
    Thread.sleep(500); // a duplicate would show up here
    assertThat(node.transport.counts()).hasSize(100).allMatch(n -> n == 1);
    assertThat(node.relay.published()).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM davpush_delivery")).isZero();
  }

  @Test
  void aChangeThatDoesNotDecodeIsMovedAside() throws Exception {
    db.execute("INSERT INTO davpush_outbox (change) VALUES ('not a change')");
    waitFor(this::outboxEmpty, Duration.ofSeconds(10));
    assertThat(db.count("SELECT count(*) FROM davpush_dead_letter WHERE source = 'davpush_outbox'"))
        .isEqualTo(1);
    assertThat(node.transport.total.sum()).isZero();
  }

  @Test
  void aChangeTheEngineRefusesStaysStagedForLater() throws Exception {
    node.engine.close(); // publish now fails at once
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      new JdbcOutbox(db.dataSource()).stage(c, Change.contentUpdate(Node.PATH).build());
      c.commit();
    }
    waitFor(() -> node.relay.published() >= 1, Duration.ofSeconds(10));
    Thread.sleep(500); // the release is recorded at the next round; claims pause for a second
    waitFor(
        () -> db.count("SELECT count(*) FROM davpush_outbox WHERE claimed_by IS NULL") == 1,
        Duration.ofSeconds(10));
    assertThat(db.count("SELECT count(*) FROM davpush_outbox")).isEqualTo(1);
    assertThat(node.transport.total.sum()).isZero();
    long published = node.relay.published();
    Thread.sleep(300);
    // no tight loop: within 300 ms of a refusal the relay does not claim it again
    assertThat(node.relay.published()).isLessThanOrEqualTo(published + 1);
  }

  boolean outboxEmpty() {
    return db.count("SELECT count(*) FROM davpush_outbox") == 0;
  }

  static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
