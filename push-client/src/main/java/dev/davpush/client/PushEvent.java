package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a received push message asks the application to do ({@link PushReceiver#receive}).
 *
 * <p>Thread safety: immutable.
 */
public sealed interface PushEvent {
  /**
   * The message as read.
   *
   * @return the decoded {@code push-message}
   */
  PushMessage message();

  /**
   * Sync a collection: its content, its properties, or both changed (draft §4.1, R-WDP-35).
   *
   * @param collection the registered collection the topic belongs to
   * @param topic the topic the message named
   * @param contentChanged whether the message has a {@code content-update}
   * @param syncToken the {@code DAV:sync-token} after the change (R-WDP-36), or null if the server
   *     sent none
   * @param propertiesChanged whether the message has a {@code property-update}
   * @param properties the properties named in the property update; empty if none were named
   * @param message the message as read
   */
  record SyncCollection(
      URI collection,
      Topic topic,
      boolean contentChanged,
      @Nullable String syncToken,
      boolean propertiesChanged,
      Set<PropertyName> properties,
      PushMessage message)
      implements PushEvent {
    /**
     * Validates and copies.
     *
     * @param collection as described on the record
     * @param topic as described on the record
     * @param contentChanged as described on the record
     * @param syncToken as described on the record
     * @param propertiesChanged as described on the record
     * @param properties as described on the record
     * @param message as described on the record
     */
    public SyncCollection {
      requireNonNull(collection, "collection");
      requireNonNull(topic, "topic");
      properties = Set.copyOf(requireNonNull(properties, "properties"));
      requireNonNull(message, "message");
    }

    /**
     * The sync-token after the change.
     *
     * @return empty if the server sent none (then sync)
     */
    public Optional<String> syncTokenValue() {
      return Optional.ofNullable(syncToken);
    }

    /**
     * Whether the application already has the announced state: the message carries only a content
     * update whose sync-token equals the one the application last synced to (R-WDP-36), so the sync
     * can be skipped.
     *
     * @param knownSyncToken the sync-token of the application's last sync, or null if none
     * @return true if no sync is needed
     */
    public boolean alreadyHave(@Nullable String knownSyncToken) {
      return !propertiesChanged
          && syncToken != null
          && knownSyncToken != null
          && syncToken.equals(knownSyncToken);
    }
  }

  /**
   * The server announced a VAPID key rotation (R-WDP-55, R-WDP-56): re-read the key, create a new
   * restricted subscription, re-register — {@link DavPushClient#reRegisterAfterKeyRotation}.
   *
   * @param message the message as read
   */
  record KeyRotation(PushMessage message) implements PushEvent {
    /**
     * Validates.
     *
     * @param message as described on the record
     */
    public KeyRotation {
      requireNonNull(message, "message");
    }
  }

  /**
   * A message whose topic no registration of the receiver has (a registration the application
   * forgot, or one of another device sharing the subscription), or that names no topic and is no
   * key rotation. Safe to ignore; a full sync of everything is the conservative reaction.
   *
   * @param topic the topic named, or null
   * @param message the message as read
   */
  record Unmatched(@Nullable Topic topic, PushMessage message) implements PushEvent {
    /**
     * Validates.
     *
     * @param topic as described on the record
     * @param message as described on the record
     */
    public Unmatched {
      requireNonNull(message, "message");
    }
  }
}
