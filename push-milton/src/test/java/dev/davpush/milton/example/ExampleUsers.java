package dev.davpush.milton.example;

import io.milton.http.Auth;
import io.milton.http.Request;
import io.milton.http.SecurityManager;
import io.milton.http.http11.auth.DigestResponse;
import io.milton.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * HTTP Basic users of the example server: every authenticated user may do everything; nobody else
 * anything. Passwords are compared in constant time and never logged.
 *
 * <p>Thread safety: immutable.
 */
final class ExampleUsers implements SecurityManager {
  static final String REALM = "davpush milton example";

  private final Map<String, String> passwords;

  ExampleUsers(Map<String, String> passwords) {
    this.passwords = Map.copyOf(passwords);
  }

  @Override
  public Object authenticate(DigestResponse digestRequest) {
    return null; // Basic only
  }

  @Override
  public Object authenticate(String user, String password) {
    String expected = passwords.get(user);
    if (expected == null || password == null) {
      return null;
    }
    boolean ok =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    return ok ? user : null;
  }

  @Override
  public boolean authorise(Request request, Request.Method method, Auth auth, Resource resource) {
    return auth != null && auth.getTag() != null;
  }

  @Override
  public String getRealm(String host) {
    return REALM;
  }

  @Override
  public boolean isDigestAllowed() {
    return false;
  }
}
