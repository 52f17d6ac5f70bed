package dev.davpush.testkit.internal.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP exchange's answer: method and URI of the request, status, headers (names compared
 * case-insensitively) and body.
 *
 * <p>Thread safety: immutable.
 */
public final class HttpResult {
  private final String method;
  private final URI uri;
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  HttpResult(String method, URI uri, int status, Map<String, List<String>> headers, byte[] body) {
    this.method = requireNonNull(method, "method");
    this.uri = requireNonNull(uri, "uri");
    this.status = status;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (k, v) ->
            h.merge(
                k,
                List.copyOf(v),
                (a, b) -> {
                  var all = new java.util.ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    this.headers = h;
    this.body = body.clone();
  }

  /** {@return the request method} */
  public String method() {
    return method;
  }

  /** {@return the request URI} */
  public URI uri() {
    return uri;
  }

  /** {@return the HTTP status} */
  public int status() {
    return status;
  }

  /**
   * The field lines of a header.
   *
   * @param name the header name, any case
   * @return the values in order; empty if absent
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /**
   * The first field line of a header.
   *
   * @param name the header name, any case
   * @return empty if absent
   */
  public Optional<String> header(String name) {
    List<String> v = headers(name);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** {@return a copy of the body} */
  public byte[] body() {
    return body.clone();
  }

  /** {@return the body decoded as UTF-8} */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * One line of evidence: method, path, status.
   *
   * @return for example {@code PUT /dav/cal/x.ics → 201}
   */
  public String evidence() {
    return method.toUpperCase(Locale.ROOT) + " " + uri.getRawPath() + " → " + status;
  }
}
