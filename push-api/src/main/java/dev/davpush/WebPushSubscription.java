package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * A Web Push subscription as registered with WebDAV-Push ({@code web-push-subscription},
 * draft-bitfire-webdav-push §6.1, §6.3): push resource, content encoding, the subscription public
 * key ({@code p256dh}, the user agent's ECDH key) and the auth secret.
 *
 * <p>{@link #toString()} shows neither the push resource path nor the auth secret.
 *
 * <p>Thread safety: immutable.
 */
public final class WebPushSubscription implements Subscription {
  /** The transport name, {@code web-push}. */
  public static final String TRANSPORT = "web-push";

  private final PushResource pushResource;
  private final ContentEncoding contentEncoding;
  private final P256PublicKey subscriptionPublicKey;
  private final AuthSecret authSecret;

  private WebPushSubscription(
      PushResource pushResource,
      ContentEncoding contentEncoding,
      P256PublicKey subscriptionPublicKey,
      AuthSecret authSecret) {
    this.pushResource = requireNonNull(pushResource, "pushResource");
    this.contentEncoding = requireNonNull(contentEncoding, "contentEncoding");
    this.subscriptionPublicKey = requireNonNull(subscriptionPublicKey, "subscriptionPublicKey");
    this.authSecret = requireNonNull(authSecret, "authSecret");
  }

  /**
   * A subscription with the given parts.
   *
   * @param pushResource the push resource
   * @param contentEncoding the content encoding; WebDAV-Push allows only {@code aes128gcm}, which
   *     the engine enforces at registration
   * @param subscriptionPublicKey the user agent's P-256 ECDH public key
   * @param authSecret the 16-byte auth secret
   * @return the subscription
   */
  public static WebPushSubscription of(
      PushResource pushResource,
      ContentEncoding contentEncoding,
      P256PublicKey subscriptionPublicKey,
      AuthSecret authSecret) {
    return new WebPushSubscription(
        pushResource, contentEncoding, subscriptionPublicKey, authSecret);
  }

  /**
   * A subscription with content encoding {@code aes128gcm}.
   *
   * @param pushResource the push resource
   * @param subscriptionPublicKey the user agent's P-256 ECDH public key
   * @param authSecret the 16-byte auth secret
   * @return the subscription
   */
  public static WebPushSubscription of(
      PushResource pushResource, P256PublicKey subscriptionPublicKey, AuthSecret authSecret) {
    return of(pushResource, ContentEncoding.AES128GCM, subscriptionPublicKey, authSecret);
  }

  @Override
  public String transport() {
    return TRANSPORT;
  }

  /** The push resource URI as text. */
  @Override
  public String id() {
    return pushResource.uri().toString();
  }

  /**
   * The push resource.
   *
   * @return never null
   */
  public PushResource pushResource() {
    return pushResource;
  }

  /**
   * The content encoding.
   *
   * @return never null
   */
  public ContentEncoding contentEncoding() {
    return contentEncoding;
  }

  /**
   * The user agent's public key ({@code subscription-public-key type="p256dh"}).
   *
   * @return never null
   */
  public P256PublicKey subscriptionPublicKey() {
    return subscriptionPublicKey;
  }

  /**
   * The auth secret.
   *
   * @return never null
   */
  public AuthSecret authSecret() {
    return authSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebPushSubscription s
        && pushResource.equals(s.pushResource)
        && contentEncoding.equals(s.contentEncoding)
        && subscriptionPublicKey.equals(s.subscriptionPublicKey)
        && authSecret.equals(s.authSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pushResource, contentEncoding, subscriptionPublicKey);
  }

  @Override
  public String toString() {
    return "WebPushSubscription[pushResource="
        + pushResource
        + ", contentEncoding="
        + contentEncoding
        + ", authSecret=[redacted]]";
  }
}
