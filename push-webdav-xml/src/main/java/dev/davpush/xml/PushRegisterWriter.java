package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.RegisterRequest;
import dev.davpush.Subscription;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Out;
import java.time.Instant;

/**
 * Writes the body of a registration {@code POST}, the {@code push-register} document
 * (draft-bitfire-webdav-push §3.1, §6.1, §6.3), client side.
 *
 * <p>Output is strict and byte-stable: UTF-8 without XML declaration and without insignificant
 * white space, current draft names only, the schema's element order ({@code subscription}, {@code
 * trigger}, {@code expires}; inside {@code web-push-subscription}: {@code push-resource}, {@code
 * content-encoding}, {@code subscription-public-key type="p256dh"}, {@code auth-secret}), content
 * updates before property updates, property names sorted by namespace and local name, base64url
 * without padding, {@code expires} as IMF-fixdate in GMT truncated to whole seconds. The default
 * namespace is WebDAV-Push and {@code D} is bound to {@code DAV:}. Example:
 *
 * <pre>{@code
 * <push-register xmlns="https://bitfire.at/webdav-push" xmlns:D="DAV:"><subscription>
 * <web-push-subscription><push-resource>https://up.example.net/yohd4yai5Phiz1wi</push-resource>
 * <content-encoding>aes128gcm</content-encoding><subscription-public-key type="p256dh">BCVx…
 * </subscription-public-key><auth-secret>BTBZMqHH6r4Tts7J_aSIgg</auth-secret>
 * </web-push-subscription></subscription><trigger><content-update><D:depth>1</D:depth>
 * </content-update></trigger></push-register>
 * }</pre>
 *
 * (one line in reality).
 *
 * <p>The output contains the auth secret and the push resource: treat it as a secret.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class PushRegisterWriter {
  private PushRegisterWriter() {}

  /**
   * Writes a {@code push-register} document.
   *
   * @param request the request; its subscription must be a {@link WebPushSubscription} or a {@link
   *     ForeignSubscription}; its triggers may be empty (an empty {@code trigger} element is
   *     written, which servers refuse with {@code no-supported-trigger})
   * @return the UTF-8 bytes
   * @throws IllegalArgumentException if the subscription type is unknown, a value holds characters
   *     XML cannot carry, the foreign subscription's XML is not well-formed or nests deeper than
   *     {@link XmlLimits#MAX_DEPTH_CAP}, or the expiry's year is outside 1..9999
   */
  public static byte[] write(RegisterRequest request) {
    requireNonNull(request, "request");
    Out out = new Out(640);
    out.raw("<push-register xmlns=\"")
        .raw(WebDavPush.NAMESPACE)
        .raw("\" xmlns:D=\"DAV:\"><subscription>");
    subscription(out, request.subscription());
    out.raw("</subscription><trigger>");
    for (Trigger t : request.triggers()) {
      if (t instanceof Trigger.ContentUpdate c) {
        out.raw("<content-update><D:depth>")
            .raw(c.depth().token())
            .raw("</D:depth></content-update>");
      }
    }
    for (Trigger t : request.triggers()) {
      if (t instanceof Trigger.PropertyUpdate p) {
        out.raw("<property-update><D:depth>").raw(p.depth().token()).raw("</D:depth>");
        if (!p.properties().isEmpty()) {
          out.raw("<D:prop>").propertyNames(p.properties()).raw("</D:prop>");
        }
        out.raw("</property-update>");
      }
    }
    out.raw("</trigger>");
    Instant expires = request.expires();
    if (expires != null) {
      out.raw("<expires>").raw(HttpDates.format(expires)).raw("</expires>");
    }
    out.raw("</push-register>");
    return out.utf8();
  }

  private static void subscription(Out out, Subscription s) {
    if (s instanceof WebPushSubscription w) {
      out.raw("<web-push-subscription><push-resource>")
          .text(w.pushResource().uri().toString(), "push resource")
          .raw("</push-resource><content-encoding>")
          .text(w.contentEncoding().token(), "content encoding")
          .raw("</content-encoding><subscription-public-key type=\"p256dh\">")
          .raw(w.subscriptionPublicKey().toBase64Url())
          .raw("</subscription-public-key><auth-secret>")
          .raw(w.authSecret().toBase64Url())
          .raw("</auth-secret></web-push-subscription>");
    } else if (s instanceof ForeignSubscription f) {
      try {
        out.raw(Fragments.serialize(Fragments.parse(f.xml())));
      } catch (PushXmlException e) {
        throw new IllegalArgumentException(
            "subscription: the foreign subscription's XML is not well-formed: " + e.getMessage(),
            e);
      }
    } else {
      throw new IllegalArgumentException(
          "subscription: expected WebPushSubscription or "
              + "ForeignSubscription, got "
              + s.getClass().getName());
    }
  }
}
