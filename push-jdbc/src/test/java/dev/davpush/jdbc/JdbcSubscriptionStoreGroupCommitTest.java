package dev.davpush.jdbc;

import static dev.davpush.jdbc.Fixtures.NOW;
import static dev.davpush.jdbc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of {@link JdbcSubscriptionStore#save}: saves that queue while one runs are written
 * by one statement. Each test holds the row lock of a first save's registration on a connection of
 * its own, so that the saves started meanwhile all queue and then run as one batch.
 */
class JdbcSubscriptionStoreGroupCommitTest {
  static final Instant LATER = NOW.plus(Duration.ofDays(7));
  static TestDatabase.Db db;
  JdbcSubscriptionStore store;
  ExecutorService pool;

  @BeforeAll
  static void start() {
    db = TestDatabase.fresh("groupsave");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.execute("DELETE FROM davpush_registration");
    db.execute("DELETE FROM davpush_resource_count_slot");
    store = new JdbcSubscriptionStore(db.dataSource());
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  /**
   * Saves {@code batch} while a save of {@code blocker} (stored already) waits for its row lock;
   * returns each save's outcome: null if it returned, else what it threw.
   */
  private List<Throwable> saveAsOneBatch(Registration blocker, List<Registration> batch)
      throws Exception {
    List<Throwable> outcomes = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM davpush_registration WHERE id = ? FOR UPDATE")) {
        ps.setString(1, blocker.id());
        ps.executeQuery().close();
      }
      Future<?> first = pool.submit(() -> store.save(blocker));
      awaitRunning(); // the first save runs ...
      List<Future<?>> saves = new ArrayList<>();
      for (Registration r : batch) {
        saves.add(pool.submit(() -> store.save(r)));
        awaitWaiting(saves.size()); // ... and every other save queues behind it, in this order
      }
      c.commit();
      first.get(30, TimeUnit.SECONDS);
      for (Future<?> f : saves) {
        try {
          f.get(30, TimeUnit.SECONDS);
          outcomes.add(null);
        } catch (java.util.concurrent.ExecutionException e) {
          outcomes.add(e.getCause());
        }
      }
    }
    return outcomes;
  }

  private void awaitWaiting(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.savesWaiting() != n) {
      assertThat(System.nanoTime()).as("saves queued in time").isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  // Until a statement of this schema waits for a lock (the first save, behind the test's lock).
  private void awaitRunning() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (db.count(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE 'WITH old AS%'")
        == 0) {
      assertThat(System.nanoTime()).as("first save waits for the lock").isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  private int largestSlot(String path) {
    return (int)
        db.count(
            "SELECT COALESCE(max(registrations), 0) FROM davpush_resource_count_slot WHERE"
                + " resource_path = '"
                + path
                + "'");
  }

  private void assertCountsExact(String... paths) {
    for (String path : paths) {
      assertThat(store.countByResource(path))
          .as(path)
          .isEqualTo(
              db.count(
                  "SELECT count(*) FROM davpush_registration WHERE resource_path = '"
                      + path
                      + "'"));
    }
  }

  @Test
  void queuedSavesAreWrittenByOneStatementWithExactCounts() throws Exception {
    Topic topic = Topic.random();
    Registration blocker = registration("zed", "/g/", topic, "https://push.example/z", LATER);
    store.save(blocker);
    List<Registration> moved = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Registration r = registration("mia", "/g/", topic, "https://push.example/m" + i, LATER);
      store.save(r);
      moved.add(r.toBuilder().resourcePath("/h/").build());
    }
    List<Registration> batch = new ArrayList<>(moved);
    for (int i = 0; i < 12; i++) {
      batch.add(registration("u" + i, "/g/", topic, "https://push.example/n" + i, LATER));
    }
    batch.add(moved.get(0)); // equal to one in the batch: written once

    List<Throwable> outcomes = saveAsOneBatch(blocker, batch);

    assertThat(outcomes).containsOnlyNulls();
    for (Registration r : batch) {
      assertThat(store.find(r.id())).contains(r);
    }
    assertCountsExact("/g/", "/h/");
    assertThat(store.countByResource("/g/")).isEqualTo(1 + 12);
    assertThat(store.countByResource("/h/")).isEqualTo(4);
    // one statement, one slot: +12 -4 on /g/ and +4 on /h/ in the same slot
    assertThat(largestSlot("/h/")).isEqualTo(4);
    assertThat(largestSlot("/g/")).isGreaterThanOrEqualTo(8);
  }

  @Test
  void aConflictInABatchFailsOnlyItsCallerAndTheOthersAreCommitted() throws Exception {
    Topic topic = Topic.random();
    Registration blocker = registration("zed", "/g/", topic, "https://push.example/z", LATER);
    store.save(blocker);
    Registration held = registration("amy", "/g/", topic, "https://push.example/held", LATER);
    store.save(held);
    List<Registration> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batch.add(registration("v" + i, "/g/", topic, "https://push.example/v" + i, LATER));
    }
    // another id on held's natural key
    Registration conflicting =
        registration("amy", "/g/", topic, "https://push.example/held", LATER);
    batch.add(3, conflicting);
    for (int i = 6; i < 12; i++) {
      batch.add(registration("v" + i, "/g/", topic, "https://push.example/v" + i, LATER));
    }

    List<Throwable> outcomes = saveAsOneBatch(blocker, batch);

    for (int i = 0; i < batch.size(); i++) {
      Registration r = batch.get(i);
      if (r == conflicting) {
        assertThat(outcomes.get(i)).isInstanceOf(RegistrationConflictException.class);
        assertThat(store.find(r.id())).isEmpty();
      } else {
        assertThat(outcomes.get(i)).as("save %d", i).isNull();
        assertThat(store.find(r.id())).contains(r);
      }
    }
    assertThat(store.find(held.id())).contains(held);
    assertThat(store.countByResource("/g/")).isEqualTo(2 + 12);
    assertCountsExact("/g/");
  }

  @Test
  void oneIdTwiceInABatchIsSavedTwiceInTurn() throws Exception {
    Topic topic = Topic.random();
    Registration blocker = registration("zed", "/g/", topic, "https://push.example/z", LATER);
    store.save(blocker);
    Registration a = registration("kim", "/g/", topic, "https://push.example/k", LATER);
    Registration b = a.toBuilder().resourcePath("/h/").build();
    List<Registration> batch =
        List.of(a, registration("lee", "/g/", topic, "https://push.example/l", LATER), b);

    List<Throwable> outcomes = saveAsOneBatch(blocker, batch);

    assertThat(outcomes).containsOnlyNulls();
    assertThat(store.find(a.id())).contains(b); // in arrival order: b last
    assertThat(store.countByResource("/g/")).isEqualTo(2);
    assertThat(store.countByResource("/h/")).isEqualTo(1);
    assertCountsExact("/g/", "/h/");
  }
}
