package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Mints and recognises registration URLs under one base (R-WDP-25, R-WDP-30, digest ambiguity
 *
 *
 * <p>A registration URL is {@code base + id}: the id is 16 bytes from {@link SecureRandom} as 22
 * unpadded base64url characters, the single path segment after the base path.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class RegistrationUrls {
  /** Random bytes per id: 128 bits. */
  public static final int ID_BYTES = 16;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final URI base;
  private final String scheme;
  private final String host;
  private final int port;
  private final String basePath;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates the rules for a base.
   *
   * @param base absolute, hierarchical, with a host, a path ending in {@code /}, no query and no
   *     fragment
   * @throws IllegalArgumentException if the base breaks one of these rules
   */
  public RegistrationUrls(URI base) {
    requireNonNull(base, "base");
    if (!base.isAbsolute() || base.isOpaque() || base.getHost() == null) {
      throw new IllegalArgumentException(
          "registrationBase: expected an absolute URI with a host, such as"
              + " https://dav.example/push/, got "
              + base);
    }
    String path = base.getRawPath();
    if (path == null || !path.endsWith("/")) {
      throw new IllegalArgumentException(
          "registrationBase: the path must end with '/', got " + base);
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "registrationBase: expected no query and no fragment, got " + base);
    }
    this.base = base;
    this.scheme = base.getScheme().toLowerCase(Locale.ROOT);
    this.host = base.getHost().toLowerCase(Locale.ROOT);
    this.port = effectivePort(scheme, base.getPort());
    this.basePath = path;
  }

  /**
   * The base.
   *
   * @return as given
   */
  public URI base() {
    return base;
  }

  /**
   * A fresh, unguessable registration id.
   *
   * @return 22 base64url characters (128 random bits)
   */
  public String newId() {
    byte[] bytes = new byte[ID_BYTES];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /**
   * The absolute registration URL of an id.
   *
   * @param id a path-segment-safe id, as from {@link #newId()}
   * @return {@code base} resolved against the id
   */
  public URI url(String id) {
    return base.resolve(requireNonNull(id, "id"));
  }

  /**
   * The id a URL names, if it lies under the base: scheme, host and port compare case-insensitively
   * (an absent port equals the scheme's default), the raw path is the base path plus one non-empty
   * segment, and there is no query. A URL without scheme and host (a path only) is compared by its
   * path alone.
   *
   * @param url any URI
   * @return the id, or empty if the URL is not a registration URL of this base
   */
  public Optional<String> idOf(URI url) {
    requireNonNull(url, "url");
    if (url.isOpaque() || url.getRawQuery() != null) {
      return Optional.empty();
    }
    if (url.getScheme() != null || url.getRawAuthority() != null) {
      if (url.getScheme() == null || url.getHost() == null) {
        return Optional.empty();
      }
      String s = url.getScheme().toLowerCase(Locale.ROOT);
      if (!s.equals(scheme)
          || !url.getHost().toLowerCase(Locale.ROOT).equals(host)
          || effectivePort(s, url.getPort()) != port) {
        return Optional.empty();
      }
    }
    String path = url.getRawPath();
    if (path == null || !path.startsWith(basePath)) {
      return Optional.empty();
    }
    String rest = path.substring(basePath.length());
    if (rest.isEmpty() || rest.indexOf('/') >= 0) {
      return Optional.empty();
    }
    return Optional.of(rest);
  }

  /**
   * Whether a URL a client echoed (in {@code Push-Dont-Notify}) denotes the registration with an
   * id: either {@link #idOf} yields the id, or (digest ambiguity A-12: behind proxies or under
   * another host name the client may know another authority or mount point) the last segment of its
   * path equals the id. Ids are 128-bit random values, so the loose rule cannot hit another
   * registration by accident.
   *
   * @param url the echoed URL
   * @param id a registration id
   * @return true if the URL names that registration
   */
  public boolean denotes(URI url, String id) {
    requireNonNull(url, "url");
    requireNonNull(id, "id");
    if (idOf(url).filter(id::equals).isPresent()) {
      return true;
    }
    String path = url.getRawPath();
    if (path == null || url.getRawQuery() != null) {
      return false;
    }
    int slash = path.lastIndexOf('/');
    return slash >= 0 && path.substring(slash + 1).equals(id);
  }

  private static int effectivePort(String scheme, int port) {
    if (port != -1) {
      return port;
    }
    return switch (scheme) {
      case "https" -> 443;
      case "http" -> 80;
      default -> -1;
    };
  }
}
