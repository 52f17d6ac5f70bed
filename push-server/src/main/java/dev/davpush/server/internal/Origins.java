package dev.davpush.server.internal;

import dev.davpush.Subscription;
import dev.davpush.WebPushSubscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a push resource lives, for the per-origin limits and for logs. A push resource URL is a
 * capability: only its origin or host ever reaches a log.
 *
 * <p>Thread safety: stateless.
 */
public final class Origins {
  private Origins() {}

  /**
   * The push service's origin: scheme, host and port of a URI-shaped subscription id.
   *
   * @param subscriptionId a subscription id (for Web Push the push resource URL)
   * @return {@code scheme://host:port} in lower case (port -1 when absent), or {@code -} for an id
   *     that is not a URI with a host (all such ids share one origin)
   */
  public static String origin(String subscriptionId) {
    try {
      URI u = new URI(subscriptionId);
      if (u.getHost() != null && u.getScheme() != null) {
        return u.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + u.getHost().toLowerCase(Locale.ROOT)
            + ":"
            + u.getPort();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // not a URI: the shared origin
    }
    return "-";
  }

  /**
   * The host of a subscription id, for logs.
   *
   * @param subscriptionId a subscription id
   * @return the host, or {@code -}
   */
  public static String host(String subscriptionId) {
    try {
      String h = new URI(subscriptionId).getHost();
      return h == null ? "-" : h;
    } catch (URISyntaxException e) {
      return "-";
    }
  }

  /**
   * The host of a subscription's push service, for logs.
   *
   * @param s the subscription
   * @return the host, or {@code -}
   */
  public static String host(Subscription s) {
    if (s instanceof WebPushSubscription w) {
      String h = w.pushResource().uri().getHost();
      return h == null ? "-" : h;
    }
    return host(s.id());
  }
}
