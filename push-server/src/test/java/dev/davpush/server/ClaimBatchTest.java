package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.spi.PendingDelivery;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy engine claims from its queue in batches: with deliveries in flight it polls again only
 * once a low-water mark of slots is free, not at every answer (a claim from a durable queue is a
 * database statement). Nothing waits longer for it: every delivery still goes out.
 */
class ClaimBatchTest {
  static final String WORK = "/cal/alice/work/";
  static final int MAX_IN_FLIGHT = 64;
  static final int LOW_WATER = MAX_IN_FLIGHT / 8;
  static final int REGISTRATIONS = 300;

  final HandAnsweredTransport transport = new HandAnsweredTransport();
  final EngineHarness h = new EngineHarness(transport);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aBusyEngineClaimsOnlyWhenALowWaterMarkOfSlotsIsFree() throws Exception {
    CountingQueue queue = new CountingQueue();
    PushEngine engine =
        h.manual(
            b ->
                b.deliveryQueue(queue)
                    .maxInFlight(MAX_IN_FLIGHT)
                    .maxInFlightPerOrigin(MAX_IN_FLIGHT)
                    .maxSlowPerOrigin(0)
                    .registrationLimits(
                        RegistrationLimits.builder().perPrincipal(REGISTRATIONS).build()));
    for (int i = 0; i < REGISTRATIONS; i++) {
      register(engine, "alice", WORK, subscriptionNamed("claim-" + i), CONTENT_1);
    }

    CompletableFuture<PublishResult> result =
        engine.publish(Change.contentUpdate(WORK + "x.ics").build()).toCompletableFuture();
    h.executor.runAll();
    assertThat(transport.pending).hasSize(MAX_IN_FLIGHT);
    // answer one send at a time, letting the engine react to each answer before the next
    while (!result.isDone()) {
      HandAnsweredTransport.Pending p = transport.next();
      p.delivered();
      h.executor.runAll();
      assertThat(transport.pending.size()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }

    assertThat(result.get().delivered()).isEqualTo(REGISTRATIONS);
    assertThat(transport.sent).hasSize(REGISTRATIONS);
    // while work was in flight, each claim asked for at least the low-water mark; the claims
    // that found work are few (one per answer would be about REGISTRATIONS - MAX_IN_FLIGHT)
    assertThat(queue.busyPolls)
        .isNotEmpty()
        .allSatisfy(max -> assertThat(max).isGreaterThanOrEqualTo(LOW_WATER));
    assertThat(queue.fruitfulPolls.size())
        .isLessThanOrEqualTo((REGISTRATIONS - MAX_IN_FLIGHT) / LOW_WATER + 2);
  }

  @Test
  void onceTheQueueIsFoundDrainedAnswersDoNotClaimAgainUntilNewWorkArrives() throws Exception {
    CountingQueue queue = new CountingQueue();
    PushEngine engine = h.manual(b -> b.deliveryQueue(queue).maxInFlight(MAX_IN_FLIGHT));
    int n = MAX_IN_FLIGHT / 2;
    for (int i = 0; i < n; i++) {
      register(engine, "alice", WORK, subscriptionNamed("drained-" + i), CONTENT_1);
    }
    engine.publish(Change.contentUpdate(WORK + "x.ics").build());
    h.executor.runAll();
    assertThat(transport.pending).hasSize(n); // one claim took them all and came back short
    int pollsBefore = queue.polls.get();

    for (HandAnsweredTransport.Pending p : transport.takeAll()) {
      p.delivered();
      h.executor.runAll();
    }
    assertThat(queue.polls.get()).as("claims while answering").isEqualTo(pollsBefore);

    // new work: the next publish (held back by coalescing until its wake-up) is claimed then
    CompletableFuture<PublishResult> second =
        engine.publish(Change.contentUpdate(WORK + "y.ics").build()).toCompletableFuture();
    h.executor.runAll();
    h.wake();
    assertThat(transport.pending).hasSize(n);
    transport.takeAll().forEach(HandAnsweredTransport.Pending::delivered);
    h.executor.runAll();
    assertThat(second.get().delivered()).isEqualTo(n);
  }

  /** Records the size each poll asked for, and which polls returned work. */
  static final class CountingQueue extends ForwardingQueue {
    final List<Integer> busyPolls = new CopyOnWriteArrayList<>();
    final List<Integer> fruitfulPolls = new CopyOnWriteArrayList<>();
    final AtomicInteger polls = new AtomicInteger();

    @Override
    public List<PendingDelivery> poll(Instant now, int max) {
      polls.incrementAndGet();
      if (max < MAX_IN_FLIGHT) {
        busyPolls.add(max);
      }
      List<PendingDelivery> out = inner.poll(now, max);
      if (!out.isEmpty()) {
        fruitfulPolls.add(out.size());
      }
      return out;
    }
  }
}
