package dev.davpush.testkit.reference.faults;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushResource;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import dev.davpush.testkit.reference.ServerDecorator;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A transport that breaks transport security (R-WDP-64, R-8030-1) around the server's own one: it
 * sends plain HTTP with a {@link FaultyWebPushTransport} of no deviation, which posts with {@code
 * java.net.http} wherever the URL points, whatever the server's push resource policy says.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class PlaintextTransport implements PushTransport {
  /** Which of the two faults. */
  enum Mode {
    /**
     * Accepts {@code http://} push resources even when the server's policy refuses them, and sends
     * to them in plain HTTP (R-WDP-64).
     */
    ACCEPT_HTTP,
    /**
     * Sends every push first in plain HTTP to the {@code http://} twin of its {@code https} push
     * resource, then as usual (R-8030-1).
     */
    PLAINTEXT_COPY
  }

  private final Mode mode;
  private final PushTransport delegate;
  private final FaultyWebPushTransport plain;

  private PlaintextTransport(
      Mode mode,
      PushTransport delegate,
      WebPushTransport webPush,
      Supplier<VapidKeyPair> vapidKey,
      String subject) {
    this.mode = requireNonNull(mode, "mode");
    this.delegate = requireNonNull(delegate, "delegate");
    this.plain =
        new FaultyWebPushTransport(
            FaultyWebPushTransport.Deviation.NONE, webPush, vapidKey, subject);
  }

  /** The decorator that plants this transport. */
  static ServerDecorator decorator(Mode mode) {
    return new ServerDecorator() {
      @Override
      public PushTransport transport(
          PushTransport transport,
          WebPushTransport webPush,
          Supplier<VapidKeyPair> vapidKey,
          String subject) {
        return new PlaintextTransport(mode, transport, webPush, vapidKey, subject);
      }
    };
  }

  private static boolean isHttp(Subscription s) {
    return s instanceof WebPushSubscription w
        && w.pushResource().uri().getScheme().toLowerCase(Locale.ROOT).equals("http");
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
    return delegate.accepts(subscription) || (mode == Mode.ACCEPT_HTTP && isHttp(subscription));
  }

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    Subscription s = delivery.subscription();
    if (mode == Mode.ACCEPT_HTTP && isHttp(s)) {
      return plain.send(delivery);
    }
    if (mode == Mode.PLAINTEXT_COPY && s instanceof WebPushSubscription w && !isHttp(s)) {
      String https = w.pushResource().uri().toString();
      WebPushSubscription twin =
          WebPushSubscription.of(
              new PushResource(URI.create("http" + https.substring("https".length()))),
              w.contentEncoding(),
              w.subscriptionPublicKey(),
              w.authSecret());
      // the copy fails at the TLS port; its result does not matter
      plain.send(PushDelivery.builder(twin, delivery.payload()).build());
    }
    return delegate.send(delivery);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
