package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;

/**
 * The RFC 8030 push resource of a Web Push subscription: the absolute URL the application server
 * POSTs push messages to. It is a capability URL (RFC 8030 §8.3): knowing it authorises sending, so
 * {@link #toString()} shows only its origin.
 *
 * <p>Construction checks only syntax (absolute {@code http} or {@code https} URI with a host);
 * which targets may actually be contacted is the transport's policy (SSRF).
 *
 * @param uri the absolute URI
 *     <p>Thread safety: immutable.
 */
public record PushResource(URI uri) {
  /**
   * Validates the URI. @throws IllegalArgumentException if the URI is not absolute, not {@code
   * http}/{@code https}, has no host, or carries user info or a fragment
   *
   * @param uri as described on the record
   */
  public PushResource {
    requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (!uri.isAbsolute() || scheme == null) {
      throw new IllegalArgumentException("push resource: expected an absolute URI");
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    if (!s.equals("https") && !s.equals("http")) {
      throw new IllegalArgumentException(
          "push resource: expected scheme https, got '" + Depth.abbreviate(scheme) + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("push resource: the URI has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("push resource: user info is not allowed");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("push resource: a fragment is not allowed");
    }
  }

  /**
   * Parses a push resource.
   *
   * @param text an absolute URI, surrounding whitespace ignored
   * @return the push resource
   * @throws IllegalArgumentException if the text is not a valid URI or breaks the rules above
   */
  public static PushResource parse(String text) {
    requireNonNull(text, "text");
    try {
      return new PushResource(new URI(text.strip()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("push resource: not a valid URI (" + e.getReason() + ")");
    }
  }

  /**
   * The RFC 6454 origin serialization: {@code scheme://host[:port]} in lower case, the port only
   * when it is not the scheme's default. This is the VAPID {@code aud} (RFC 8292 §2).
   *
   * @return the origin, without a trailing slash
   */
  public String origin() {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  /**
   * Whether the scheme is {@code https}.
   *
   * @return true for https
   */
  public boolean isHttps() {
    return uri.getScheme().equalsIgnoreCase("https");
  }

  /** The origin followed by {@code /[redacted]}: the path is the capability. */
  @Override
  public String toString() {
    return origin() + "/[redacted]";
  }
}
