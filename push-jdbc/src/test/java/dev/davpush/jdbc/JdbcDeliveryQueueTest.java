package dev.davpush.jdbc;

import static dev.davpush.jdbc.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcDeliveryQueueTest {
  static final AtomicLong KEYS = new AtomicLong();
  TestDatabase.Db db;
  final List<JdbcDeliveryQueue> queues = new ArrayList<>();

  @BeforeEach
  void start() {
    db = TestDatabase.fresh("queue");
  }

  @AfterEach
  void stop() {
    queues.forEach(JdbcDeliveryQueue::close);
    db.close();
  }

  JdbcDeliveryQueue queue(Duration heartbeat, Duration lapse) {
    JdbcDeliveryQueue q =
        JdbcDeliveryQueue.builder(db.dataSource())
            .heartbeat(heartbeat)
            .lapse(lapse)
            .idlePoll(null)
            .build();
    queues.add(q);
    return q;
  }

  JdbcDeliveryQueue queue() {
    return queue(Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  static PendingDelivery delivery(String push, Topic topic, String token, Instant notBefore) {
    return PendingDelivery.builder()
        .registrationId("reg-" + push.hashCode())
        .subscriptionId(push)
        .message(PushMessage.contentUpdate(topic, token))
        .notBefore(notBefore)
        .deadline(notBefore.plus(Duration.ofHours(1)))
        .idempotencyKey("k" + KEYS.incrementAndGet())
        .build();
  }

  @Test
  void aDueDeliveryIsClaimedOnceAndEndsWhenAcknowledged() {
    JdbcDeliveryQueue q = queue();
    PendingDelivery due = delivery("https://push.example/a", Topic.random(), "t1", NOW);
    PendingDelivery later =
        delivery("https://push.example/b", Topic.random(), "t1", NOW.plusSeconds(5));
    assertThat(q.offer(due)).isEqualTo(due);
    q.offer(later);

    assertThat(q.nextDue()).contains(NOW);
    assertThat(q.poll(NOW, 10)).containsExactly(due);
    assertThat(q.poll(NOW, 10)).isEmpty();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.nextDue()).contains(NOW.plusSeconds(5));
    q.acknowledge(due);
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.poll(NOW.plusSeconds(5), 10)).containsExactly(later);
    assertThatThrownBy(() -> q.poll(NOW, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBurstFromTwoNodesCoalescesIntoOneRowPerPushResourceAndTopic() throws Exception {
    JdbcDeliveryQueue a = queue();
    JdbcDeliveryQueue b = queue();
    int pairs = 10;
    int perPair = 40;
    List<String> pushes = new ArrayList<>();
    List<Topic> topics = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      pushes.add("https://push.example/burst-" + (i % 5));
      topics.add(Topic.random());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      JdbcDeliveryQueue q = t % 2 == 0 ? a : b;
      int thread = t;
      fs.add(
          pool.submit(
              () -> {
                go.await();
                for (int n = 0; n < pairs * perPair / 8; n++) {
                  int i = (thread + n) % pairs;
                  q.offer(delivery(pushes.get(i), topics.get(i), "t" + n, NOW));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(db.count("SELECT count(*) FROM davpush_delivery")).isEqualTo(pairs);
    assertThat(db.count("SELECT count(DISTINCT coalescing_hash) FROM davpush_delivery"))
        .isEqualTo(pairs);
    List<PendingDelivery> claimed = new ArrayList<>(a.poll(NOW, 100));
    claimed.addAll(b.poll(NOW, 100));
    Set<String> keys = new HashSet<>();
    for (PendingDelivery d : claimed) {
      keys.add(d.coalescingKey());
    }
    assertThat(keys).hasSize(pairs);
  }

  @Test
  void aClaimedDeliveryIsNeverMergedInto() {
    JdbcDeliveryQueue q = queue();
    Topic topic = Topic.random();
    PendingDelivery first = delivery("https://push.example/c", topic, "t1", NOW);
    q.offer(first);
    assertThat(q.poll(NOW, 1)).containsExactly(first);

    PendingDelivery second = delivery("https://push.example/c", topic, "t2", NOW);
    assertThat(q.offer(second)).isEqualTo(second);
    assertThat(q.size()).isEqualTo(2);

    PendingDelivery third = delivery("https://push.example/c", topic, "t3", NOW.plusSeconds(1));
    PendingDelivery merged = q.offer(third);
    assertThat(merged.idempotencyKey()).isEqualTo(second.idempotencyKey());
    assertThat(merged.message().contentUpdate().orElseThrow().syncTokenValue()).contains("t3");
    assertThat(merged.notBefore()).isEqualTo(NOW);
  }

  @Test
  void aRetryMergesIntoTheWaitingDeliveryKeepingItsKey() {
    JdbcDeliveryQueue q = queue();
    Topic topic = Topic.random();
    PendingDelivery sent = delivery("https://push.example/r", topic, "t1", NOW);
    q.offer(sent);
    q.poll(NOW, 1);
    PendingDelivery waiting = q.offer(delivery("https://push.example/r", topic, "t2", NOW));

    PendingDelivery back = q.reschedule(sent.next(NOW.plusSeconds(30)));
    assertThat(back.idempotencyKey()).isEqualTo(waiting.idempotencyKey());
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(back.notBefore()).isEqualTo(NOW.plusSeconds(30));
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.poll(NOW.plusSeconds(29), 10)).isEmpty();
    assertThat(q.poll(NOW.plusSeconds(30), 10)).containsExactly(back);
  }

  @Test
  void aRetryAndItsRetryAfterSurviveARestartOfTheNode() throws Exception {
    JdbcDeliveryQueue first = queue(Duration.ofMillis(50), Duration.ofMillis(500));
    PendingDelivery d = delivery("https://push.example/restart", Topic.random(), "t1", NOW);
    first.offer(d);
    first.poll(NOW, 1);
    Instant retryAfter = NOW.plus(Duration.ofMinutes(10)); // a 429 with Retry-After: 600
    PendingDelivery next = first.reschedule(d.next(retryAfter));
    first.close();
    queues.remove(first);

    JdbcDeliveryQueue second = queue(Duration.ofMillis(50), Duration.ofMillis(500));
    List<PendingDelivery> got = pollUntil(second, retryAfter, 1, Duration.ofSeconds(10));
    assertThat(got).containsExactly(next);
    assertThat(got.get(0).attempt()).isEqualTo(2);
    assertThat(got.get(0).idempotencyKey()).isEqualTo(d.idempotencyKey());
    assertThat(second.poll(retryAfter.minusNanos(1), 1)).isEmpty();
  }

  @Test
  void theClaimedWorkOfADeadNodeIsAdoptedAndCountedAsPossibleDuplicates() throws Exception {
    JdbcDeliveryQueue dying = queue(Duration.ofMillis(50), Duration.ofMillis(400));
    List<PendingDelivery> offered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      offered.add(dying.offer(delivery("https://push.example/dead" + i, Topic.random(), "t", NOW)));
    }
    PendingDelivery waiting =
        dying.offer(
            delivery("https://push.example/dead-w", Topic.random(), "t", NOW.plusSeconds(1)));
    assertThat(dying.poll(NOW, 3)).containsExactlyElementsOf(offered);
    dying.halt(); // as kill -9 would: no release, no more heartbeats

    JdbcDeliveryQueue survivor = queue(Duration.ofMillis(50), Duration.ofMillis(400));
    List<PendingDelivery> got = pollUntil(survivor, NOW.plusSeconds(1), 4, Duration.ofSeconds(10));
    assertThat(got)
        .containsExactlyInAnyOrder(offered.get(0), offered.get(1), offered.get(2), waiting);
    assertThat(survivor.recovered()).isEqualTo(3);
    assertThat(db.count("SELECT count(*) FROM davpush_delivery WHERE recovered = 1")).isEqualTo(3);
    assertThat(
            db.count("SELECT count(*) FROM davpush_node WHERE node_id = '" + dying.nodeId() + "'"))
        .isZero();
  }

  @Test
  void aMalformedRowIsMovedAsideAndNeverReturned() {
    JdbcDeliveryQueue q = queue();
    PendingDelivery good = delivery("https://push.example/good", Topic.random(), "t", NOW);
    q.offer(good);
    db.execute(
        "INSERT INTO davpush_delivery (coalescing_hash, idempotency_key, state, node,"
            + " not_before_s, not_before_ns, attempt, payload) VALUES ('"
            + "0".repeat(64)
            + "', 'bad', 'W', '"
            + q.nodeId()
            + "', "
            + (NOW.getEpochSecond() - 1)
            + ", 0, 1, 'davpush-pending-delivery/1\nattempt=x\n')");

    assertThat(q.poll(NOW, 10)).containsExactly(good);
    assertThat(q.deadLettered()).isEqualTo(1);
    assertThat(
            db.count("SELECT count(*) FROM davpush_dead_letter WHERE source = 'davpush_delivery'"))
        .isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM davpush_delivery WHERE idempotency_key = 'bad'"))
        .isZero();
    assertThat(q.poll(NOW.plusSeconds(60), 10)).isEmpty();
  }

  @Test
  void nextDueIsCappedByTheIdlePollSoThatAnIdleEngineStillPolls() {
    JdbcDeliveryQueue strict = queue();
    assertThat(strict.nextDue()).isEmpty();
    java.time.Clock fixed = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);
    JdbcDeliveryQueue polling =
        JdbcDeliveryQueue.builder(db.dataSource())
            .idlePoll(Duration.ofMillis(500))
            .clock(fixed)
            .build();
    queues.add(polling);
    assertThat(polling.nextDue()).contains(NOW.plusMillis(500));
    polling.offer(delivery("https://push.example/n", Topic.random(), "t", NOW.plusMillis(100)));
    assertThat(polling.nextDue()).contains(NOW.plusMillis(100));
  }

  @Test
  void aCapacityRefusesNewRowsButStillMerges() {
    JdbcDeliveryQueue q =
        JdbcDeliveryQueue.builder(db.dataSource()).capacity(1).idlePoll(null).build();
    queues.add(q);
    Topic topic = Topic.random();
    q.offer(delivery("https://push.example/cap", topic, "t1", NOW));
    assertThatThrownBy(() -> q.offer(delivery("https://push.example/cap2", topic, "t1", NOW)))
        .isInstanceOf(DeliveryQueueFullException.class);
    assertThat(q.offer(delivery("https://push.example/cap", topic, "t2", NOW)).message())
        .isEqualTo(PushMessage.contentUpdate(topic, "t2"));
    assertThat(q.size()).isEqualTo(1);
  }

  static List<PendingDelivery> pollUntil(
      JdbcDeliveryQueue q, Instant now, int expected, Duration timeout) throws Exception {
    List<PendingDelivery> got = new ArrayList<>();
    long end = System.nanoTime() + timeout.toNanos();
    while (got.size() < expected && System.nanoTime() < end) {
      got.addAll(q.poll(now, 100));
      Thread.sleep(20);
    }
    return got;
  }
}
