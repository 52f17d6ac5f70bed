package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as the reference server's handlers see it: method, absolute URI, raw path,
 * headers (names compared case-insensitively), the whole body, and the authenticated principal.
 *
 * <p>Thread safety: immutable; {@link #body()} returns a copy.
 *
 * @param method the method, upper case
 * @param uri the absolute request URI (scheme, host and port of the server, the raw path)
 * @param path the raw request path, for example {@code /dav/files/a.txt}
 * @param headers the headers; the record keeps an unmodifiable case-insensitive copy
 * @param body the body, possibly empty; the record keeps a copy
 * @param principal the authenticated user, or {@link ReferenceServer#ANONYMOUS} when the server has
 *     no users
 */
public record DavRequest(
    String method,
    URI uri,
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    String principal) {
  /**
   * Copies and checks the components.
   *
   * @param method as on the record
   * @param uri as on the record
   * @param path as on the record
   * @param headers as on the record
   * @param body as on the record
   * @param principal as on the record
   */
  public DavRequest {
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    requireNonNull(path, "path");
    requireNonNull(principal, "principal");
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    requireNonNull(headers, "headers")
        .forEach(
            (k, v) ->
                h.merge(
                    k,
                    List.copyOf(v),
                    (a, b) -> {
                      List<String> all = new ArrayList<>(a);
                      all.addAll(b);
                      return List.copyOf(all);
                    }));
    headers = Collections.unmodifiableMap(h);
    body = requireNonNull(body, "body").clone();
  }

  /** {@return a copy of the body} */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * All values of a header.
   *
   * @param name the header name, any case
   * @return the values in order; empty if absent
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(requireNonNull(name, "name"), List.of());
  }

  /**
   * The first value of a header.
   *
   * @param name the header name, any case
   * @return the value, or null if absent
   */
  public @Nullable String header(String name) {
    List<String> v = headers(name);
    return v.isEmpty() ? null : v.get(0);
  }

  /**
   * This request with one header replaced (or removed).
   *
   * @param name the header name
   * @param values the new values; empty to remove the header
   * @return a new request
   */
  public DavRequest withHeader(String name, List<String> values) {
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    if (values.isEmpty()) {
      h.remove(name);
    } else {
      h.put(name, List.copyOf(values));
    }
    return new DavRequest(method, uri, path, h, body, principal);
  }

  /**
   * This request as if another user had sent it.
   *
   * @param otherPrincipal the principal
   * @return a new request
   */
  public DavRequest withPrincipal(String otherPrincipal) {
    return new DavRequest(method, uri, path, headers, body, otherPrincipal);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DavRequest r
        && method.equals(r.method)
        && uri.equals(r.uri)
        && path.equals(r.path)
        && headers.equals(r.headers)
        && java.util.Arrays.equals(body, r.body)
        && principal.equals(r.principal);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        method, uri, path, headers, java.util.Arrays.hashCode(body), principal);
  }

  /** Method and path only: the path's last segment may be a registration id, a capability. */
  @Override
  public String toString() {
    return "DavRequest[" + method + " " + path.substring(0, path.lastIndexOf('/') + 1) + "…]";
  }
}
