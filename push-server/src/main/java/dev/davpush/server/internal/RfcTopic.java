package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RFC 8030 §5.4 {@code Topic} header of a message (R-WDP-60): a push service replaces an
 * undelivered message with a newer one of the same {@code Topic}, so the value is the same exactly
 * for messages that may replace each other without changing meaning.
 *
 * <p>Value: the first 24 octets of HMAC-SHA-256 under the engine's topic key over the push
 * resource, the WebDAV-Push topic and the message's kind, base64url without padding: 32 characters
 * of {@code [A-Za-z0-9_-]}, the RFC 8030 maximum. The kinds are content-only, property-only,
 * content-and-property and key-rotation, so that a later message replaces an undelivered one only
 * when it says at least as much: a content-only message never replaces one that carries a property
 * update, and a property-only message never replaces one that also carries a content update
 * (R-WDP-43). The value reveals nothing (R-WDP-60): without the key it cannot be linked to a topic,
 * a path or a user, and it differs between push resources.
 *
 * <p>Thread safety: safe for concurrent use (one {@link Mac} per thread).
 */
public final class RfcTopic {
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  /**
   * Creates the derivation.
   *
   * @param key the topic key, ≥ 16 octets; copied. Nodes of one cluster share it, so that their
   *     messages replace each other.
   * @throws IllegalArgumentException if shorter than 16 octets
   */
  public RfcTopic(byte[] key) {
    requireNonNull(key, "key");
    if (key.length < 16) {
      throw new IllegalArgumentException("topic key: expected >= 16 octets, got " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(this.key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
              }
            });
  }

  /**
   * The {@code Topic} header value of a message to a push resource.
   *
   * @param subscriptionId the push resource's subscription id
   * @param message the message
   * @return 32 characters of {@code [A-Za-z0-9_-]}
   */
  public String of(String subscriptionId, PushMessage message) {
    String kind;
    if (message.isKeyRotation()) {
      kind = "k";
    } else if (message.propertyUpdate().isPresent()) {
      // a property-only message must not replace one that also carries a content update
      kind = message.contentUpdate().isPresent() ? "b" : "p";
    } else {
      kind = "c";
    }
    String topic = message.topic().map(Topic::value).orElse("");
    Mac mac = macs.get();
    mac.update(subscriptionId.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    mac.update(topic.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] h = mac.doFinal(kind.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 24));
  }
}
