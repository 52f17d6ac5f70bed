package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PreconditionException;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Subscription;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Names;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.SafeXml;
import dev.davpush.xml.internal.Triggers;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of a registration {@code POST}, the {@code push-register} document
 * (draft-bitfire-webdav-push §3.1, §6.1, §6.3; R-WDP-11..14, R-WDP-57), server side.
 *
 * <p>Reading is lenient in the ways the package documentation lists (older names and namespace, any
 * child order, unknown elements skipped, tolerant base64url and dates). In particular:
 *
 * <ul>
 *   <li>a missing {@code trigger} means a content update with depth {@code 1}: DAVx⁵ registers
 *       without one; a {@code trigger} without any understood child gives no triggers, which the
 *       engine refuses with {@code no-supported-trigger};
 *   <li>a {@code content-update} without depth means depth {@code 1}, a {@code property-update}
 *       without depth depth {@code 0}; a trigger whose depth is not understood is dropped
 *       (unsupported triggers are dropped, not rejected: R-WDP-15);
 *   <li>a missing {@code content-encoding} means {@code aes128gcm}; another value is kept as read
 *       and refused by the engine;
 *   <li>an {@code expires} that is unparsable or not in the future is ignored (the server then
 *       applies its default: digest ambiguity A-20); IMF-fixdate, the obsolete HTTP-date forms and
 *       RFC 3339 are understood;
 *   <li>duplicated elements: the first one counts.
 * </ul>
 *
 * <p>Errors: input that is not well-formed XML, is hostile (DOCTYPE, entities), exceeds the {@link
 * XmlLimits}, or whose root is not {@code push-register} gives {@link PushXmlException} (answer
 * {@code 400}). A well-formed document whose subscription is unusable gives {@link
 * PreconditionException} with {@link Precondition#INVALID_SUBSCRIPTION} (answer {@code 403}): no
 * {@code subscription}, no transport element in it, a missing, relative or non-HTTP(S) {@code
 * push-resource}, a {@code subscription-public-key} that is not a 65-byte uncompressed P-256 point
 * on the curve or whose {@code type} is not {@code p256dh}, an {@code auth-secret} that is not 16
 * bytes, or missing key material (encryption-less registrations of pre-2025 clients: digest
 * ambiguity A-35).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class PushRegisterReader {
  private PushRegisterReader() {}

  /**
   * Whether the first bytes of a body start a {@code push-register} document: the root element is
   * {@code push-register} (or the older {@code push-subscribe}) in the current or the older {@code
   * DAV:Push} namespace (R-WDP-11). Used to route a {@code POST} before reading it whole.
   *
   * @param prefix the first bytes of the body (a few KiB suffice); not modified
   * @param length how many bytes of {@code prefix} are valid; 0..prefix.length
   * @return true if the root start tag is complete within the bytes and names push-register; false
   *     for anything else, including malformed or hostile XML (never throws for content)
   * @throws IndexOutOfBoundsException if {@code length} is outside 0..prefix.length
   */
  public static boolean isPushRegister(byte[] prefix, int length) {
    requireNonNull(prefix, "prefix");
    java.util.Objects.checkFromIndexSize(0, length, prefix.length);
    String[] root = SafeXml.peekRoot(prefix, length);
    return root != null
        && Names.PUSH.contains(root[0])
        && (root[1].equals("push-register") || root[1].equals("push-subscribe"));
  }

  /**
   * Reads a {@code push-register} document with the default limits.
   *
   * @param in the request body; read to its end, not closed
   * @return the request; a subscription is either a {@link WebPushSubscription} or a {@link
   *     ForeignSubscription}
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   * @throws PreconditionException {@code invalid-subscription} for an unusable subscription
   */
  public static RegisterRequest read(InputStream in) {
    return read(in, XmlLimits.defaults());
  }

  /**
   * Reads a {@code push-register} document.
   *
   * @param in the request body; read to its end, not closed
   * @param limits the limits to apply
   * @return the request
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   * @throws PreconditionException {@code invalid-subscription} for an unusable subscription
   */
  public static RegisterRequest read(InputStream in, XmlLimits limits) {
    return read(in, limits, Clock.systemUTC());
  }

  /**
   * Reads a {@code push-register} document, judging {@code expires} against a clock.
   *
   * @param in the request body; read to its end, not closed
   * @param limits the limits to apply
   * @param clock decides whether {@code expires} lies in the past
   * @return the request
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   * @throws PreconditionException {@code invalid-subscription} for an unusable subscription
   */
  public static RegisterRequest read(InputStream in, XmlLimits limits, Clock clock) {
    requireNonNull(in, "in");
    requireNonNull(limits, "limits");
    requireNonNull(clock, "clock");
    return fromTree(SafeXml.parse(in, limits), clock.instant());
  }

  /**
   * Reads a {@code push-register} document from bytes with the default limits.
   *
   * @param bytes the document, in the encoding it declares (UTF-8 by default)
   * @return the request
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   * @throws PreconditionException {@code invalid-subscription} for an unusable subscription
   */
  public static RegisterRequest read(byte[] bytes) {
    return fromTree(
        SafeXml.parse(requireNonNull(bytes, "bytes"), XmlLimits.defaults()), Instant.now());
  }

  static RegisterRequest fromTree(Node root, Instant now) {
    if (!root.is(Names.PUSH, "push-register") && !root.is(Names.PUSH, "push-subscribe")) {
      throw new PushXmlException(
          "expected root element {" + WebDavPush.NAMESPACE + "}push-register, got " + root,
          root.line(),
          root.column());
    }
    Subscription subscription = subscription(root);
    List<Trigger> triggers = triggers(root);
    Instant expires = null;
    Node e = root.child(Names.PUSH, "expires");
    if (e != null) {
      String text = e.trimmedText();
      Optional<Instant> t = HttpDates.parse(text);
      if (t.isEmpty()) {
        t = HttpDates.parseRfc3339(text);
      }
      if (t.isPresent() && t.get().isAfter(now)) {
        expires = t.get();
      }
    }
    return new RegisterRequest(subscription, triggers, expires);
  }

  private static Subscription subscription(Node root) {
    Node container = root.child(Names.PUSH, "subscription");
    if (container == null) {
      container = root.child(Names.PUSH, "transport");
    }
    if (container == null) {
      throw invalid("push-register has no subscription element");
    }
    Node web = container.child(Names.PUSH, "web-push-subscription", "web-push");
    if (web != null) {
      return webPush(web);
    }
    if (container.children().isEmpty()) {
      throw invalid(
          "subscription holds no transport-specific element; expected " + "web-push-subscription");
    }
    Node foreign = container.children().get(0);
    if (foreign.localName().isEmpty()) {
      throw invalid("subscription holds no usable transport element");
    }
    return ForeignSubscription.of(
        foreign.namespaceUri(), foreign.localName(), Fragments.serialize(foreign));
  }

  private static WebPushSubscription webPush(Node web) {
    Node pr = web.child(Names.PUSH, "push-resource");
    if (pr == null || pr.trimmedText().isEmpty()) {
      throw invalid("web-push-subscription has no push-resource (an absolute https URI)");
    }
    PushResource pushResource;
    try {
      pushResource = PushResource.parse(pr.trimmedText());
    } catch (IllegalArgumentException ex) {
      throw invalid("push-resource is unusable: " + ex.getMessage(), ex);
    }
    ContentEncoding encoding = ContentEncoding.AES128GCM;
    Node ce = web.child(Names.PUSH, "content-encoding");
    if (ce != null && !ce.trimmedText().isEmpty()) {
      try {
        encoding = ContentEncoding.of(ce.trimmedText());
      } catch (IllegalArgumentException ex) {
        throw invalid("content-encoding is not an HTTP content coding; expected aes128gcm", ex);
      }
    }
    Node key = web.child(Names.PUSH, "subscription-public-key", "client-public-key", "public-key");
    Node secret = web.child(Names.PUSH, "auth-secret", "auth", "authentication-secret");
    if (key == null || secret == null) {
      throw invalid(
          "web-push-subscription lacks "
              + (key == null ? "subscription-public-key" : "auth-secret")
              + "; message encryption (RFC 8291) is required, so both subscription-public-key "
              + "type=\"p256dh\" and auth-secret must be sent");
    }
    String type = key.attribute("type");
    if (type == null) {
      type = key.attribute("keyid");
    }
    if (type != null && !type.strip().toLowerCase(Locale.ROOT).equals("p256dh")) {
      throw invalid(
          "subscription-public-key has type=\"" + abbreviate(type) + "\"; expected p256dh");
    }
    String keyText = key.attribute("dh");
    if (keyText == null) {
      keyText = key.trimmedText();
    }
    P256PublicKey publicKey;
    try {
      publicKey = P256PublicKey.fromBase64Url(keyText);
    } catch (IllegalArgumentException ex) {
      throw invalid("subscription-public-key is unusable: " + ex.getMessage(), ex);
    }
    AuthSecret authSecret;
    try {
      authSecret = AuthSecret.fromBase64Url(secret.trimmedText());
    } catch (IllegalArgumentException ex) {
      // the message never quotes the secret
      throw invalid("auth-secret is unusable: expected base64url of 16 bytes", ex);
    }
    return WebPushSubscription.of(pushResource, encoding, publicKey, authSecret);
  }

  private static List<Trigger> triggers(Node root) {
    Node t = root.child(Names.PUSH, "trigger", "on");
    if (t == null) {
      return List.of(new Trigger.ContentUpdate(Depth.ONE));
    }
    List<Trigger> out = new ArrayList<>(2);
    for (Node c : t.children()) {
      if (c.is(Names.PUSH, "content-update")) {
        Depth d = Triggers.depth(c, Depth.ONE);
        if (d != null) {
          out.add(new Trigger.ContentUpdate(d));
        }
      } else if (c.is(Names.PUSH, "property-update")) {
        Depth d = Triggers.depth(c, Depth.ZERO);
        if (d != null) {
          out.add(new Trigger.PropertyUpdate(d, Triggers.propertyNames(c)));
        }
      }
    }
    return out;
  }

  private static PreconditionException invalid(String message) {
    return new PreconditionException(Precondition.INVALID_SUBSCRIPTION, message);
  }

  private static PreconditionException invalid(String message, Throwable cause) {
    return new PreconditionException(Precondition.INVALID_SUBSCRIPTION, message, cause);
  }

  static String abbreviate(@Nullable String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
