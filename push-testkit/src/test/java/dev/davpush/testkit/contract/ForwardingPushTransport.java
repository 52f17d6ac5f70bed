package dev.davpush.testkit.contract;

import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import java.util.concurrent.CompletionStage;

/** A transport that hands every call to a delegate; each {@link BrokenTransport} overrides one. */
class ForwardingPushTransport implements PushTransport {
  final PushTransport delegate;

  ForwardingPushTransport(PushTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public TransportDescriptor descriptor() {
    return delegate.descriptor();
  }

  @Override
  public boolean accepts(Subscription subscription) {
    return delegate.accepts(subscription);
  }

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    return delegate.send(delivery);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
