package dev.davpush.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every server-side requirement the kit knows, as constants the compiler sees — those of the digest
 * ({@code R-} IDs) and a few best practices of the kit's own where neither the draft nor the RFCs
 * state a requirement ({@code BP-} IDs, level SHOULD, documented as not from the draft): the ID,
 * the level the requirements digest gives it, the kit's area, the section and a one-line summary.
 * Client-only and push-service-only requirements are not listed. {@code docs/requirements.md} is
 * generated from this class (a test keeps it current).
 *
 * <p>Levels follow the digest: an entry it marks informative is {@link Level#INFO}; otherwise the
 * strongest keyword that binds the server (the application server, in RFC 8030's terms) gives the
 * level; an entry that states protocol mechanics without a keyword (R-WDP-24, R-WDP-30, R-WDP-35,
 * R-WDP-59, R-8291-2) is normative and {@link Level#MUST}; R-8030-7 names only the push service's
 * {@code MAY} (413 above 4096 octets), so a larger body is reported at {@link Level#MAY}.
 *
 * <p>The {@code CI-} entries are no requirements: each registers the way a deployed client does (an
 * older draft's element names, DAVx⁵ up to 4.5.19) and reports whether the server accepts it, at
 * level {@link Level#INTEROP}, which never fails a run. Their summaries name the clients affected.
 *
 * <p>Thread safety: immutable.
 */
public final class RequirementCatalogue {
  private static final Map<String, Requirement> ALL = new LinkedHashMap<>();
  private static final String BEST_PRACTICE = "davpush best practice, not from the draft; see ";
  private static final String CLIENT_INTEROP =
      "davpush client interop, not a requirement of the draft; see ";

  /** R-WDP-2, SHOULD: the server supports the Web Push transport. */
  public static final Requirement R_WDP_2 =
      add(
          "R-WDP-2",
          Level.SHOULD,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §1.2",
          "the server supports the Web Push transport");

  /** R-WDP-4, MUST: OPTIONS on a push-capable resource lists webdav-push in DAV. */
  public static final Requirement R_WDP_4 =
      add(
          "R-WDP-4",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §2",
          "OPTIONS on a push-capable resource lists webdav-push in DAV");

  /** R-WDP-5, MUST: push-capable resources have transports, topic, supported-triggers. */
  public static final Requirement R_WDP_5 =
      add(
          "R-WDP-5",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §2.1",
          "push-capable resources have transports, topic, supported-triggers");

  /** R-WDP-6, MUST: no topic or supported-triggers on resources without push. */
  public static final Requirement R_WDP_6 =
      add(
          "R-WDP-6",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §2.1",
          "no topic or supported-triggers on resources without push");

  /** R-WDP-8, INFO: topic is stable and unique server-wide. */
  public static final Requirement R_WDP_8 =
      add(
          "R-WDP-8",
          Level.INFO,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §2.1",
          "topic is stable and unique server-wide");

  /**
   * R-WDP-9, MUST: supported-triggers has content-update and/or property-update, each with a depth.
   */
  public static final Requirement R_WDP_9 =
      add(
          "R-WDP-9",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §2.1",
          "supported-triggers has content-update and/or property-update, each with a depth");

  /** R-WDP-17, MAY: changes of a collection's own GET body may be ignored. */
  public static final Requirement R_WDP_17 =
      add(
          "R-WDP-17",
          Level.MAY,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §3.1.1",
          "changes of a collection's own GET body may be ignored");

  /** R-WDP-18, SHOULD: collections support content updates with depth 1 or more. */
  public static final Requirement R_WDP_18 =
      add(
          "R-WDP-18",
          Level.SHOULD,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §3.1.1",
          "collections support content updates with depth 1 or more");

  /** R-WDP-19, MUST: an unsupported depth is downgraded, not refused. */
  public static final Requirement R_WDP_19 =
      add(
          "R-WDP-19",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.1.1",
          "an unsupported depth is downgraded, not refused");

  /** R-WDP-21, MUST: unsupported properties listed in property-update are ignored. */
  public static final Requirement R_WDP_21 =
      add(
          "R-WDP-21",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.1.2",
          "unsupported properties listed in property-update are ignored");

  /**
   * R-WDP-22, SHOULD: no property-update message for getetag, getlastmodified or sync-token
   * changes.
   */
  public static final Requirement R_WDP_22 =
      add(
          "R-WDP-22",
          Level.SHOULD,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §3.1.2",
          "no property-update message for getetag, getlastmodified or sync-token changes");

  /** R-WDP-23, INFO: deleting a resource is a content update, never a property update. */
  public static final Requirement R_WDP_23 =
      add(
          "R-WDP-23",
          Level.INFO,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §3.1.2",
          "deleting a resource is a content update, never a property update");

  /** R-WDP-24, MUST: registration answers 201/204, or 403 with the right precondition. */
  public static final Requirement R_WDP_24 =
      add(
          "R-WDP-24",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.1.3",
          "registration answers 201/204, or 403 with the right precondition");

  /** R-WDP-25, MUST: a new registration's Location is an absolute URL. */
  public static final Requirement R_WDP_25 =
      add(
          "R-WDP-25",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.1.3",
          "a new registration's Location is an absolute URL");

  /** R-WDP-26, MUST: the registration response carries Expires as IMF-fixdate. */
  public static final Requirement R_WDP_26 =
      add(
          "R-WDP-26",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.1.3",
          "the registration response carries Expires as IMF-fixdate");

  /** R-WDP-28, MUST: registering the same push resource again updates the registration. */
  public static final Requirement R_WDP_28 =
      add(
          "R-WDP-28",
          Level.MUST,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.2",
          "registering the same push resource again updates the registration");

  /** R-WDP-30, MUST: DELETE on the registration URL answers 204, then 404. */
  public static final Requirement R_WDP_30 =
      add(
          "R-WDP-30",
          Level.MUST,
          Area.LIFECYCLE,
          "draft-bitfire-webdav-push §3.3",
          "DELETE on the registration URL answers 204, then 404");

  /** R-WDP-31, SHOULD: registrations are allowed to last at least three days. */
  public static final Requirement R_WDP_31 =
      add(
          "R-WDP-31",
          Level.SHOULD,
          Area.REGISTRATION,
          "draft-bitfire-webdav-push §3.4",
          "registrations are allowed to last at least three days");

  /** R-WDP-33, MUST: no message is sent to an expired subscription. */
  public static final Requirement R_WDP_33 =
      add(
          "R-WDP-33",
          Level.MUST,
          Area.LIFECYCLE,
          "draft-bitfire-webdav-push §3.4",
          "no message is sent to an expired subscription");

  /** R-WDP-34, MUST: registered subscriptions are notified of content updates. */
  public static final Requirement R_WDP_34 =
      add(
          "R-WDP-34",
          Level.MUST,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §4",
          "registered subscriptions are notified of content updates");

  /** R-WDP-35, MUST: push-message carries the topic and content-update. */
  public static final Requirement R_WDP_35 =
      add(
          "R-WDP-35",
          Level.MUST,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §4.1",
          "push-message carries the topic and content-update");

  /** R-WDP-36, SHOULD: content-update carries the sync-token after the change. */
  public static final Requirement R_WDP_36 =
      add(
          "R-WDP-36",
          Level.SHOULD,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §4.1",
          "content-update carries the sync-token after the change");

  /** R-WDP-39, MUST: no message to a registration listed in Push-Dont-Notify. */
  public static final Requirement R_WDP_39 =
      add(
          "R-WDP-39",
          Level.MUST,
          Area.SUPPRESSION,
          "draft-bitfire-webdav-push §4.2",
          "no message to a registration listed in Push-Dont-Notify");

  /** R-WDP-42, MUST: invalid Push-Dont-Notify values are ignored, not an error. */
  public static final Requirement R_WDP_42 =
      add(
          "R-WDP-42",
          Level.MUST,
          Area.SUPPRESSION,
          "draft-bitfire-webdav-push §4.2",
          "invalid Push-Dont-Notify values are ignored, not an error");

  /** R-WDP-43, SHOULD: bursts are mitigated without changing the meaning of messages. */
  public static final Requirement R_WDP_43 =
      add(
          "R-WDP-43",
          Level.SHOULD,
          Area.NOTIFICATION,
          "draft-bitfire-webdav-push §4.3",
          "bursts are mitigated without changing the meaning of messages");

  /** R-WDP-45, SHOULD: undeliverable subscriptions are eventually removed. */
  public static final Requirement R_WDP_45 =
      add(
          "R-WDP-45",
          Level.SHOULD,
          Area.LIFECYCLE,
          "draft-bitfire-webdav-push §4.4",
          "undeliverable subscriptions are eventually removed");

  /**
   * R-WDP-46, SHOULD: CalDAV/CardDAV collections and home sets offer content updates with depth 1
   * or more.
   */
  public static final Requirement R_WDP_46 =
      add(
          "R-WDP-46",
          Level.SHOULD,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §5",
          "CalDAV/CardDAV collections and home sets offer content updates with depth 1 or more");

  /** R-WDP-48, MUST: push messages are encrypted (RFC 8291). */
  public static final Requirement R_WDP_48 =
      add(
          "R-WDP-48",
          Level.MUST,
          Area.ENCRYPTION,
          "draft-bitfire-webdav-push §6",
          "push messages are encrypted (RFC 8291)");

  /** R-WDP-49, MUST: transports lists web-push. */
  public static final Requirement R_WDP_49 =
      add(
          "R-WDP-49",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §6",
          "transports lists web-push");

  /** R-WDP-51, MUST: vapid-public-key has type p256ecdsa and is a P-256 point. */
  public static final Requirement R_WDP_51 =
      add(
          "R-WDP-51",
          Level.MUST,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §6.2",
          "vapid-public-key has type p256ecdsa and is a P-256 point");

  /** R-WDP-53, INFO: the VAPID key is the same on every resource of a server. */
  public static final Requirement R_WDP_53 =
      add(
          "R-WDP-53",
          Level.INFO,
          Area.DISCOVERY,
          "draft-bitfire-webdav-push §6.2",
          "the VAPID key is the same on every resource of a server");

  /** R-WDP-54, MUST: with a published VAPID key every push carries a matching Authorization. */
  public static final Requirement R_WDP_54 =
      add(
          "R-WDP-54",
          Level.MUST,
          Area.VAPID,
          "draft-bitfire-webdav-push §6.2",
          "with a published VAPID key every push carries a matching Authorization");

  /**
   * R-WDP-55, SHOULD: before a VAPID key change every distinct subscription gets a key-rotation
   * message.
   */
  public static final Requirement R_WDP_55 =
      add(
          "R-WDP-55",
          Level.SHOULD,
          Area.VAPID,
          "draft-bitfire-webdav-push §6.2.1",
          "before a VAPID key change every distinct subscription gets a key-rotation message");

  /** R-WDP-59, MUST: push requests are POSTs with Content-Type application/xml; charset=UTF-8. */
  public static final Requirement R_WDP_59 =
      add(
          "R-WDP-59",
          Level.MUST,
          Area.PUSH_REQUEST,
          "draft-bitfire-webdav-push §6.4",
          "push requests are POSTs with Content-Type application/xml; charset=UTF-8");

  /** R-WDP-60, MAY: a Topic header, if sent, reveals nothing and does not change meaning. */
  public static final Requirement R_WDP_60 =
      add(
          "R-WDP-60",
          Level.MAY,
          Area.PUSH_REQUEST,
          "draft-bitfire-webdav-push §6.4",
          "a Topic header, if sent, reveals nothing and does not change meaning");

  /** R-WDP-61, MAY: an Urgency header may rank messages. */
  public static final Requirement R_WDP_61 =
      add(
          "R-WDP-61",
          Level.MAY,
          Area.PUSH_REQUEST,
          "draft-bitfire-webdav-push §6.4",
          "an Urgency header may rank messages");

  /** R-WDP-62, MUST: refusals use 401/403; registrations are bound to their user. */
  public static final Requirement R_WDP_62 =
      add(
          "R-WDP-62",
          Level.MUST,
          Area.SECURITY,
          "draft-bitfire-webdav-push §7.1",
          "refusals use 401/403; registrations are bound to their user");

  /** R-WDP-64, MUST: Web Push communication uses HTTPS. */
  public static final Requirement R_WDP_64 =
      add(
          "R-WDP-64",
          Level.MUST,
          Area.SECURITY,
          "draft-bitfire-webdav-push §7.3",
          "Web Push communication uses HTTPS");

  /** R-8030-1, MUST: push requests go over HTTP over TLS. */
  public static final Requirement R_8030_1 =
      add(
          "R-8030-1",
          Level.MUST,
          Area.SECURITY,
          "RFC 8030 §3, §8",
          "push requests go over HTTP over TLS, never plain HTTP");

  /** R-8030-4, MUST: every push request carries TTL. */
  public static final Requirement R_8030_4 =
      add(
          "R-8030-4",
          Level.MUST,
          Area.PUSH_REQUEST,
          "RFC 8030 §5.2",
          "every push request carries TTL");

  /** R-8030-5, MUST: Urgency, if sent, is one valid value. */
  public static final Requirement R_8030_5 =
      add(
          "R-8030-5",
          Level.MUST,
          Area.PUSH_REQUEST,
          "RFC 8030 §5.3",
          "Urgency, if sent, is one valid value");

  /** R-8030-6, MUST: Topic, if sent, is at most 32 base64url characters. */
  public static final Requirement R_8030_6 =
      add(
          "R-8030-6",
          Level.MUST,
          Area.PUSH_REQUEST,
          "RFC 8030 §5.4",
          "Topic, if sent, is at most 32 base64url characters");

  /** R-8030-7, MAY: push message bodies fit in 4096 bytes. */
  public static final Requirement R_8030_7 =
      add(
          "R-8030-7",
          Level.MAY,
          Area.PUSH_REQUEST,
          "RFC 8030 §7.2",
          "push message bodies fit in 4096 bytes");

  /** R-8291-2, MUST: a fresh application server key per message. */
  public static final Requirement R_8291_2 =
      add(
          "R-8291-2",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8291 §3.1",
          "a fresh application server key per message");

  /** R-8291-6, MUST: exactly one record; rs larger than the record. */
  public static final Requirement R_8291_6 =
      add(
          "R-8291-6",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8291 §4",
          "exactly one record; rs larger than the record");

  /** R-8291-7, MUST: keyid is the 65-byte application server public key. */
  public static final Requirement R_8291_7 =
      add(
          "R-8291-7",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8291 §4",
          "keyid is the 65-byte application server public key");

  /** R-8291-9, MUST: Content-Encoding is exactly aes128gcm. */
  public static final Requirement R_8291_9 =
      add(
          "R-8291-9",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8291 §4",
          "Content-Encoding is exactly aes128gcm");

  /** R-8188-8, MUST: a unique salt for every message. */
  public static final Requirement R_8188_8 =
      add(
          "R-8188-8",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8188 §4.3",
          "a unique salt for every message");

  /**
   * R-8030-10, MUST: push messages have end-to-end confidentiality, integrity and origin
   * authentication.
   */
  public static final Requirement R_8030_10 =
      add(
          "R-8030-10",
          Level.MUST,
          Area.ENCRYPTION,
          "RFC 8030 §8.1",
          "end-to-end confidentiality, integrity and origin authentication (RFC 8291, RFC 8292)");

  /** R-8292-2, MUST: VAPID aud is the push resource's origin; exp within 24 hours. */
  public static final Requirement R_8292_2 =
      add(
          "R-8292-2",
          Level.MUST,
          Area.VAPID,
          "RFC 8292 §2",
          "VAPID aud is the push resource's origin; exp within 24 hours");

  /** R-8292-3, MUST: VAPID tokens are ES256 with a 64-byte R||S signature. */
  public static final Requirement R_8292_3 =
      add(
          "R-8292-3",
          Level.MUST,
          Area.VAPID,
          "RFC 8292 §2",
          "VAPID tokens are ES256 with a 64-byte R||S signature");

  /** R-8292-5, SHOULD: VAPID sub is a mailto: or https: contact. */
  public static final Requirement R_8292_5 =
      add(
          "R-8292-5",
          Level.SHOULD,
          Area.VAPID,
          "RFC 8292 §2.1",
          "VAPID sub is a mailto: or https: contact");

  /** R-8292-10, MUST: the VAPID key differs from the message ECDH key. */
  public static final Requirement R_8292_10 =
      add(
          "R-8292-10",
          Level.MUST,
          Area.VAPID,
          "RFC 8292 §3.2",
          "the VAPID key differs from the message ECDH key");

  /**
   * R-8292-12, MUST: requests to a restricted subscription carry a token signed by the matching
   * private key.
   */
  public static final Requirement R_8292_12 =
      add(
          "R-8292-12",
          Level.MUST,
          Area.VAPID,
          "RFC 8292 §4.2",
          "requests to a restricted subscription carry a token signed with its key");

  /** BP-1, SHOULD: a 429 with Retry-After is retried, and not before the time it names. */
  public static final Requirement BP_1 =
      add(
          "BP-1",
          Level.SHOULD,
          Area.PUSH_SERVICE,
          BEST_PRACTICE + "(RFC 8030 §8.4, RFC 9110 §10.2.3)",
          "a 429 with Retry-After is retried, not before the time it names");

  /** BP-2, SHOULD: a push request answered 5xx is retried. */
  public static final Requirement BP_2 =
      add(
          "BP-2",
          Level.SHOULD,
          Area.PUSH_SERVICE,
          BEST_PRACTICE + "(RFC 9110 §15.6)",
          "a push request answered 5xx is retried");

  /** BP-3, SHOULD: the DAV request is not held while the push service hangs. */
  public static final Requirement BP_3 =
      add(
          "BP-3",
          Level.SHOULD,
          Area.PUSH_SERVICE,
          BEST_PRACTICE + "(draft §4.3: asynchronous sending)",
          "a write answers promptly while the push service hangs, and others are still notified");

  /**
   * BP-4, SHOULD: a push request answered 413 is not repeated unchanged, and the registration keeps
   * working.
   */
  public static final Requirement BP_4 =
      add(
          "BP-4",
          Level.SHOULD,
          Area.PUSH_SERVICE,
          BEST_PRACTICE + "(RFC 8030 §7.2, RFC 8291 §4: 4096 octets; digest A-16)",
          "a 413 is not repeated unchanged, and the registration keeps working");

  // --- client interop: not requirements; level INTEROP, never a run failure ---

  /**
   * CI-1, INTEROP: a push-register without trigger and content-encoding, as DAVx⁵ up to 4.5.19
   * sends it, is accepted and notified.
   */
  public static final Requirement CI_1 =
      add(
          "CI-1",
          Level.INTEROP,
          Area.CLIENT_INTEROP,
          CLIENT_INTEROP + "draft §3.1 (trigger), §6.3 (content-encoding); digest C-WDP-10",
          "DAVx⁵ up to 4.5.19: push-register without trigger and content-encoding is accepted"
              + " and notified");

  /**
   * CI-2, INTEROP: a content-update with {@code DAV:sync-level} (early-2025 drafts, dav4jvm) is
   * accepted and notified.
   */
  public static final Requirement CI_2 =
      add(
          "CI-2",
          Level.INTEROP,
          Area.CLIENT_INTEROP,
          CLIENT_INTEROP + "digest §1.7 (2025-02-22 to 2025-03-10), A-11, C-WDP-27",
          "drafts of 2025-02-22 to 2025-03-09 and dav4jvm: content-update with DAV:sync-level is"
              + " accepted and notified");

  /**
   * CI-3, INTEROP: a trigger depth spelled {@code infinite} (early-2025 drafts, RFC 6578) is
   * accepted and notified.
   */
  public static final Requirement CI_3 =
      add(
          "CI-3",
          Level.INTEROP,
          Area.CLIENT_INTEROP,
          CLIENT_INTEROP + "digest §1.7 (2025-02-22 to 2025-04-28), A-11, C-WDP-27",
          "drafts of 2025-02-22 to 2025-04-27 and dav4jvm: depth infinite (not infinity) is"
              + " accepted and notified");

  /**
   * CI-4, INTEROP: a push-register in the {@code DAV:Push} namespace (drafts before 2024-11-13) is
   * accepted and notified.
   */
  public static final Requirement CI_4 =
      add(
          "CI-4",
          Level.INTEROP,
          Area.CLIENT_INTEROP,
          CLIENT_INTEROP + "digest §1.7 (before 2024-11-13), C-WDP-27",
          "drafts before 2024-11-13: push-register in the DAV:Push namespace is accepted and"
              + " notified");

  private RequirementCatalogue() {}

  private static Requirement add(
      String id, Level level, Area area, String section, String summary) {
    Requirement r = new Requirement(id, level, area, section, summary);
    if (ALL.putIfAbsent(id, r) != null) {
      throw new IllegalStateException("duplicate requirement " + id);
    }
    return r;
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
   * The requirements of one area, in digest order.
   *
   * @param area the area
   * @return an unmodifiable list
   */
  public static List<Requirement> inArea(Area area) {
    requireNonNull(area, "area");
    List<Requirement> out = new ArrayList<>();
    for (Requirement r : ALL.values()) {
      if (r.area() == area) {
        out.add(r);
      }
    }
    return Collections.unmodifiableList(out);
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
