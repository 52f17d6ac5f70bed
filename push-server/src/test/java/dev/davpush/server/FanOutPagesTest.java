package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushException;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fan-out reaches its queue in pages ({@link DeliveryQueue#offerAll}, at most {@link
 * DeliveryQueue#OFFER_PAGE} each), and a page the queue fails to take is offered delivery by
 * delivery, so nothing is lost.
 */
class FanOutPagesTest {
  static final String WORK = "/cal/alice/work/";
  static final int REGISTRATIONS = 2 * DeliveryQueue.OFFER_PAGE + 201;
  static final RegistrationLimits LIMITS =
      RegistrationLimits.builder().perPrincipal(REGISTRATIONS).build();

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aFanOutIsOfferedInPagesAndEveryRegistrationGetsItsMessage() throws Exception {
    RecordingQueue queue = new RecordingQueue(false);
    h.autoWake = true;
    PushEngine engine = h.engine(b -> b.deliveryQueue(queue).registrationLimits(LIMITS));
    registerAll(engine);

    PublishResult result =
        EngineHarness.await(engine.publish(Change.contentUpdate(WORK + "x.ics").build()));

    assertThat(queue.pages)
        .containsExactly(DeliveryQueue.OFFER_PAGE, DeliveryQueue.OFFER_PAGE, 201);
    assertThat(queue.singleOffers).isEmpty();
    assertThat(result.delivered()).isEqualTo(REGISTRATIONS);
    assertThat(h.transport.sent).hasSize(REGISTRATIONS);
    assertThat(engine.statistics().delivered()).isEqualTo(REGISTRATIONS);
  }

  @Test
  void aPageTheQueueRefusesIsOfferedOneByOneAndNothingIsLost() throws Exception {
    RecordingQueue queue = new RecordingQueue(true);
    h.autoWake = true;
    PushEngine engine = h.engine(b -> b.deliveryQueue(queue).registrationLimits(LIMITS));
    List<WebPushSubscription> subscriptions = registerAll(engine);
    CapturingSlf4j.LINES.clear();

    PublishResult result =
        EngineHarness.await(engine.publish(Change.contentUpdate(WORK + "x.ics").build()));

    assertThat(queue.pages).hasSize(3);
    assertThat(queue.singleOffers).hasSize(REGISTRATIONS);
    assertThat(result.delivered()).isEqualTo(REGISTRATIONS);
    assertThat(result.failed()).isZero();
    // at least once: each failed page's first half was queued, and the engine may have claimed
    // and sent some of it before the page was offered again
    for (WebPushSubscription s : subscriptions) {
      assertThat(h.transport.messagesTo(s.id())).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    }
    assertThat(h.transport.sent.size())
        .isBetween(REGISTRATIONS, REGISTRATIONS + queue.halfQueued.get());
    assertThat(CapturingSlf4j.LINES)
        .filteredOn(l -> l.startsWith("WARN") && l.contains("failed to take a page"))
        .hasSize(3);
  }

  private static List<WebPushSubscription> registerAll(PushEngine engine) {
    List<WebPushSubscription> all = new ArrayList<>();
    for (int i = 0; i < REGISTRATIONS; i++) {
      WebPushSubscription s = subscriptionNamed("page-" + i);
      register(engine, "alice", WORK, s, CONTENT_1);
      all.add(s);
    }
    return all;
  }

  /**
   * An in-memory queue that records the sizes of the pages it is offered; with {@code failPages},
   * each page call queues its first half and then fails, as a database that goes away mid-page.
   */
  static final class RecordingQueue extends ForwardingQueue {
    final List<Integer> pages = new CopyOnWriteArrayList<>();
    final List<String> singleOffers = new CopyOnWriteArrayList<>();
    final boolean failPages;
    final AtomicInteger halfQueued = new AtomicInteger();

    RecordingQueue(boolean failPages) {
      this.failPages = failPages;
    }

    @Override
    public PendingDelivery offer(PendingDelivery delivery) {
      singleOffers.add(delivery.idempotencyKey());
      return inner.offer(delivery);
    }

    @Override
    public List<PendingDelivery> offerAll(List<PendingDelivery> deliveries) {
      pages.add(deliveries.size());
      if (failPages) {
        inner.offerAll(deliveries.subList(0, deliveries.size() / 2));
        halfQueued.addAndGet(deliveries.size() / 2);
        throw new PushException("the queue's database went away in the middle of a page");
      }
      return inner.offerAll(deliveries);
    }
  }
}
