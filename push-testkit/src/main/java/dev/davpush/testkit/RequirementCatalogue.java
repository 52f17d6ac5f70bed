package dev.davpush.testkit;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requirements a WebDAV-Push server (acting as Web Push application server) can be checked
 * against, with the IDs and levels of the project's requirements digest. Client-only and
 * push-service-only requirements are not listed.
 *
 * <p>Thread safety: immutable.
 */
public final class RequirementCatalogue {
  private static final String WDP = "draft-bitfire-webdav-push ";
  private static final Map<String, Requirement> ALL = new LinkedHashMap<>();

  static {
    add(
        "R-WDP-4",
        Level.MUST,
        WDP + "§2",
        "OPTIONS on a push-capable resource lists webdav-push in DAV");
    add(
        "R-WDP-5",
        Level.MUST,
        WDP + "§2.1",
        "push-capable resources have transports, topic, supported-triggers");
    add(
        "R-WDP-6",
        Level.MUST,
        WDP + "§2.1",
        "no topic or supported-triggers on resources without push");
    add("R-WDP-8", Level.MAY, WDP + "§2.1", "topic is stable and unique server-wide");
    add(
        "R-WDP-9",
        Level.MUST,
        WDP + "§2.1",
        "supported-triggers has content-update and/or property-update, each with a depth");
    add(
        "R-WDP-18",
        Level.SHOULD,
        WDP + "§3.1.1",
        "collections support content updates with depth >= 1");
    add("R-WDP-19", Level.MUST, WDP + "§3.1.1", "an unsupported depth is downgraded, not refused");
    add(
        "R-WDP-24",
        Level.MUST,
        WDP + "§3.1.3",
        "registration answers 201/204, or 403 with the right precondition");
    add("R-WDP-25", Level.MUST, WDP + "§3.1.3", "a new registration's Location is an absolute URL");
    add(
        "R-WDP-26",
        Level.MUST,
        WDP + "§3.1.3",
        "the registration response carries Expires as IMF-fixdate");
    add(
        "R-WDP-28",
        Level.MUST,
        WDP + "§3.2",
        "registering the same push resource again updates the registration");
    add(
        "R-WDP-30",
        Level.MUST,
        WDP + "§3.3",
        "DELETE on the registration URL answers 204, then 404");
    add(
        "R-WDP-31",
        Level.SHOULD,
        WDP + "§3.4",
        "registrations are allowed to last at least three days");
    add("R-WDP-33", Level.MUST, WDP + "§3.4", "no message is sent to an expired subscription");
    add(
        "R-WDP-34",
        Level.MUST,
        WDP + "§4",
        "registered subscriptions are notified of content updates");
    add("R-WDP-35", Level.MUST, WDP + "§4.1", "push-message carries the topic and content-update");
    add(
        "R-WDP-36",
        Level.SHOULD,
        WDP + "§4.1",
        "content-update carries the sync-token after the change");
    add(
        "R-WDP-39",
        Level.MUST,
        WDP + "§4.2",
        "no message to a registration listed in Push-Dont-Notify");
    add(
        "R-WDP-42",
        Level.MUST,
        WDP + "§4.2",
        "invalid Push-Dont-Notify values are ignored, not an error");
    add(
        "R-WDP-45",
        Level.SHOULD,
        WDP + "§4.4",
        "undeliverable subscriptions are eventually removed");
    add("R-WDP-48", Level.MUST, WDP + "§6", "push messages are encrypted (RFC 8291)");
    add("R-WDP-49", Level.MUST, WDP + "§6", "transports lists web-push");
    add(
        "R-WDP-51",
        Level.MUST,
        WDP + "§6.2",
        "vapid-public-key has type p256ecdsa and is a P-256 point");
    add(
        "R-WDP-54",
        Level.MUST,
        WDP + "§6.2",
        "with a published VAPID key every push carries a matching Authorization");
    add(
        "R-WDP-59",
        Level.MAY,
        WDP + "§6.4",
        "push requests carry Content-Type application/xml; charset=UTF-8");
    add("R-WDP-62", Level.SHOULD, WDP + "§7.1", "registrations are bound to their user");
    add("R-WDP-64", Level.MUST, WDP + "§7.3", "Web Push communication uses HTTPS");
    add("R-8030-4", Level.MUST, "RFC 8030 §5.2", "every push request carries TTL");
    add("R-8030-5", Level.MUST, "RFC 8030 §5.3", "Urgency, if sent, is one valid value");
    add("R-8030-6", Level.MUST, "RFC 8030 §5.4", "Topic, if sent, is <= 32 base64url characters");
    add("R-8030-7", Level.MUST, "RFC 8030 §7.2", "push message bodies fit in 4096 bytes");
    add("R-8291-6", Level.MUST, "RFC 8291 §4", "exactly one record; rs larger than the record");
    add(
        "R-8291-7",
        Level.MUST,
        "RFC 8291 §4",
        "keyid is the 65-byte application server public key");
    add("R-8291-9", Level.MUST, "RFC 8291 §4", "Content-Encoding is exactly aes128gcm");
    add("R-8291-2", Level.MUST, "RFC 8291 §3.1", "a fresh application server key per message");
    add(
        "R-8292-2",
        Level.MUST,
        "RFC 8292 §2",
        "VAPID aud is the push resource's origin; exp within 24 hours");
    add(
        "R-8292-3",
        Level.MUST,
        "RFC 8292 §2",
        "VAPID tokens are ES256 with a 64-byte R||S signature");
    add("R-8292-5", Level.SHOULD, "RFC 8292 §2.1", "VAPID sub is a mailto: or https: contact");
    add(
        "R-8292-10",
        Level.MUST,
        "RFC 8292 §3.2",
        "the VAPID key differs from the message ECDH key");
  }

  private RequirementCatalogue() {}

  private static void add(String id, Level level, String section, String summary) {
    ALL.put(id, new Requirement(id, level, section, summary));
  }

  /**
   * Every requirement, in digest order.
   *
   * @return an unmodifiable list
   */
  public static List<Requirement> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * A requirement by ID.
   *
   * @param id for example {@code R-WDP-25}
   * @return empty if the catalogue has no such requirement
   */
  public static Optional<Requirement> find(String id) {
    return Optional.ofNullable(ALL.get(requireNonNull(id, "id")));
  }

  /**
   * A requirement by ID that must exist.
   *
   * @param id for example {@code R-WDP-25}
   * @return the requirement
   * @throws IllegalArgumentException if the catalogue has no such requirement
   */
  public static Requirement get(String id) {
    return find(id)
        .orElseThrow(
            () -> new IllegalArgumentException("no requirement '" + id + "' in the catalogue"));
  }
}
