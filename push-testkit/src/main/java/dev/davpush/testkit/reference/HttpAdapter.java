package dev.davpush.testkit.reference;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the JDK's HTTP server and a {@link DavHandler}: HTTP Basic authentication against the
 * configured users, the request as a {@link DavRequest}, the {@link DavReply} back on the wire.
 *
 * <p>Thread safety: immutable apart from the handler, which must be thread-safe.
 */
final class HttpAdapter implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpAdapter.class);
  private static final int MAX_BODY = 1 << 20;

  private final DavHandler handler;
  private final URI baseUri;
  private final Authenticator authenticator;

  HttpAdapter(DavHandler handler, URI baseUri, Authenticator authenticator) {
    this.handler = handler;
    this.baseUri = baseUri;
    this.authenticator = authenticator;
  }

  /**
   * HTTP Basic against a fixed set of users; without users every request is {@link
   * ReferenceServer#ANONYMOUS}.
   *
   * @param users user name to password
   * @return the authenticator
   */
  static Authenticator basic(Map<String, String> users) {
    Map<String, String> copy = Map.copyOf(users);
    return authorization -> authenticate(copy, authorization);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      DavReply reply;
      try {
        reply = answer(exchange, method);
      } catch (RuntimeException e) {
        // the last path segment may be a registration id: a capability, never logged
        LOG.warn(
            "reference server: {} {}… failed",
            method,
            DavTree.parentPath(exchange.getRequestURI().getRawPath()),
            e);
        reply = DavReply.text(500, "internal error");
      }
      send(exchange, reply, method.equals("HEAD"));
    }
  }

  private DavReply answer(HttpExchange ex, String method) throws IOException {
    String principal = authenticator.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
    if (principal == null) {
      return DavReply.text(401, "authentication required")
          .withHeader("WWW-Authenticate", List.of("Basic realm=\"davpush reference\""));
    }
    byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      return DavReply.text(413, "request body larger than " + MAX_BODY + " bytes");
    }
    String path = ex.getRequestURI().getRawPath();
    DavRequest request =
        new DavRequest(
            method, baseUri.resolve(path), path, ex.getRequestHeaders(), body, principal);
    return handler.handle(request);
  }

  private static @Nullable String authenticate(Map<String, String> users, @Nullable String auth) {
    if (users.isEmpty()) {
      return ReferenceServer.ANONYMOUS;
    }
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String expected = users.get(user);
    boolean ok =
        expected != null
            && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    return ok ? user : null;
  }

  private static void send(HttpExchange ex, DavReply reply, boolean head) throws IOException {
    Headers out = ex.getResponseHeaders();
    reply.headers().forEach(out::put);
    byte[] body = reply.body();
    if (head) {
      out.set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(reply.status(), -1);
      return;
    }
    boolean noBody = reply.status() == 204 || reply.status() == 304 || body.length == 0;
    ex.sendResponseHeaders(reply.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }
}
