package dev.davpush.spi;

import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import java.util.concurrent.CompletionStage;

/**
 * A push transport: how the server reaches a client's push service. Web Push is the standard one
 * ({@code dev.davpush.webpush.WebPushTransport}); others plug in through {@link
 * PushTransportProvider}.
 *
 * <p>Exceptions contract: {@link #send} never throws; it returns a stage that completes with a
 * {@link DeliveryResult} for every answer of the push service (2xx, 4xx, 5xx alike) and completes
 * exceptionally with a {@link dev.davpush.DeliveryException} only when no answer could be obtained
 * (connection refused, timeout, policy refusal, encryption failure).
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface PushTransport extends AutoCloseable {
  /**
   * The transport name, as in {@code transports}.
   *
   * @return for example {@code web-push}
   */
  String name();

  /**
   * What this transport advertises inside the {@code transports} property.
   *
   * @return the descriptor, for example with the VAPID public key
   */
  TransportDescriptor descriptor();

  /**
   * Whether this transport can deliver to the subscription; the engine refuses a registration no
   * transport accepts with {@code invalid-subscription}.
   *
   * @param subscription a subscription from a {@code push-register} request
   * @return true if this transport handles it
   */
  boolean accepts(Subscription subscription);

  /**
   * Sends one push message; never blocks the caller on network I/O.
   *
   * @param delivery what to send, to whom
   * @return the push service's answer, or an exceptional completion with a {@link
   *     dev.davpush.DeliveryException} when there was none
   */
  CompletionStage<DeliveryResult> send(PushDelivery delivery);

  /** Releases resources this transport created; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
