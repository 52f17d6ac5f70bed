package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.PushXmlException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the body of a received Web Push message into a {@link PushEvent}: decrypts it with the
 * subscription's user agent key pair (RFC 8291, {@code aes128gcm}, one record), reads the {@code
 * push-message} (draft §4.1, every older form too) and maps its topic to the registered collection.
 *
 * <p>How the body arrives is the application's push service's business (FCM, a UnifiedPush
 * distributor, a browser's service worker, the kit's embedded push service): hand over the bytes
 * exactly as received.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class PushReceiver {
  private final UserAgentKeyPair keys;
  private final Map<Topic, URI> collections;

  private PushReceiver(UserAgentKeyPair keys, Map<Topic, URI> collections) {
    this.keys = keys;
    this.collections = Map.copyOf(collections);
  }

  /**
   * A receiver for the registrations of one subscription.
   *
   * @param keys the subscription's key pair
   * @param registrations the registrations whose topics are known; those without topic are skipped
   * @return the receiver
   */
  public static PushReceiver of(UserAgentKeyPair keys, List<PushRegistration> registrations) {
    requireNonNull(keys, "keys");
    Map<Topic, URI> map = new HashMap<>();
    for (PushRegistration r : requireNonNull(registrations, "registrations")) {
      r.topic().ifPresent(t -> map.put(t, r.collection()));
    }
    return new PushReceiver(keys, map);
  }

  /**
   * A receiver with one more (or a replaced) registration.
   *
   * @param registration the registration to add
   * @return a new receiver
   */
  public PushReceiver with(PushRegistration registration) {
    requireNonNull(registration, "registration");
    Map<Topic, URI> map = new HashMap<>(collections);
    registration.topic().ifPresent(t -> map.put(t, registration.collection()));
    return new PushReceiver(keys, map);
  }

  /**
   * Decrypts, reads and maps a received message.
   *
   * @param body the {@code aes128gcm} body exactly as the push service delivered it
   * @return the event
   * @throws PushCryptoException if the body is malformed, truncated or not for these keys
   * @throws PushXmlException if the plaintext is not a readable {@code push-message}
   */
  public PushEvent receive(byte[] body) {
    requireNonNull(body, "body");
    return read(keys.decrypt(body));
  }

  /**
   * Reads and maps an already decrypted message.
   *
   * @param plaintext the {@code push-message} XML
   * @return the event
   * @throws PushXmlException if it is not a readable {@code push-message}
   */
  public PushEvent read(byte[] plaintext) {
    PushMessage m = PushMessageReader.read(requireNonNull(plaintext, "plaintext"));
    if (m.isKeyRotation()) {
      return new PushEvent.KeyRotation(m);
    }
    Topic topic = m.topic().orElse(null);
    URI collection = topic == null ? null : collections.get(topic);
    if (topic == null || collection == null) {
      return new PushEvent.Unmatched(topic, m);
    }
    return new PushEvent.SyncCollection(
        collection,
        topic,
        m.contentUpdate().isPresent(),
        m.contentUpdate().flatMap(PushMessage.ContentUpdate::syncTokenValue).orElse(null),
        m.propertyUpdate().isPresent(),
        m.propertyUpdate().map(PushMessage.PropertyUpdate::properties).orElse(Set.of()),
        m);
  }

  /**
   * The topics this receiver maps.
   *
   * @return topic to collection; unmodifiable
   */
  public Map<Topic, URI> collections() {
    return collections;
  }

  @Override
  public String toString() {
    return "PushReceiver[topics=" + collections.size() + "]";
  }
}
