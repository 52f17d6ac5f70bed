package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemorySubscriptionStoreTest {
  static final P256PublicKey KEY =
      P256PublicKey.fromBase64Url(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Topic WORK = Topic.of("work");
  static final Topic HOME = Topic.of("home");

  final InMemorySubscriptionStore store = new InMemorySubscriptionStore();

  static WebPushSubscription sub(String name) {
    return WebPushSubscription.of(
        PushResource.parse("https://push.example/" + name), KEY, AuthSecret.random());
  }

  static Registration reg(
      String id, String owner, String path, Topic topic, WebPushSubscription s) {
    return Registration.builder()
        .id(id)
        .registrationUrl(URI.create("https://dav.example/push/" + id))
        .resourcePath(path)
        .topic(topic)
        .owner(owner)
        .subscription(s)
        .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
        .expires(NOW.plusSeconds(3600))
        .created(NOW)
        .build();
  }

  @Test
  void findsASavedRegistrationByEveryIndex() {
    WebPushSubscription s = sub("a");
    Registration r = reg("r1", "alice", "/work/", WORK, s);
    store.save(r);
    assertThat(store.find("r1")).contains(r);
    assertThat(store.find("alice", "/work/", s.id())).contains(r);
    assertThat(store.findByTopic(WORK)).containsExactly(r);
    assertThat(store.findBySubscription(s.id())).containsExactly(r);
    assertThat(store.find("bob", "/work/", s.id())).isEmpty();
    assertThat(store.findByTopic(HOME)).isEmpty();
  }

  @Test
  void refusesASecondRegistrationWithTheSameNaturalKeyAndStaysUnchanged() {
    WebPushSubscription s = sub("a");
    Registration first = reg("r1", "alice", "/work/", WORK, s);
    store.save(first);
    assertThatThrownBy(() -> store.save(reg("r2", "alice", "/work/", WORK, s)))
        .isInstanceOf(dev.davpush.RegistrationConflictException.class)
        .hasMessageContaining("/work/")
        .hasMessageNotContaining("push.example");
    assertThat(store.find("r2")).isEmpty();
    assertThat(store.findByTopic(WORK)).containsExactly(first);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void replacingByIdMovesTheSecondaryIndexes() {
    WebPushSubscription a = sub("a");
    WebPushSubscription b = sub("b");
    store.save(reg("r1", "alice", "/work/", WORK, a));
    Registration moved = reg("r1", "alice", "/home/", HOME, b);
    store.save(moved);
    assertThat(store.findByTopic(WORK)).isEmpty();
    assertThat(store.findBySubscription(a.id())).isEmpty();
    assertThat(store.find("alice", "/work/", a.id())).isEmpty();
    assertThat(store.findByTopic(HOME)).containsExactly(moved);
    assertThat(store.find("alice", "/home/", b.id())).contains(moved);
  }

  @Test
  void removeBySubscriptionRemovesItOnEveryResourceAndForEveryOwner() {
    WebPushSubscription dead = sub("dead");
    WebPushSubscription alive = sub("alive");
    store.save(reg("r1", "alice", "/work/", WORK, dead));
    store.save(reg("r2", "alice", "/home/", HOME, dead));
    store.save(reg("r3", "bob", "/work/", WORK, dead));
    store.save(reg("r4", "alice", "/work/", WORK, alive));
    assertThat(store.removeBySubscription(dead.id())).isEqualTo(3);
    assertThat(store.findBySubscription(dead.id())).isEmpty();
    assertThat(store.findByTopic(WORK)).extracting(Registration::id).containsExactly("r4");
    assertThat(store.removeBySubscription(dead.id())).isZero();
  }

  @Test
  void removeReportsWhetherTheRegistrationExisted() {
    store.save(reg("r1", "alice", "/work/", WORK, sub("a")));
    assertThat(store.remove("r1")).isTrue();
    assertThat(store.remove("r1")).isFalse();
    assertThat(store.findByTopic(WORK)).isEmpty();
  }

  @Test
  void removeExpiredRemovesThoseExpiringAtOrBeforeNow() {
    Registration early = reg("r1", "alice", "/work/", WORK, sub("a"));
    Registration late =
        reg("r2", "alice", "/work/", WORK, sub("b")).toBuilder()
            .expires(NOW.plusSeconds(7200))
            .build();
    store.save(early);
    store.save(late);
    assertThat(store.removeExpired(early.expires())).isEqualTo(1);
    assertThat(store.findByTopic(WORK)).containsExactly(late);
  }

  @Test
  void snapshotsDoNotChangeWithTheStore() {
    store.save(reg("r1", "alice", "/work/", WORK, sub("a")));
    List<Registration> snapshot = store.findByTopic(WORK);
    store.remove("r1");
    assertThat(snapshot).hasSize(1);
    assertThatThrownBy(() -> snapshot.clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void updatingARegistrationKeepsItsPushResourcesFailureStreak() {
    WebPushSubscription s = sub("a");
    Registration r = reg("r1", "alice", "/work/", WORK, s);
    store.save(r);
    store.recordFailure(s.id(), NOW);
    store.save(r.toBuilder().expires(NOW.plusSeconds(7200)).build());
    assertThat(store.recordFailure(s.id(), NOW.plusSeconds(60))).isEqualTo(NOW);
  }

  @Test
  void aPushResourceSavedAgainAfterItsLastRegistrationWentStartsANewStreak() {
    WebPushSubscription s = sub("a");
    store.save(reg("r1", "alice", "/work/", WORK, s));
    store.recordFailure(s.id(), NOW);
    store.remove("r1");
    store.save(reg("r2", "alice", "/work/", WORK, s));
    assertThat(store.recordFailure(s.id(), NOW.plusSeconds(60))).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void concurrentSavesAndRemovalsLeaveConsistentIndexes() throws Exception {
    int threads = 4;
    int perThread = 500;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    String id = "t" + thread + "-" + i;
                    store.save(reg(id, "owner" + thread, "/work/", WORK, sub(id)));
                    if (i % 2 == 1) {
                      assertThat(store.remove(id)).isTrue();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int expected = threads * perThread / 2;
    assertThat(store.size()).isEqualTo(expected);
    assertThat(store.findByTopic(WORK)).hasSize(expected);
    assertThat(store.countByResource("/work/")).isEqualTo(expected);
    assertThat(store.countByOwner("owner0")).isEqualTo(perThread / 2);
    assertThat(store.find("t3-" + (perThread - 2))).isPresent();
    assertThat(store.find("t3-" + (perThread - 1))).isEmpty();
  }
}
