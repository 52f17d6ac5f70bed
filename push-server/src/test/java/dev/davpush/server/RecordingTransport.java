package dev.davpush.server;

import dev.davpush.PushMessage;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A web-push transport that records every send and answers from a script (per subscription id, then
 * the default {@code 201}). Its encoder hands out numbered payloads so that the recorded deliveries
 * can be mapped back to {@link PushMessage}s.
 */
class RecordingTransport implements PushTransport {
  record Sent(PushDelivery delivery, PushMessage message, Thread thread) {
    String subscriptionId() {
      return delivery.subscription().id();
    }
  }

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final Map<String, Deque<Object>> script = new ConcurrentHashMap<>();
  final Map<String, PushMessage> payloads = new ConcurrentHashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  volatile Predicate<Subscription> accepts = s -> s instanceof WebPushSubscription;

  /** Scripts answers for a subscription: DeliveryResult values or Throwables, in order. */
  RecordingTransport answer(String subscriptionId, Object... answers) {
    script
        .computeIfAbsent(subscriptionId, k -> new ConcurrentLinkedDeque<>())
        .addAll(List.of(answers));
    return this;
  }

  PushMessageEncoder encoder() {
    return m -> {
      String key = "m" + counter.incrementAndGet();
      payloads.put(key, m);
      return key.getBytes(StandardCharsets.UTF_8);
    };
  }

  List<PushMessage> messagesTo(String subscriptionId) {
    List<PushMessage> out = new ArrayList<>();
    for (Sent s : sent) {
      if (s.subscriptionId().equals(subscriptionId)) {
        out.add(s.message());
      }
    }
    return out;
  }

  @Override
  public String name() {
    return WebPushSubscription.TRANSPORT;
  }

  @Override
  public TransportDescriptor descriptor() {
    return new WebPushTransportDescriptor(null);
  }

  @Override
  public boolean accepts(Subscription subscription) {
    return accepts.test(subscription);
  }

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    PushMessage m = payloads.get(new String(delivery.payload(), StandardCharsets.UTF_8));
    sent.add(new Sent(delivery, m, Thread.currentThread()));
    Deque<Object> answers = script.get(delivery.subscription().id());
    Object next = answers == null ? null : answers.poll();
    if (next == null) {
      return CompletableFuture.completedFuture(new DeliveryResult.Delivered(201));
    }
    if (next instanceof Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
    return CompletableFuture.completedFuture((DeliveryResult) next);
  }
}
