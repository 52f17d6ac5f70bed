package dev.davpush;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code web-push} entry of the {@code transports} property (R-WDP-49), with the server's VAPID
 * public key when it has one (R-WDP-51, written with {@code type="p256ecdsa"}).
 *
 * @param vapidPublicKey the VAPID public key, or null if the server does not sign
 *     <p>Thread safety: immutable.
 */
public record WebPushTransportDescriptor(@Nullable P256PublicKey vapidPublicKey)
    implements TransportDescriptor {

  @Override
  public String name() {
    return WebPushSubscription.TRANSPORT;
  }

  /**
   * The VAPID public key.
   *
   * @return empty if the server publishes none
   */
  public Optional<P256PublicKey> vapidKey() {
    return Optional.ofNullable(vapidPublicKey);
  }
}
