package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Credentials for a DAV server: HTTP Basic (RFC 7617) or a Bearer token (RFC 6750). The client
 * sends them only to the origin they were given for ({@link DavPushClient.Builder#credentials}),
 * and by default only after the server asked with a {@code 401} challenge for that scheme; {@link
 * DavPushClient.Builder#preemptiveAuthentication(boolean)} sends them with every request instead.
 *
 * <p>A secret: {@link #toString()} shows the scheme and, for Basic, the user name only.
 *
 * <p>Thread safety: immutable.
 */
public abstract sealed class DavCredentials {
  private DavCredentials() {}

  /**
   * Basic credentials.
   *
   * @param user the user name; must not contain {@code :}
   * @param password the password; copied
   * @return the credentials
   * @throws IllegalArgumentException if the user name contains {@code :} or a control character
   */
  public static DavCredentials basic(String user, char[] password) {
    return new Basic(user, password);
  }

  /**
   * A Bearer token.
   *
   * @param token the token (RFC 6750 {@code b64token}); not empty
   * @return the credentials
   * @throws IllegalArgumentException if the token is empty or holds white space or control
   *     characters
   */
  public static DavCredentials bearer(String token) {
    return new Bearer(token);
  }

  /**
   * The {@code Authorization} header value, for pre-emptive sending.
   *
   * @return for example {@code Basic YWxpY2U6c2VjcmV0}
   */
  abstract String authorization();

  /** Basic credentials. */
  static final class Basic extends DavCredentials {
    private final String user;
    private final char[] password;

    Basic(String user, char[] password) {
      requireNonNull(user, "user");
      requireNonNull(password, "password");
      if (user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "user: must not contain ':' or control characters (RFC 7617 §2)");
      }
      this.user = user;
      this.password = password.clone();
    }

    String user() {
      return user;
    }

    char[] password() {
      return password.clone();
    }

    @Override
    String authorization() {
      char[] pw = password();
      try {
        byte[] raw = (user + ":" + new String(pw)).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(raw);
      } finally {
        Arrays.fill(pw, '\0');
      }
    }

    @Override
    public String toString() {
      return "DavCredentials[Basic, user=" + user + ", password=[redacted]]";
    }
  }

  /** A Bearer token. */
  static final class Bearer extends DavCredentials {
    private final String token;

    Bearer(String token) {
      requireNonNull(token, "token");
      if (token.isEmpty()
          || token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new IllegalArgumentException(
            "token: expected a non-empty RFC 6750 b64token without white space");
      }
      this.token = token;
    }

    String token() {
      return token;
    }

    @Override
    String authorization() {
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return "DavCredentials[Bearer, token=[redacted]]";
    }
  }
}
