package dev.davpush.testkit.junit;

/**
 * The rules of {@link PushServerConformanceKit}, one interface per {@link
 * dev.davpush.testkit.Area}, one method per catalogued requirement of that area: the method {@code
 * r_wdp_25} checks {@code R-WDP-25}. Each {@code @Nested} class of the kit implements its area's
 * interface, so the compiler sees that every catalogued requirement has a test; a test of the kit
 * checks that these interfaces and the catalogue agree.
 */
public interface ServerRules {
  /** The rules of {@link dev.davpush.testkit.Area#DISCOVERY}. */
  interface Discovery {
    /** R-WDP-2 (SHOULD): the server supports the Web Push transport. */
    void r_wdp_2();

    /** R-WDP-4 (MUST): OPTIONS on a push-capable resource lists webdav-push in DAV. */
    void r_wdp_4();

    /** R-WDP-5 (MUST): push-capable resources have transports, topic, supported-triggers. */
    void r_wdp_5();

    /** R-WDP-6 (MUST): no topic or supported-triggers on resources without push. */
    void r_wdp_6();

    /** R-WDP-8 (INFO): topic is stable and unique server-wide. */
    void r_wdp_8();

    /**
     * R-WDP-9 (MUST): supported-triggers has content-update and/or property-update, each with a
     * depth.
     */
    void r_wdp_9();

    /** R-WDP-18 (SHOULD): collections support content updates with depth 1 or more. */
    void r_wdp_18();

    /**
     * R-WDP-46 (SHOULD): CalDAV/CardDAV collections and home sets offer content updates with depth
     * 1 or more.
     */
    void r_wdp_46();

    /** R-WDP-49 (MUST): transports lists web-push. */
    void r_wdp_49();

    /** R-WDP-51 (MUST): vapid-public-key has type p256ecdsa and is a P-256 point. */
    void r_wdp_51();

    /** R-WDP-53 (INFO): the VAPID key is the same on every resource of a server. */
    void r_wdp_53();
  }

  /** The rules of {@link dev.davpush.testkit.Area#REGISTRATION}. */
  interface Registration {
    /** R-WDP-19 (MUST): an unsupported depth is downgraded, not refused. */
    void r_wdp_19();

    /** R-WDP-21 (MUST): unsupported properties listed in property-update are ignored. */
    void r_wdp_21();

    /** R-WDP-24 (MUST): registration answers 201/204, or 403 with the right precondition. */
    void r_wdp_24();

    /** R-WDP-25 (MUST): a new registration's Location is an absolute URL. */
    void r_wdp_25();

    /** R-WDP-26 (MUST): the registration response carries Expires as IMF-fixdate. */
    void r_wdp_26();

    /** R-WDP-28 (MUST): registering the same push resource again updates the registration. */
    void r_wdp_28();

    /** R-WDP-31 (SHOULD): registrations are allowed to last at least three days. */
    void r_wdp_31();
  }

  /** The rules of {@link dev.davpush.testkit.Area#NOTIFICATION}. */
  interface Notification {
    /** R-WDP-17 (MAY): changes of a collection's own GET body may be ignored. */
    void r_wdp_17();

    /**
     * R-WDP-22 (SHOULD): no property-update message for getetag, getlastmodified or sync-token
     * changes.
     */
    void r_wdp_22();

    /** R-WDP-23 (INFO): deleting a resource is a content update, never a property update. */
    void r_wdp_23();

    /** R-WDP-34 (MUST): registered subscriptions are notified of content updates. */
    void r_wdp_34();

    /** R-WDP-35 (MUST): push-message carries the topic and content-update. */
    void r_wdp_35();

    /** R-WDP-36 (SHOULD): content-update carries the sync-token after the change. */
    void r_wdp_36();

    /** R-WDP-43 (SHOULD): bursts are mitigated without changing the meaning of messages. */
    void r_wdp_43();
  }

  /** The rules of {@link dev.davpush.testkit.Area#SUPPRESSION}. */
  interface Suppression {
    /** R-WDP-39 (MUST): no message to a registration listed in Push-Dont-Notify. */
    void r_wdp_39();

    /** R-WDP-42 (MUST): invalid Push-Dont-Notify values are ignored, not an error. */
    void r_wdp_42();
  }

  /** The rules of {@link dev.davpush.testkit.Area#LIFECYCLE}. */
  interface Lifecycle {
    /** R-WDP-30 (MUST): DELETE on the registration URL answers 204, then 404. */
    void r_wdp_30();

    /** R-WDP-33 (MUST): no message is sent to an expired subscription. */
    void r_wdp_33();

