package dev.davpush.jdbc;

import static dev.davpush.jdbc.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link JdbcDeliveryQueue#offerAll} leaves the queue as offering one by one does. */
class JdbcDeliveryQueueOfferAllTest {
  private final List<TestDatabase.Db> dbs = new ArrayList<>();
  private final List<JdbcDeliveryQueue> queues = new ArrayList<>();
  private int keys;

  @AfterEach
  void stop() {
    queues.forEach(JdbcDeliveryQueue::close);
    dbs.forEach(TestDatabase.Db::close);
  }

  private JdbcDeliveryQueue freshQueue() {
    TestDatabase.Db db = TestDatabase.fresh("offerall");
    dbs.add(db);
    JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(db.dataSource()).idlePoll(null).build();
    queues.add(q);
    return q;
  }

  private PendingDelivery delivery(int pushResource, int topic, Instant notBefore) {
    return PendingDelivery.builder()
        .registrationId("reg-" + pushResource)
        .subscriptionId("https://push.example/" + pushResource)
        .message(PushMessage.contentUpdate(Topic.of("topic-" + topic), "token-" + keys))
        .notBefore(notBefore)
        .deadline(notBefore.plus(Duration.ofHours(1)))
        .idempotencyKey("k" + keys++)
        .build();
  }

  @RepeatedTest(4)
  void leavesTheSameRowsAndAnswersAsOfferingOneByOne() {
    Random r = new Random(keys * 31L + System.nanoTime());
    List<PendingDelivery> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(delivery(r.nextInt(8), r.nextInt(2), NOW.plusSeconds(r.nextInt(3))));
    }
    List<PendingDelivery> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      burst.add(delivery(r.nextInt(8), r.nextInt(2), NOW.plusSeconds(r.nextInt(3))));
    }
    JdbcDeliveryQueue one = freshQueue();
    JdbcDeliveryQueue all = freshQueue();
    before.forEach(one::offer);
    before.forEach(all::offer);

    List<PendingDelivery> oneByOne = burst.stream().map(one::offer).toList();
    List<PendingDelivery> together = all.offerAll(burst);

    assertThat(together).isEqualTo(oneByOne);
    assertThat(waiting(all)).isEqualTo(waiting(one)).hasSizeLessThanOrEqualTo(16);
  }

  @Test
  void aThousandAndMoreNewKeysAreAllQueuedAndClaimable() {
    JdbcDeliveryQueue q = freshQueue();
    List<PendingDelivery> many = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      many.add(delivery(i, 0, NOW));
    }
    assertThat(q.offerAll(many)).isEqualTo(many);
    assertThat(q.size()).isEqualTo(2_500);
    assertThat(q.poll(NOW, 5_000)).containsExactlyInAnyOrderElementsOf(many);
  }

  @Test
  void refusesAListWithARepeatedIdempotencyKeyAndQueuesNothing() {
    JdbcDeliveryQueue q = freshQueue();
    PendingDelivery a = delivery(1, 0, NOW);
    PendingDelivery b = delivery(2, 0, NOW).toBuilder().idempotencyKey(a.idempotencyKey()).build();
    assertThatThrownBy(() -> q.offerAll(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idempotency key");
    assertThat(q.size()).isZero();
  }

  // every waiting row's stable text form, ordered
  private static List<String> waiting(JdbcDeliveryQueue q) {
    return q.poll(NOW.plusSeconds(3_600), 10_000).stream()
        .map(PendingDelivery::serialize)
        .sorted()
        .collect(Collectors.toList());
  }
}
