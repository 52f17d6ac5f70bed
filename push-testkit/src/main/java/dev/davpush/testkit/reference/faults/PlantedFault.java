package dev.davpush.testkit.reference.faults;

import static dev.davpush.testkit.reference.faults.Decorators.changeCause;
import static dev.davpush.testkit.reference.faults.Decorators.encoder;
import static dev.davpush.testkit.reference.faults.Decorators.engine;
import static dev.davpush.testkit.reference.faults.Decorators.extensions;
import static dev.davpush.testkit.reference.faults.Decorators.http;
import static dev.davpush.testkit.reference.faults.Decorators.property;
import static dev.davpush.testkit.reference.faults.Decorators.reply;
import static dev.davpush.testkit.reference.faults.Decorators.resources;
import static dev.davpush.testkit.reference.faults.Decorators.store;
import static dev.davpush.testkit.reference.faults.Decorators.transport;

import dev.davpush.Base64Url;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Trigger;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.testkit.reference.DavReply;
import dev.davpush.testkit.reference.DavRequest;
import dev.davpush.testkit.reference.ServerDecorator;
import dev.davpush.testkit.reference.WebDavServer;
import dev.davpush.testkit.reference.faults.FaultyWebPushTransport.Deviation;
import dev.davpush.xml.ErrorWriter;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushPropertyWriter;
import dev.davpush.xml.PushRegisterReader;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * Deliberate faults of the reference server, each breaking exactly one requirement of the catalogue
 * ({@link #requirement()}), each a {@link ServerDecorator} that wraps one part of the known-good
 * server from outside: its HTTP answers, the push bridge's seams, the store, the engine's view of
 * the resources, the push-message encoder, the engine's settings, or the transport (a {@link
 * FaultyWebPushTransport} that builds the push request itself with one deviation). The kit's
 * self-test runs the kit against the server with each fault and expects exactly that requirement to
 * fail.
 *
 * <p>Use: {@code ReferenceServer.builder().fault(PlantedFault.NO_TTL).start()}.
 *
 * <p>Thread safety: immutable; {@link #decorator()} returns a fresh decorator per server, since
 * some faults keep state (for example which registration URLs were already deleted).
 */
public enum PlantedFault {
  // --- discovery ---

  /** Leaves {@code webdav-push} out of the {@code DAV} header of push-capable resources. */
  NO_COMPLIANCE_CLASS(
      "R-WDP-4",
      "the DAV header lacks webdav-push",
      () -> extensions((ext, ctx) -> ext.withDavTokens((path, collection) -> List.of()))),
  /** Spells the compliance class {@code webdav_push}. */
  COMPLIANCE_CLASS_MISSPELLED(
      "R-WDP-4",
      "the DAV header says webdav_push",
      () ->
          reply(
              "OPTIONS", r -> Decorators.davToken(r, WebDavPush.COMPLIANCE_CLASS, "webdav_push"))),
  /** Answers {@code topic} with 404 on push-capable collections. */
  TOPIC_MISSING(
      "R-WDP-5",
      "PROPFIND has no topic on a push-capable collection",
      () -> property(WebDavPush.TOPIC, (w, path, principal, original, ctx) -> false)),
  /** Shows the parent collection's {@code topic} on members. */
  TOPIC_ON_MEMBERS(
      "R-WDP-6", "members (not push-capable) show a topic", () -> onMembersToo(WebDavPush.TOPIC)),
  /** Shows the parent collection's {@code supported-triggers} on members. */
  TRIGGERS_ON_MEMBERS(
      "R-WDP-6",
      "members (not push-capable) show supported-triggers",
      () -> onMembersToo(WebDavPush.SUPPORTED_TRIGGERS)),
  /** {@code supported-triggers} names a content update of depth {@code 2}. */
  TRIGGER_DEPTH_NOT_UNDERSTOOD(
      "R-WDP-9",
      "supported-triggers: content-update with depth 2, no understood trigger",
      () ->
          property(
              WebDavPush.SUPPORTED_TRIGGERS,
              (w, path, principal, original, ctx) ->
                  path.endsWith("/") && rawTriggers(w, "content-update", "2"))),
  /** An empty {@code supported-triggers}. */
  EMPTY_SUPPORTED_TRIGGERS(
      "R-WDP-9",
      "supported-triggers without any trigger",
      () ->
          property(
              WebDavPush.SUPPORTED_TRIGGERS,
              (w, path, principal, original, ctx) ->
                  path.endsWith("/") && rawTriggers(w, null, ""))),
  /** Advertises content updates at depth 0 only (the engine still serves depth 1). */
  CONTENT_DEPTH_ZERO(
      "R-WDP-18",
      "supported-triggers advertises content-update depth 0",
      () -> advertise(SupportedTriggers.of(Depth.ZERO, Depth.ZERO))),
  /** Advertises property updates only. */
  NO_CONTENT_UPDATE(
      "R-WDP-18",
      "supported-triggers advertises no content-update",
      () -> advertise(SupportedTriggers.of(null, Depth.ZERO))),
  /** An empty {@code transports}. */
  NO_WEB_PUSH_TRANSPORT(
      "R-WDP-49",
      "transports lists no transport",
      () ->
          property(
              WebDavPush.TRANSPORTS,
              (w, path, principal, original, ctx) -> path.endsWith("/") && rawTransports(w, ""))),
  /** {@code transports} lists only a transport of another namespace. */
  ONLY_FOREIGN_TRANSPORT(
      "R-WDP-49",
      "transports lists only an unknown transport",
      () ->
          property(
              WebDavPush.TRANSPORTS,
              (w, path, principal, original, ctx) ->
                  path.endsWith("/") && rawTransports(w, "foreign"))),
  /** A {@code vapid-public-key} that is not on the P-256 curve. */
  VAPID_KEY_OFF_CURVE(
      "R-WDP-51",
      "vapid-public-key is not a point on P-256",
      () -> property(WebDavPush.TRANSPORTS, vapidKeyElement("p256ecdsa", true))),
  /** A {@code vapid-public-key} that is not base64url. */
  VAPID_KEY_NOT_BASE64URL(
      "R-WDP-51",
      "vapid-public-key is not base64url",
      () -> property(WebDavPush.TRANSPORTS, vapidKeyElement("p256ecdsa", null))),
  /** {@code vapid-public-key type="p256dh"}. */
  VAPID_KEY_WRONG_TYPE(
      "R-WDP-51",
      "vapid-public-key has type p256dh instead of p256ecdsa",
      () -> property(WebDavPush.TRANSPORTS, vapidKeyElement("p256dh", false))),

  // --- registration ---

  /** Answers a new registration {@code 200 OK}. */
  REGISTER_ANSWERS_200(
      "R-WDP-24",
      "a successful push-register is answered 200 instead of 201/204",
      () -> reply("POST", r -> r.status() == 204 ? r.withStatus(200) : r)),
  /** Refuses an invalid subscription with a bare 403, without the precondition element. */
  REFUSAL_WITHOUT_PRECONDITION(
      "R-WDP-24",
      "a refused push-register is a 403 without the precondition body",
      () -> reply("POST", r -> r.status() == 403 ? DavReply.text(403, "refused") : r)),
  /** Refuses an invalid subscription with {@code 400}. */
  REFUSAL_AS_400(
      "R-WDP-24",
      "an invalid subscription is refused with 400 instead of 403 invalid-subscription",
      () -> reply("POST", r -> r.status() == 403 ? DavReply.text(400, "bad subscription") : r)),
  /** Refuses an invalid subscription naming the wrong precondition. */
  WRONG_PRECONDITION(
      "R-WDP-24",
      "an invalid subscription is refused as no-supported-trigger",
      () ->
          reply(
              "POST",
              r ->
                  r.status() == 403
                      ? r.withBody(ErrorWriter.write(Precondition.NO_SUPPORTED_TRIGGER))
                      : r)),
  /** Answers registrations with a path-only {@code Location}. */
  RELATIVE_LOCATION(
      "R-WDP-25",
      "the registration's Location is relative",
      () -> reply("POST", PlantedFault::relativeLocation)),
  /** Answers registrations without {@code Location}. */
  NO_LOCATION(
      "R-WDP-25",
      "the registration answer has no Location",
      () -> reply("POST", r -> r.withHeader("Location", List.of()))),
  /** Answers registrations without {@code Expires}. */
  NO_EXPIRES(
      "R-WDP-26",
      "the registration answer has no Expires",
      () -> reply("POST", r -> r.withHeader("Expires", List.of()))),
  /** Gives {@code Expires} in the obsolete RFC 850 form. */
  EXPIRES_RFC_850(
      "R-WDP-26",
      "Expires in the obsolete RFC 850 form, not IMF-fixdate",
      () -> reply("POST", PlantedFault::rfc850Expires)),
  /** Grants registrations one day at most. */
  SHORT_EXPIRY(
      "R-WDP-31",
      "registrations last one day at most",
      () -> engine(b -> b.defaultExpiry(Duration.ofDays(1)).maximumExpiry(Duration.ofDays(1)))),
  /** Refuses content updates of depth infinity instead of downgrading them. */
  REFUSE_DEPTH_INFINITY(
      "R-WDP-19",
      "a trigger of depth infinity is refused (403 no-supported-trigger), not downgraded",
      () ->
          extensions(
              (ext, ctx) -> ext.withPost(r -> refuseInfinity(r).or(() -> ext.post().post(r))))),
  /** Answers an update of a registration with another {@code Location}. */
  UPDATE_ANSWERS_NEW_LOCATION(
      "R-WDP-28",
      "registering the same push resource again answers a new Location that names nothing",
      PlantedFault::newLocationOnUpdate),
  /** Replaces a registration on re-registration: new URL, the old one gone. */
  UPDATE_REPLACES_REGISTRATION(
      "R-WDP-28",
      "registering the same push resource again creates a new registration and drops the old",
      () -> store(ReplacingStore::new)),
  /** Answers a successful unregistration {@code 200}. */
  UNREGISTER_ANSWERS_200(
      "R-WDP-30",
      "DELETE of a registration answers 200 instead of 204",
      () -> reply("DELETE", r -> r.status() == 204 ? r.withStatus(200) : r)),
  /** Answers a second DELETE of the same registration {@code 204} again. */
  UNREGISTER_TWICE_204(
      "R-WDP-30",
      "a second DELETE of a registration answers 204 instead of 404",
      PlantedFault::deleteTwice),
  /** The owner's first DELETE answers 204 but keeps the registration. */
  UNREGISTER_KEEPS_REGISTRATION(
      "R-WDP-30",
      "DELETE of an own registration answers 204 and keeps it",
      () ->
          extensions(
              (ext, ctx) ->
                  ext.withDelete(
                      r ->
                          Decorators.owner(ctx, r.uri())
                                  .filter(o -> o.equals(r.principal()))
                                  .isPresent()
                              ? Optional.of(DavReply.empty(204))
                              : ext.delete().delete(r)))),

  // --- delivery ---

  /** Never publishes changes. */
  NEVER_PUSH(
      "R-WDP-34",
      "changes are never published, so no push message is sent",
      () -> extensions((ext, ctx) -> ext.withChanges(Decorators.silent()))),
  /** The transport reports messages delivered without sending them. */
  SWALLOW_MESSAGES(
      "R-WDP-34",
      "the transport reports success without sending",
      () -> transport(Deviation.SWALLOW_MESSAGES)),
  /** Puts a random topic into push messages. */
  WRONG_TOPIC_IN_MESSAGE(
      "R-WDP-35",
      "push-message names another topic than PROPFIND",
      () ->
          encoder(
              e ->
                  m ->
                      e.encode(
                          m.topic().isPresent()
                              ? m.toBuilder().topic(Decorators.otherTopic()).build()
                              : m))),
  /** Sends a JSON body instead of a push-message document. */
  MESSAGE_NOT_XML(
      "R-WDP-35",
      "the payload is JSON, not a push-message",
      () ->
          encoder(
              e ->
                  m ->
                      m.topic().isEmpty()
                          ? e.encode(m)
                          : ("{\"topic\":\"" + m.topic().get().value() + "\"}")
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8))),
  /** Leaves the sync-token out of content updates. */
  NO_SYNC_TOKEN_IN_MESSAGE(
      "R-WDP-36",
      "content-update without sync-token",
      () ->
          encoder(
              e ->
                  m ->
                      e.encode(
                          m.contentUpdate().isPresent()
                              ? m.toBuilder()
                                  .contentUpdate(new PushMessage.ContentUpdate(null))
                                  .build()
                              : m))),
  /** Sends the parent collection's sync-token. */
  SYNC_TOKEN_OF_PARENT(
      "R-WDP-36",
      "content-update carries the parent collection's sync-token",
      () -> resources(ParentSyncToken::new)),
  /** Ignores {@code Push-Dont-Notify}. */
  IGNORE_DONT_NOTIFY(
      "R-WDP-39",
      "Push-Dont-Notify is ignored",
      () -> changeCause((r, ctx) -> r.withHeader(PushDontNotify.HEADER, List.of()))),
  /** Treats an unparseable {@code Push-Dont-Notify} as {@code *}. */
  INVALID_DONT_NOTIFY_SUPPRESSES(
      "R-WDP-42",
      "an invalid Push-Dont-Notify suppresses every message of the user",
      () -> changeCause((r, ctx) -> invalidMeansAll(r))),
  /** Refuses a write with an unparseable {@code Push-Dont-Notify} with {@code 400}. */
  INVALID_DONT_NOTIFY_IS_ERROR(
      "R-WDP-42",
      "an invalid Push-Dont-Notify makes the write fail with 400",
      () ->
          http(
              (h, ctx) ->
                  r ->
                      !r.headers(PushDontNotify.HEADER).isEmpty()
                              && Decorators.dontNotify(r).isEmpty()
                              && !PushDontNotify.parse(r.headers(PushDontNotify.HEADER)).all()
                          ? DavReply.text(400, "malformed Push-Dont-Notify")
                          : h.handle(r))),
  /** Keeps registrations whose push resource answered 404/410. */
  KEEP_GONE_SUBSCRIPTIONS(
      "R-WDP-45",
      "registrations of a gone push resource are kept",
      () -> store(KeepGoneStore::new)),
  /** The transport reads a 404/410 as delivered. */
  TRANSPORT_IGNORES_GONE(
      "R-WDP-45",
      "the transport reads 410 Gone as delivered",
      () -> transport(Deviation.IGNORE_GONE)),
  /** Keeps sending to registrations whose expiry has passed. */
  SEND_TO_EXPIRED(
      "R-WDP-33",
      "expired registrations are still notified",
      () -> store(ExpiryIgnoringStore::new)),
  /** Switches the VAPID key without sending the key-rotation message. */
  NO_KEY_ROTATION_MESSAGE(
      "R-WDP-55",
      "the VAPID key changes without a key-rotation message",
      () -> transport(Deviation.SWALLOW_KEY_ROTATION)),
  /** Refuses a property-update trigger that names a property it does not know. */
  REFUSE_UNKNOWN_PROPERTY(
      "R-WDP-21",
      "a property-update trigger naming an unknown property is refused (403), not ignored",
      () ->
          extensions(
              (ext, ctx) ->
                  ext.withPost(r -> refuseUnknownProperty(r).or(() -> ext.post().post(r))))),
  /** Also announces every member change as a property update of its collection. */
  CONTENT_CHANGE_AS_PROPERTY_UPDATE(
      "R-WDP-22",
      "a member change also sends a property update (displayname) of the collection",
      () ->
          extensions(
              (ext, ctx) ->
                  ext.withChanges(
                      (c, r) -> {
                        ext.changes().changed(c, r);
                        if (c.isContentUpdate() && !c.collection() && !c.deleted()) {
                          ext.changes().changed(displayNameChange(c.path()), r);
                        }
                      }))),
  /** Announces a deleted member as a property update of its collection. */
  DELETE_AS_PROPERTY_UPDATE(
      "R-WDP-23",
      "deleting a member sends a property update of the collection instead of a content update",
      () ->
          extensions(
              (ext, ctx) ->
                  ext.withChanges(
                      (c, r) ->
                          ext.changes()
                              .changed(
                                  c.deleted() && !c.collection() ? displayNameChange(c.path()) : c,
                                  r)))),
  /** Sends two messages per change, without coalescing. */
  NO_BURST_MITIGATION(
      "R-WDP-43",
      "no coalescing, and every change is published twice: a burst sends more messages than"
          + " changes",
      PlantedFault::noBurstMitigation),
  /** Sends one message per change, without coalescing. */
  NO_COALESCING(
      "R-WDP-43",
      "no coalescing: a burst of changes sends one message per change",
      () -> engine(b -> b.coalescingWindow(Duration.ZERO).maximumCoalescingWindow(Duration.ZERO))),
  /** Advertises another VAPID key on the home collections. */
  VAPID_KEY_DIFFERS_BETWEEN_RESOURCES(
      "R-WDP-53",
      "the home collections (/dav/*/) advertise another VAPID key than the rest",
      PlantedFault::otherKeyOnHomes),
  /** Shows a new topic after the first change. */
  TOPIC_CHANGES(
      "R-WDP-8",
      "PROPFIND shows another topic after a member change",
      PlantedFault::topicChangesAfterAChange),

  // --- the push request ---

  /** No {@code TTL}. */
  NO_TTL("R-8030-4", "no TTL header", () -> transport(Deviation.NO_TTL)),
  /** {@code TTL} with a unit. */
  TTL_NOT_DIGITS("R-8030-4", "TTL: 86400s", () -> transport(Deviation.TTL_NOT_DIGITS)),
  /** An unknown {@code Urgency}. */
  BAD_URGENCY("R-8030-5", "Urgency: urgent", () -> transport(Deviation.BAD_URGENCY)),
  /** Two {@code Urgency} lines. */
  TWO_URGENCIES("R-8030-5", "two Urgency header lines", () -> transport(Deviation.TWO_URGENCIES)),
  /** A 33-character {@code Topic}. */
  LONG_TOPIC("R-8030-6", "a Topic of 33 characters", () -> transport(Deviation.LONG_TOPIC)),
  /** A {@code Topic} outside base64url. */
  TOPIC_NOT_BASE64URL("R-8030-6", "Topic: a+b/c=", () -> transport(Deviation.TOPIC_NOT_BASE64URL)),
  /** A body over 4096 bytes. */
  BODY_OVER_4096(
      "R-8030-7", "a push body over 4096 bytes", () -> transport(Deviation.BODY_OVER_4096)),
  /** {@code Content-Type: text/plain}. */
  WRONG_CONTENT_TYPE(
      "R-WDP-59", "Content-Type: text/plain", () -> transport(Deviation.WRONG_CONTENT_TYPE)),
  /** No {@code Content-Type}. */
  NO_CONTENT_TYPE("R-WDP-59", "no Content-Type", () -> transport(Deviation.NO_CONTENT_TYPE)),
  /** Encrypted for a random auth secret. */
  WRONG_AUTH_SECRET(
      "R-WDP-48",
      "the body is encrypted with a wrong auth secret",
      () -> transport(Deviation.WRONG_AUTH_SECRET)),
  /** The ciphertext is corrupted. */
  CORRUPT_CIPHERTEXT(
      "R-WDP-48",
      "the body's authentication tag does not verify",
      () -> transport(Deviation.CORRUPT_CIPHERTEXT)),
  /** One ECDH key for all messages. */
  REUSED_ECDH_KEY(
      "R-8291-2",
      "every message uses the same application server key",
      () -> transport(Deviation.REUSED_ECDH_KEY)),
  /** One salt for all messages. */
  REUSED_SALT(
      "R-8188-8", "every message uses the same salt", () -> transport(Deviation.REUSED_SALT)),
  /** Two records. */
  TWO_RECORDS("R-8291-6", "the body has two records", () -> transport(Deviation.TWO_RECORDS)),
  /** A keyid that is no point. */
  KEYID_NOT_A_POINT(
      "R-8291-7",
      "the keyid is 65 bytes but not a P-256 point",
      () -> transport(Deviation.KEYID_NOT_A_POINT)),
  /** {@code Content-Encoding: aesgcm}. */
  CONTENT_ENCODING_AESGCM(
      "R-8291-9",
      "Content-Encoding: aesgcm on an aes128gcm body",
      () -> transport(Deviation.CONTENT_ENCODING_AESGCM)),
  /** No {@code Authorization}. */
  NO_AUTHORIZATION(
      "R-WDP-54",
      "no Authorization although a VAPID key is published",
      () -> transport(Deviation.NO_AUTHORIZATION)),
  /** Signed with an unpublished key. */
  SIGNED_WITH_ANOTHER_KEY(
      "R-WDP-54",
      "VAPID signed with a key other than the published one",
      () -> transport(Deviation.SIGNED_WITH_ANOTHER_KEY)),
  /** {@code aud} of another origin. */
  WRONG_AUDIENCE(
      "R-8292-2", "VAPID aud is another origin", () -> transport(Deviation.WRONG_AUDIENCE)),
  /** {@code exp} 25 hours ahead. */
  EXPIRY_TOO_FAR("R-8292-2", "VAPID exp 25 hours ahead", () -> transport(Deviation.EXPIRY_TOO_FAR)),
  /** {@code exp} in the past. */
  EXPIRED_TOKEN("R-8292-2", "VAPID exp two hours past", () -> transport(Deviation.EXPIRED_TOKEN)),
  /** A DER signature. */
  DER_SIGNATURE(
      "R-8292-3",
      "VAPID signature in ASN.1 DER instead of 64-byte R||S",
      () -> transport(Deviation.DER_SIGNATURE)),
  /** No {@code sub}. */
  NO_SUBJECT("R-8292-5", "VAPID without sub", () -> transport(Deviation.NO_SUBJECT)),
  /** {@code sub} without a scheme. */
  SUBJECT_NOT_A_URI(
      "R-8292-5",
      "VAPID sub is a bare address, not mailto:",
      () -> transport(Deviation.SUBJECT_NOT_A_URI)),
  /** The VAPID key as ECDH key. */
  VAPID_KEY_AS_ECDH_KEY(
      "R-8292-10",
      "the first message to a push resource uses the VAPID key as its ECDH key",
      () -> transport(Deviation.VAPID_KEY_AS_ECDH_KEY)),

  // --- security ---

  /** Serves requests without credentials as {@code anonymous} although users are configured. */
  ANONYMOUS_MAY_REGISTER(
      "R-WDP-62",
      "a push-register without credentials is accepted (as anonymous), not refused with 401",
      () ->
          Decorators.authenticator(
              a ->
                  authorization ->
                      authorization == null
                          ? dev.davpush.testkit.reference.ReferenceServer.ANONYMOUS
                          : a.authenticate(authorization))),
  /** Lets any user delete any registration. */
  UNREGISTER_FOR_ANYONE(
      "R-WDP-62",
      "any user may delete any registration",
      () ->
          extensions(
              (ext, ctx) ->
                  ext.withDelete(
                      r ->
                          ext.delete()
                              .delete(
                                  Decorators.owner(ctx, r.uri())
                                      .map(r::withPrincipal)
                                      .orElse(r))))),
  /** Answers another user's DELETE 204 (without deleting). */
  FOREIGN_UNREGISTER_ANSWERS_204(
      "R-WDP-62",
      "DELETE of another user's registration answers 204",
      () -> reply("DELETE", r -> r.status() == 403 ? DavReply.empty(204) : r)),
  /** Applies {@code Push-Dont-Notify} to other users' registrations. */
  DONT_NOTIFY_FOR_ANYONE(
      "R-WDP-62",
      "Push-Dont-Notify suppresses other users' registrations",
      () ->
          changeCause(
              (r, ctx) ->
                  Decorators.dontNotify(r).stream()
                      .findFirst()
                      .flatMap(u -> Decorators.owner(ctx, u))
                      .map(r::withPrincipal)
                      .orElse(r))),

  // --- transport security (judged when the kit's push service speaks HTTPS; plant these into a
  // server with ReferenceServer.PushResources.HTTPS_ONLY that trusts the kit's CA) ---

  /**
   * Accepts {@code http://} push resources although the server accepts HTTPS ones only, and sends
   * to them in plain HTTP.
   */
  ACCEPT_HTTP_PUSH_RESOURCES(
      "R-WDP-64",
      "an http:// push resource is registered and sent to in plain HTTP",
      () -> PlaintextTransport.decorator(PlaintextTransport.Mode.ACCEPT_HTTP)),
  /** Sends every push first in plain HTTP to the {@code http://} twin of its push resource. */
  PLAINTEXT_COPY(
      "R-8030-1",
      "every push is also sent in plain HTTP",
      () -> PlaintextTransport.decorator(PlaintextTransport.Mode.PLAINTEXT_COPY)),

  // --- the push service (the kit's own best practices) ---

  /** Takes a 429's {@code Retry-After} as zero: the retry comes at once. */
  IGNORE_RETRY_AFTER(
      "BP-1",
      "a 429's Retry-After is ignored",
      () ->
          results(
              r ->
                  r instanceof dev.davpush.spi.DeliveryResult.RetryLater l && l.status() == 429
                      ? new dev.davpush.spi.DeliveryResult.RetryLater(429, Duration.ZERO)
                      : r)),
  /** Takes a 5xx as a final refusal: no retry. */
  NO_RETRY_OF_SERVER_ERRORS(
      "BP-2",
      "a 5xx is taken as a final refusal",
      () ->
          results(
              r ->
                  r instanceof dev.davpush.spi.DeliveryResult.RetryLater l && l.status() >= 500
                      ? new dev.davpush.spi.DeliveryResult.Rejected(l.status(), "planted: no retry")
                      : r)),
  /** Fans out on the request thread and waits for each push service's answer before answering. */
  WAIT_FOR_THE_PUSH_SERVICE(
      "BP-3", "a write waits for the push service's answers", PlantedFault::waitForAnswers),

  // --- issue 10, coverage: home sets, 413, client interop (grouped for merging) ---

  /** Advertises content updates at depth 0 on the calendar and address book home sets only. */
  HOME_SETS_CONTENT_DEPTH_ZERO(
      "R-WDP-46",
      "the home sets /dav/calendars/ and /dav/addressbooks/ advertise content-update depth 0",
      () ->
          property(
              WebDavPush.SUPPORTED_TRIGGERS,
              (w, path, principal, original, ctx) -> {
                if (!path.equals("/dav/calendars/") && !path.equals("/dav/addressbooks/")) {
                  return original.write(w, WebDavPush.SUPPORTED_TRIGGERS, path, principal);
                }
                PushPropertyWriter.writeSupportedTriggers(
                    w, SupportedTriggers.of(Depth.ZERO, Depth.ZERO));
                return true;
              })),
  /** Sends a message the push service refused with 413 five more times at once. */
  REPEAT_PAYLOAD_TOO_LARGE(
      "BP-4",
      "a message answered 413 is sent again, unchanged, five times",
      () -> results413(true)),
  /** Takes a 413 as "subscription gone" and removes the registration. */
  DROP_ON_PAYLOAD_TOO_LARGE(
      "BP-4",
      "a 413 is taken as gone (404/410): the registration is removed",
      () -> results413(false)),
  /** Refuses a push-register without {@code trigger}, as DAVx⁵ up to 4.5.19 sends it. */
  REFUSE_REGISTRATION_WITHOUT_TRIGGER(
      "CI-1",
      "a push-register without trigger is refused (403 no-supported-trigger)",
      () -> refuseBody(b -> !b.matches("(?s).*<([A-Za-z0-9_.-]+:)?trigger[\\s/>].*"), 403)),
  /** Refuses a {@code content-update} holding {@code DAV:sync-level}. */
  REFUSE_SYNC_LEVEL(
      "CI-2",
      "a content-update with DAV:sync-level is refused (403 no-supported-trigger)",
      () -> refuseBody(b -> b.contains("sync-level"), 403)),
  /** Refuses the depth spelling {@code infinite}. */
  REFUSE_INFINITE(
      "CI-3",
      "a trigger depth of infinite is refused (403 no-supported-trigger)",
      () -> refuseBody(b -> b.matches("(?s).*>\\s*infinite\\s*<.*"), 403)),
  /** Takes no {@code push-register} in the {@code DAV:Push} namespace: 415, as for any POST. */
  REFUSE_LEGACY_NAMESPACE(
      "CI-4",
      "a push-register in the DAV:Push namespace is not recognised (415)",
      () -> refuseBody(b -> b.contains("\"" + WebDavPush.LEGACY_NAMESPACE + "\""), 415));

  private final String requirement;
  private final String how;
  private final Supplier<ServerDecorator> factory;

  PlantedFault(String requirement, String how, Supplier<ServerDecorator> factory) {
    this.requirement = requirement;
    this.how = how;
    this.factory = factory;
  }

  /** {@return the ID of the one requirement this fault breaks, for example {@code R-WDP-25}} */
  public String requirement() {
    return requirement;
  }

  /** {@return how the server misbehaves, one line} */
  public String description() {
    return how;
  }

  /** {@return a fresh decorator that plants this fault into one server} */
  public ServerDecorator decorator() {
    return factory.get();
  }

  /**
   * The faults that break a requirement.
   *
   * @param requirementId a requirement ID
   * @return the faults, in declaration order; empty if none
   */
  public static List<PlantedFault> breaking(String requirementId) {
    return java.util.Arrays.stream(values())
        .filter(f -> f.requirement.equals(requirementId))
        .toList();
  }

  // --- fault bodies ---

  private static ServerDecorator onMembersToo(dev.davpush.PropertyName name) {
    return property(
        name,
        (w, path, principal, original, ctx) ->
            original.write(w, name, path.substring(0, path.lastIndexOf('/') + 1), principal));
  }

  private static boolean rawTriggers(XMLStreamWriter w, @Nullable String kind, String depth)
      throws XMLStreamException {
    w.writeStartElement("P", "supported-triggers", WebDavPush.NAMESPACE);
    if (kind != null) {
      w.writeStartElement("P", kind, WebDavPush.NAMESPACE);
      w.writeStartElement("D", "depth", "DAV:");
      w.writeCharacters(depth);
      w.writeEndElement();
      w.writeEndElement();
    }
    w.writeEndElement();
    return true;
  }

  private static ServerDecorator advertise(SupportedTriggers advertised) {
    return property(
        WebDavPush.SUPPORTED_TRIGGERS,
        (w, path, principal, original, ctx) -> {
          if (!path.endsWith("/")) {
            return false;
          }
          PushPropertyWriter.writeSupportedTriggers(w, advertised);
          return true;
        });
  }

  private static boolean rawTransports(XMLStreamWriter w, String kind) throws XMLStreamException {
    w.writeStartElement("P", "transports", WebDavPush.NAMESPACE);
    if (kind.equals("foreign")) {
      w.writeStartElement("X", "carrier-pigeon", "urn:example:push");
      w.writeNamespace("X", "urn:example:push");
      w.writeEndElement();
    }
    w.writeEndElement();
    return true;
  }

  /**
   * {@code transports} with one web-push whose key is the real one, off-curve, or not base64url.
   */
  private static Decorators.PropertyRewrite vapidKeyElement(
      String type, @Nullable Boolean offCurve) {
    return (w, path, principal, original, ctx) -> {
      Optional<P256PublicKey> real =
          ctx.engine().properties(path, principal).stream()
              .flatMap(p -> p.transports().stream())
              .filter(WebPushTransportDescriptor.class::isInstance)
              .map(WebPushTransportDescriptor.class::cast)
              .flatMap(d -> d.vapidKey().stream())
              .findFirst();
      if (real.isEmpty()) {
        return false;
      }
      String key;
      if (offCurve == null) {
        key = "not*base64url!";
      } else if (offCurve) {
        byte[] b = real.get().bytes();
        b[P256PublicKey.LENGTH - 1] ^= 0x01;
        key = Base64Url.encode(b);
      } else {
        key = real.get().toBase64Url();
      }
      w.writeStartElement("P", "transports", WebDavPush.NAMESPACE);
      w.writeStartElement("P", "web-push", WebDavPush.NAMESPACE);
      w.writeStartElement("P", "vapid-public-key", WebDavPush.NAMESPACE);
      w.writeAttribute("type", type);
      w.writeCharacters(key);
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndElement();
      return true;
    };
  }

  private static WebDavServer.DavChange displayNameChange(String memberPath) {
    return new WebDavServer.DavChange(
        memberPath.substring(0, memberPath.lastIndexOf('/') + 1),
        true,
        false,
        Set.of(dev.davpush.PropertyName.DISPLAYNAME));
  }

  private static Optional<DavReply> refuseUnknownProperty(DavRequest r) {
    RegisterRequest request;
    try {
      request = PushRegisterReader.read(r.body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    for (Trigger t : request.triggers()) {
      if (t instanceof Trigger.PropertyUpdate pu
          && pu.properties().stream().anyMatch(n -> !n.namespaceUri().equals("DAV:"))) {
        return Optional.of(
            DavReply.of(
                403,
                java.util.Map.of("Content-Type", List.of(WebDavPush.MEDIA_TYPE)),
                ErrorWriter.write(Precondition.NO_SUPPORTED_TRIGGER)));
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses registration bodies a predicate picks: 403 with {@code no-supported-trigger}, as a
   * server that drops what it does not understand answers, or another status with a text body.
   */
  private static ServerDecorator refuseBody(
      java.util.function.Predicate<String> refuse, int status) {
    return extensions(
        (ext, ctx) ->
            ext.withPost(
                r -> {
                  String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
                  if (!body.contains("push-register") || !refuse.test(body)) {
                    return ext.post().post(r);
                  }
                  return Optional.of(
                      status == 403
                          ? DavReply.of(
                              403,
                              java.util.Map.of("Content-Type", List.of(WebDavPush.MEDIA_TYPE)),
                              ErrorWriter.write(Precondition.NO_SUPPORTED_TRIGGER))
                          : DavReply.text(status, "this server accepts no such POST body"));
                }));
  }

  /**
   * A 413 repeated five times at once ({@code repeat}), or taken as gone (the engine then removes
   * the push resource's registrations).
   */
  private static ServerDecorator results413(boolean repeat) {
    return new ServerDecorator() {
      @Override
      public dev.davpush.spi.PushTransport transport(
          dev.davpush.spi.PushTransport t,
          dev.davpush.webpush.WebPushTransport webPush,
          java.util.function.Supplier<dev.davpush.webpush.crypto.VapidKeyPair> vapidKey,
          String subject) {
        return new Forwarding(t) {
          @Override
          public java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> send(
              dev.davpush.spi.PushDelivery d) {
            return repeat ? again(d, 5) : t.send(d).thenApply(PlantedFault::goneOn413);
          }

          private java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> again(
              dev.davpush.spi.PushDelivery d, int left) {
            return t.send(d)
                .thenCompose(
                    r ->
                        r.status() == 413 && left > 0
                            ? again(d, left - 1)
                            : java.util.concurrent.CompletableFuture.completedFuture(r));
          }
        };
      }
    };
  }

  private static dev.davpush.spi.DeliveryResult goneOn413(dev.davpush.spi.DeliveryResult r) {
    return r.status() == 413 ? new dev.davpush.spi.DeliveryResult.Gone(413) : r;
  }

  /** The transport's results rewritten. */
  private static ServerDecorator results(
      java.util.function.UnaryOperator<dev.davpush.spi.DeliveryResult> rewrite) {
    return new ServerDecorator() {
      @Override
      public dev.davpush.spi.PushTransport transport(
          dev.davpush.spi.PushTransport t,
          dev.davpush.webpush.WebPushTransport webPush,
          java.util.function.Supplier<dev.davpush.webpush.crypto.VapidKeyPair> vapidKey,
          String subject) {
        return new Forwarding(t) {
          @Override
          public java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> send(
              dev.davpush.spi.PushDelivery d) {
            return t.send(d).thenApply(rewrite);
          }
        };
      }
    };
  }

  /** Synchronous fan-out with a transport that blocks until the push service answers (or 10 s). */
  private static ServerDecorator waitForAnswers() {
    return new ServerDecorator() {
      @Override
      public dev.davpush.server.PushEngine.Builder engine(dev.davpush.server.PushEngine.Builder b) {
        return b.executor(Runnable::run);
      }

      @Override
      public dev.davpush.spi.PushTransport transport(
          dev.davpush.spi.PushTransport t,
          dev.davpush.webpush.WebPushTransport webPush,
          java.util.function.Supplier<dev.davpush.webpush.crypto.VapidKeyPair> vapidKey,
          String subject) {
        return new Forwarding(t) {
          @Override
          public java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> send(
              dev.davpush.spi.PushDelivery d) {
            java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> stage = t.send(d);
            try {
              stage.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
              // the engine reads the stage itself
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return stage;
          }
        };
      }
    };
  }

  /** A transport that forwards everything. */
  private static class Forwarding implements dev.davpush.spi.PushTransport {
    private final dev.davpush.spi.PushTransport t;

    Forwarding(dev.davpush.spi.PushTransport t) {
      this.t = t;
    }

    @Override
    public String name() {
      return t.name();
    }

    @Override
    public dev.davpush.TransportDescriptor descriptor() {
      return t.descriptor();
    }

    @Override
    public boolean accepts(dev.davpush.Subscription subscription) {
      return t.accepts(subscription);
    }

    @Override
    public java.util.concurrent.CompletionStage<dev.davpush.spi.DeliveryResult> send(
        dev.davpush.spi.PushDelivery delivery) {
      return t.send(delivery);
    }

    @Override
    public void close() {
      t.close();
    }
  }

  private static ServerDecorator noBurstMitigation() {
    ServerDecorator twice =
        extensions(
            (ext, ctx) ->
                ext.withChanges(
                    (c, r) -> {
                      ext.changes().changed(c, r);
                      ext.changes().changed(c, r);
                    }));
    return new ServerDecorator() {
      @Override
      public dev.davpush.server.PushEngine.Builder engine(dev.davpush.server.PushEngine.Builder b) {
        return b.coalescingWindow(Duration.ZERO).maximumCoalescingWindow(Duration.ZERO);
      }

      @Override
      public WebDavServer.Extensions extensions(WebDavServer.Extensions e, Context context) {
        return twice.extensions(e, context);
      }
    };
  }

  private static ServerDecorator otherKeyOnHomes() {
    dev.davpush.webpush.crypto.VapidKeyPair other =
        dev.davpush.webpush.crypto.VapidKeyPair.generate();
    return property(
        WebDavPush.TRANSPORTS,
        (w, path, principal, original, ctx) -> {
          boolean home = path.matches("/dav/[^/]+/");
          if (!home) {
            return original.write(w, WebDavPush.TRANSPORTS, path, principal);
          }
          PushPropertyWriter.writeTransports(
              w, List.of(new WebPushTransportDescriptor(other.publicKey())));
          return true;
        });
  }

  private static DavReply relativeLocation(DavReply r) {
    String location = r.header("Location");
    return location == null
        ? r
        : r.withHeader("Location", List.of(URI.create(location).getRawPath()));
  }

  private static DavReply rfc850Expires(DavReply r) {
    String expires = r.header("Expires");
    if (expires == null) {
      return r;
    }
    Instant when = dev.davpush.xml.HttpDates.parse(expires).orElse(Instant.now());
    String rfc850 =
        DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(when);
    return r.withHeader("Expires", List.of(rfc850));
  }

  private static Optional<DavReply> refuseInfinity(DavRequest r) {
    RegisterRequest request;
    try {
      request = PushRegisterReader.read(r.body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    for (Trigger t : request.triggers()) {
      if (t.depth() == Depth.INFINITY) {
        return Optional.of(
            DavReply.of(
                403,
                java.util.Map.of("Content-Type", List.of(WebDavPush.MEDIA_TYPE)),
                ErrorWriter.write(Precondition.NO_SUPPORTED_TRIGGER)));
      }
    }
    return Optional.empty();
  }

  private static ServerDecorator newLocationOnUpdate() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    return reply(
        "POST",
        r -> {
          String location = r.header("Location");
          if (location == null || seen.add(location)) {
            return r;
          }
          // a fresh id under the registration base, which names no registration
          String base = location.substring(0, location.lastIndexOf('/') + 1);
          return r.withHeader("Location", List.of(base + dev.davpush.Topic.random().value()));
        });
  }

  private static ServerDecorator deleteTwice() {
    Set<URI> deleted = ConcurrentHashMap.newKeySet();
    return http(
        (h, ctx) ->
            r -> {
              DavReply reply = h.handle(r);
              if (!r.method().equals("DELETE")) {
                return reply;
              }
              if (reply.status() == 204 && ctx.engine().isRegistrationUrl(r.uri())) {
                deleted.add(r.uri());
              } else if (reply.status() == 404 && deleted.contains(r.uri())) {
                return DavReply.empty(204);
              }
              return reply;
            });
  }

  private static DavRequest invalidMeansAll(DavRequest r) {
    List<String> lines = r.headers(PushDontNotify.HEADER);
    if (lines.isEmpty()
        || !Decorators.dontNotify(r).isEmpty()
        || PushDontNotify.parse(lines).all()) {
      return r;
    }
    return r.withHeader(PushDontNotify.HEADER, List.of("*"));
  }

  private static ServerDecorator topicChangesAfterAChange() {
    AtomicBoolean changed = new AtomicBoolean();
    return extensions(
        (ext, ctx) -> {
          var original = ext.liveProperties();
          return ext.withChanges(
                  (c, r) -> {
                    changed.set(true);
                    ext.changes().changed(c, r);
                  })
              .withLiveProperties(
                  new dev.davpush.testkit.reference.WebDavServer.LiveProperties() {
                    @Override
                    public Set<dev.davpush.PropertyName> names() {
                      return original.names();
                    }

                    @Override
                    public boolean write(
                        XMLStreamWriter w,
                        dev.davpush.PropertyName n,
                        String path,
                        String principal)
                        throws XMLStreamException {
                      if (n.equals(WebDavPush.TOPIC) && changed.get() && path.endsWith("/")) {
                        PushPropertyWriter.writeTopic(w, Decorators.otherTopic());
                        return true;
                      }
                      return original.write(w, n, path, principal);
                    }
                  });
        });
  }

  /** The engine's view with every collection's sync-token replaced by its parent's. */
  private record ParentSyncToken(DavResources d) implements DavResources {
    @Override
    public Optional<DavResource> resource(String path) {
      return d.resource(path);
    }

    @Override
    public Optional<String> parent(String path) {
      return d.parent(path);
    }

    @Override
    public boolean maySubscribe(String principal, String path) {
      return d.maySubscribe(principal, path);
    }

    @Override
    public Optional<String> syncToken(String path) {
      return d.parent(path).flatMap(d::syncToken).or(() -> d.syncToken(path));
    }
  }
}