    /** R-WDP-45 (SHOULD): undeliverable subscriptions are eventually removed. */
    void r_wdp_45();
  }

  /** The rules of {@link dev.davpush.testkit.Area#PUSH_REQUEST}. */
  interface PushRequest {
    /**
     * R-WDP-59 (MUST): push requests are POSTs with Content-Type application/xml; charset=UTF-8.
     */
    void r_wdp_59();

    /** R-WDP-60 (MAY): a Topic header, if sent, reveals nothing and does not change meaning. */
    void r_wdp_60();

    /** R-WDP-61 (MAY): an Urgency header may rank messages. */
    void r_wdp_61();

    /** R-8030-4 (MUST): every push request carries TTL. */
    void r_8030_4();

    /** R-8030-5 (MUST): Urgency, if sent, is one valid value. */
    void r_8030_5();

    /** R-8030-6 (MUST): Topic, if sent, is at most 32 base64url characters. */
    void r_8030_6();

    /** R-8030-7 (MAY): push message bodies fit in 4096 bytes. */
    void r_8030_7();
  }

  /** The rules of {@link dev.davpush.testkit.Area#ENCRYPTION}. */
  interface Encryption {
    /** R-WDP-48 (MUST): push messages are encrypted (RFC 8291). */
    void r_wdp_48();

    /** R-8291-2 (MUST): a fresh application server key per message. */
    void r_8291_2();

    /** R-8291-6 (MUST): exactly one record; rs larger than the record. */
    void r_8291_6();

    /** R-8291-7 (MUST): keyid is the 65-byte application server public key. */
    void r_8291_7();

    /** R-8291-9 (MUST): Content-Encoding is exactly aes128gcm. */
    void r_8291_9();

    /** R-8188-8 (MUST): a unique salt for every message. */
    void r_8188_8();

    /** R-8030-10 (MUST): end-to-end confidentiality, integrity and origin authentication. */
    void r_8030_10();
  }

  /** The rules of {@link dev.davpush.testkit.Area#VAPID}. */
  interface Vapid {
    /** R-WDP-54 (MUST): with a published VAPID key every push carries a matching Authorization. */
    void r_wdp_54();

    /**
     * R-WDP-55 (SHOULD): before a VAPID key change every distinct subscription gets a key-rotation
     * message.
     */
    void r_wdp_55();

    /** R-8292-2 (MUST): VAPID aud is the push resource's origin; exp within 24 hours. */
    void r_8292_2();

    /** R-8292-3 (MUST): VAPID tokens are ES256 with a 64-byte R||S signature. */
    void r_8292_3();

    /** R-8292-5 (SHOULD): VAPID sub is a mailto: or https: contact. */
    void r_8292_5();

    /** R-8292-10 (MUST): the VAPID key differs from the message ECDH key. */
    void r_8292_10();

    /**
     * R-8292-12 (MUST): requests to a restricted subscription carry a token signed with its key.
     */
    void r_8292_12();
  }

  /** The rules of {@link dev.davpush.testkit.Area#SECURITY}. */
  interface Security {
    /** R-WDP-62 (MUST): refusals use 401/403; registrations are bound to their user. */
    void r_wdp_62();

    /** R-WDP-64 (MUST): Web Push communication uses HTTPS. */
    void r_wdp_64();

    /** R-8030-1 (MUST): push requests go over HTTP over TLS, never plain HTTP. */
    void r_8030_1();
  }

  /** The rules of {@link dev.davpush.testkit.Area#PUSH_SERVICE}. */
  interface PushService {
    /** BP-1 (SHOULD): a 429 with Retry-After is retried, not before the time it names. */
    void bp_1();

    /** BP-2 (SHOULD): a push request answered 5xx is retried. */
    void bp_2();

    /** BP-3 (SHOULD): a write answers promptly while the push service hangs. */
    void bp_3();

    /** BP-4 (SHOULD): a 413 is not repeated unchanged, and the registration keeps working. */
    void bp_4();
  }

  /**
   * The findings of {@link dev.davpush.testkit.Area#CLIENT_INTEROP}: level INTEROP, never a test
   * failure; a refusal aborts the test with the clients it affects.
   */
  interface ClientInterop {
    /** CI-1 (INTEROP): DAVx⁵ up to 4.5.19, no trigger and no content-encoding. */
    void ci_1();

    /** CI-2 (INTEROP): content-update with DAV:sync-level. */
    void ci_2();

    /** CI-3 (INTEROP): depth infinite. */
    void ci_3();

    /** CI-4 (INTEROP): push-register in the DAV:Push namespace. */
    void ci_4();
  }
}
