package dev.davpush.server;

import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A web-push transport whose answers the test gives by hand, one per send. */
final class HandAnsweredTransport extends RecordingTransport {
  record Pending(PushDelivery delivery, CompletableFuture<DeliveryResult> answer) {
    String subscriptionId() {
      return delivery.subscription().id();
    }

    void delivered() {
      answer.complete(new DeliveryResult.Delivered(201));
    }
  }

  final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    sent.add(
        new Sent(
            delivery,
            payloads.get(new String(delivery.payload(), java.nio.charset.StandardCharsets.UTF_8)),
            Thread.currentThread()));
    CompletableFuture<DeliveryResult> f = new CompletableFuture<>();
    pending.add(new Pending(delivery, f));
    return f;
  }

  /** The next send, waiting at most ten seconds. */
  Pending next() throws InterruptedException {
    Pending p = pending.poll(10, TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("no send within 10 s");
    }
    return p;
  }

  /** Takes every send made so far. */
  List<Pending> takeAll() {
    List<Pending> out = new java.util.ArrayList<>();
    pending.drainTo(out);
    return out;
  }
}
