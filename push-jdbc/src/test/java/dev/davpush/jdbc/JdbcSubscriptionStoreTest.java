package dev.davpush.jdbc;

import static dev.davpush.jdbc.Fixtures.NOW;
import static dev.davpush.jdbc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PushException;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Subscription;
import dev.davpush.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcSubscriptionStoreTest {
  static TestDatabase.Db db;
  static JdbcSubscriptionStore store;
  static final Instant LATER = NOW.plus(Duration.ofDays(7));
  private static final int RACERS = 8;
  private static final String SAVED = "saved";
  private static final String CONFLICT = "conflict";

  @BeforeAll
  static void start() {
    db = TestDatabase.fresh("store");
    store = new JdbcSubscriptionStore(db.dataSource());
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.execute("DELETE FROM davpush_registration");
    db.execute("DELETE FROM davpush_push_resource_health");
    db.execute("DELETE FROM davpush_resource_count_slot");
  }

  @Test
  void savedRegistrationsReadBackEqualByEveryIndex() {
    Topic topic = Topic.random();
    Registration r = registration("alice", "/cal/alice/", topic, "https://push.example/a", LATER);
    store.save(r);

    assertThat(store.find(r.id())).contains(r);
    assertThat(store.find("alice", "/cal/alice/", "https://push.example/a")).contains(r);
    assertThat(store.findByTopic(topic)).containsExactly(r);
    assertThat(store.findBySubscription("https://push.example/a")).containsExactly(r);
    assertThat(store.countByOwner("alice")).isEqualTo(1);
    assertThat(store.countByResource("/cal/alice/")).isEqualTo(1);
    assertThat(store.find("nobody")).isEmpty();
    assertThat(store.find("alice", "/cal/alice/", "https://push.example/b")).isEmpty();
  }

  @Test
  void savingTheSameIdReplaces() {
    Registration r =
        registration("alice", "/cal/", Topic.random(), "https://push.example/a", LATER);
    store.save(r);
    Registration renewed = r.toBuilder().expires(LATER.plusSeconds(60)).build();
    store.save(renewed);

    assertThat(store.find(r.id())).contains(renewed);
    assertThat(store.countByOwner("alice")).isEqualTo(1);
  }

  @Test
  void aSecondIdOnTheSameNaturalKeyIsATypedConflictAndChangesNothing() {
    Topic topic = Topic.random();
    Registration first = registration("alice", "/cal/", topic, "https://push.example/a", LATER);
    Registration second = registration("alice", "/cal/", topic, "https://push.example/a", LATER);
    store.save(first);

    assertThatThrownBy(() -> store.save(second))
        .isInstanceOf(RegistrationConflictException.class)
        .hasMessageNotContaining("push.example");
    assertThat(store.find(second.id())).isEmpty();
    assertThat(store.find(first.id())).contains(first);
  }

  @Test
  void concurrentSavesOnOneNaturalKeyLeaveExactlyOneWinner() throws Exception {
    race(
        20,
        round -> {
          Topic topic = Topic.random();
          String push = "https://push.example/race-" + round;
          return t -> registration("bob", "/race/", topic, push, LATER);
        },
        (round, outcomes) -> {
          assertThat(outcomes).as("round %d", round).containsOnlyOnce(SAVED);
          assertThat(outcomes).as("round %d", round).containsOnly(SAVED, CONFLICT);
        });
    assertThat(db.count("SELECT count(*) FROM davpush_registration")).isEqualTo(20);
  }

  @Test
  void removalsCountWhatTheyRemoved() {
    Topic topic = Topic.random();
    Registration a = registration("carol", "/a/", topic, "https://push.example/s1", LATER);
    Registration b = registration("carol", "/b/", topic, "https://push.example/s1", LATER);
    Registration c = registration("carol", "/c/", topic, "https://push.example/s2", NOW);
    store.save(a);
    store.save(b);
    store.save(c);

    assertThat(store.removeExpired(NOW)).isEqualTo(1); // c expires exactly at NOW
    assertThat(store.find(c.id())).isEmpty();
    assertThat(store.remove(a.id())).isTrue();
    assertThat(store.remove(a.id())).isFalse();
    assertThat(store.removeBySubscription("https://push.example/s1")).isEqualTo(1);
    assertThat(store.findByTopic(topic)).isEmpty();
  }

  @Test
  void theCountPerResourceFollowsEverySaveAndRemoval() {
    db.execute("DELETE FROM davpush_resource_count_slot");
    Topic topic = Topic.random();
    List<Registration> rs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Registration r =
          registration("hal", i < 3 ? "/a/" : "/b/", topic, "https://push.example/h" + i, LATER);
      store.save(r);
      rs.add(r);
    }
    store.save(rs.get(0)); // an update: no change
    store.save(rs.get(1).toBuilder().resourcePath("/b/").build()); // moved from /a/ to /b/
    store.save(registration("hal", "/c/", topic, "https://push.example/h9", NOW)); // expires now
    assertCounts();
    store.remove(rs.get(3).id());
    store.removeBySubscription("https://push.example/h4");
    store.removeExpired(NOW);
    assertCounts();
    assertThat(store.countByResource("/a/")).isEqualTo(2);
    assertThat(store.countByResource("/b/")).isEqualTo(1);
    assertThat(store.countByResource("/c/")).isZero();
    assertThat(store.countByResource("/nowhere/")).isZero();
  }

  @Test
  void concurrentSavesOfOneIdUnderDifferentPathsKeepTheCountsExact() throws Exception {
    // a save that finds no row and then meets one inserted meanwhile under another path must not
    // lose that path's count; a save that waits for a moving row must take it off the right path
    List<String> paths = List.of("/m1/", "/m2/", "/m3/");
    race(
        30,
        round -> {
          Registration base =
              registration("ivy", "/m1/", Topic.random(), "https://push.example/m" + round, LATER);
          return t -> base.toBuilder().resourcePath(paths.get(t % paths.size())).build();
        },
        (round, outcomes) -> assertThat(outcomes).as("round %d", round).containsOnly(SAVED));
    assertThat(db.count("SELECT count(*) FROM davpush_registration")).isEqualTo(30);
    assertCounts(paths);
  }

  @Test
  void concurrentFirstSavesOfOneIdUnderOnePathAllSucceed() throws Exception {
    // all find no row; a later insert may meet the earlier row in the natural key's index before
    // the id's, which is the same registration racing itself, not a conflict
    race(
        150,
        round -> {
          Registration r =
              registration("jan", "/n/", Topic.random(), "https://push.example/n" + round, LATER);
          return t -> r;
        },
        (round, outcomes) -> assertThat(outcomes).as("round %d", round).containsOnly(SAVED));
    assertThat(db.count("SELECT count(*) FROM davpush_registration")).isEqualTo(150);
    assertCounts(List.of("/n/"));
  }

  /**
   * Runs {@code rounds} races: in each, {@value #RACERS} threads released together save the
   * registration {@code roundSetup} gives each thread index; {@code check} sees each thread's
   * outcome ({@link #SAVED} or {@link #CONFLICT}; any other exception fails the test).
   */
  private void race(
      int rounds,
      IntFunction<IntFunction<Registration>> roundSetup,
      BiConsumer<Integer, List<String>> check)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      for (int round = 0; round < rounds; round++) {
        IntFunction<Registration> perThread = roundSetup.apply(round);
        CyclicBarrier go = new CyclicBarrier(RACERS);
        List<Future<String>> saves = new ArrayList<>();
        for (int t = 0; t < RACERS; t++) {
          Registration r = perThread.apply(t);
          saves.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      store.save(r);
                      return SAVED;
                    } catch (RegistrationConflictException e) {
                      return CONFLICT;
                    }
                  }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : saves) {
          outcomes.add(f.get(30, TimeUnit.SECONDS));
        }
        check.accept(round, outcomes);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void assertCounts() {
    assertCounts(List.of("/a/", "/b/", "/c/"));
  }

  // The kept count of each path equals its rows.
  private void assertCounts(List<String> paths) {
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
  void distinctSubscriptionsPageThroughLivePushResourcesInOrder() {
    Topic topic = Topic.random();
    for (int i = 0; i < 7; i++) {
      store.save(registration("dave", "/p" + i + "/", topic, "https://push.example/d" + i, LATER));
      store.save(registration("erin", "/p" + i + "/", topic, "https://push.example/d" + i, LATER));
    }
    store.save(registration("dave", "/x/", topic, "https://push.example/expired", NOW));

    List<String> seen = new ArrayList<>();
    String after = null;
    while (true) {
      List<Registration> page = store.distinctSubscriptions(after, NOW, 3);
      for (Registration r : page) {
        seen.add(r.subscription().id());
        after = r.subscription().id();
      }
      if (page.size() < 3) {
        break;
      }
    }
    assertThat(seen)
        .containsExactly(
            "https://push.example/d0",
            "https://push.example/d1",
            "https://push.example/d2",
            "https://push.example/d3",
            "https://push.example/d4",
            "https://push.example/d5",
            "https://push.example/d6");
    assertThatThrownBy(() -> store.distinctSubscriptions(null, NOW, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailureStreakStartsAtItsFirstFailureAndEndsAtASuccess() {
    store.save(registration("fay", "/f/", Topic.random(), "https://push.example/f", LATER));
    Instant t1 = NOW.plusSeconds(1);
    Instant t2 = NOW.plusSeconds(2);

    assertThat(store.recordFailure("https://push.example/f", t1)).isEqualTo(t1);
    assertThat(store.recordFailure("https://push.example/f", t2)).isEqualTo(t1);
    store.recordSuccess("https://push.example/f", t2);
    assertThat(store.recordFailure("https://push.example/f", t2)).isEqualTo(t2);
    // no streak is kept for a push resource without registrations
    assertThat(store.recordFailure("https://push.example/none", t1)).isEqualTo(t1);
    assertThat(store.recordFailure("https://push.example/none", t2)).isEqualTo(t2);
    assertThat(db.count("SELECT count(*) FROM davpush_push_resource_health")).isEqualTo(1);
    store.removeBySubscription("https://push.example/f");
    assertThat(db.count("SELECT count(*) FROM davpush_push_resource_health")).isZero();
  }

  @Test
  void anotherTransportsSubscriptionIsRefusedWithATypedError() {
    Registration r = registration("gus", "/g/", Topic.random(), "https://push.example/g", LATER);
    Subscription other =
        new Subscription() {
          @Override
          public String transport() {
            return "other";
          }

          @Override
          public String id() {
            return "other:1";
          }
        };
    assertThatThrownBy(() -> store.save(r.toBuilder().subscription(other).build()))
        .isInstanceOf(PushException.class)
        .hasMessageContaining("Web Push");
    assertThat(store.find(r.id())).isEmpty();
  }

  @Test
  void anUnreachableDatabaseIsATypedFailure() {
    try (var dead = TestDatabase.pool("jdbc:postgresql://127.0.0.1:1/none", null, 1)) {
      JdbcSubscriptionStore impatient = new JdbcSubscriptionStore(dead, Duration.ZERO);
      assertThatThrownBy(() -> impatient.find("x"))
          .isInstanceOf(DatabaseException.class)
          .hasMessageContaining("find");
      // with a tolerance, the store keeps trying that long before it reports the failure
      JdbcSubscriptionStore patient = new JdbcSubscriptionStore(dead, Duration.ofMillis(800));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> patient.countByOwner("x"))
          .isInstanceOf(DatabaseException.class)
          .satisfies(e -> assertThat(((DatabaseException) e).sqlState()).startsWith("08"));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(400));
    }
  }
}
