package dev.davpush.client;

import dev.davpush.P256PublicKey;
import dev.davpush.WebPushSubscription;
import java.util.concurrent.CompletionStage;

/**
 * Creates a new Web Push subscription after the server announced a VAPID key rotation (R-WDP-56):
 * the application asks its push service (FCM, UnifiedPush distributor, the browser …) for a new
 * subscription restricted to the new key (R-WDP-52), and hands it back. {@link
 * DavPushClient#reRegisterAfterKeyRotation} then registers it on every affected collection and
 * removes the old registrations.
 *
 * <p>Thread safety: called once per re-registration, on a client thread.
 */
@FunctionalInterface
public interface KeyRotationHandler {
  /**
   * Creates the new subscription.
   *
   * @param newVapidKey the server's new VAPID key, as re-read from {@code transports}
   * @return the new subscription (new push resource, and the key pair the application keeps for it)
   */
  CompletionStage<WebPushSubscription> newSubscription(P256PublicKey newVapidKey);
}
