package dev.davpush.client;

import java.net.URI;

/**
 * A DAV request was redirected to another origin (scheme, host or port), or redirected more than
 * {@link DavPushClient#MAX_REDIRECTS} times. The client follows redirects of DAV requests only
 * within the origin of the request, so that neither credentials nor a registration body (which
 * holds the push resource and the auth secret) go to a server the application did not name.
 *
 * <p>Thread safety: immutable.
 */
public class RedirectRefusedException extends DavPushClientException {
  private static final long serialVersionUID = 1L;

  /** The origin of the redirected request; part of the serialized form. */
  private final String fromOrigin;

  /** The origin redirected to; part of the serialized form. */
  private final String toOrigin;

  /**
   * Creates the exception.
   *
   * @param message why
   * @param from the URL of the request that was redirected
   * @param to the redirect target
   */
  public RedirectRefusedException(String message, URI from, URI to) {
    super(message);
    this.fromOrigin = origin(from);
    this.toOrigin = origin(to);
  }

  /**
   * The origin of the redirected request.
   *
   * @return for example {@code https://dav.example.com}
   */
  public String fromOrigin() {
    return fromOrigin;
  }

  /**
   * The origin the server redirected to.
   *
   * @return for example {@code https://other.example.net}
   */
  public String toOrigin() {
    return toOrigin;
  }

  static String origin(URI u) {
    return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
  }
}
