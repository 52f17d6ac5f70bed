package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP answer to a DAV request made through {@link DavPushClient#exchange}, after same-origin
 * redirects: the status is data here, never an exception.
 *
 * <p>Thread safety: immutable.
 *
 * @param method the request method
 * @param uri the URL that gave this answer (the request URL, or the last redirect target)
 * @param status the status code
 * @param headers field lines by lower-case name; copied
 * @param body the body, possibly empty; copied in and out
 */
public record DavAnswer(
    String method, URI uri, int status, Map<String, List<String>> headers, byte[] body) {
  /**
   * Validates and copies.
   *
   * @param method as described on the record
   * @param uri as described on the record
   * @param status as described on the record
   * @param headers as described on the record
   * @param body as described on the record
   */
  public DavAnswer {
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    body = requireNonNull(body, "body").clone();
  }

  /**
   * The body.
   *
   * @return a copy
   */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * The first field line of a header.
   *
   * @param name the header name, any letter case
   * @return the value; empty if absent
   */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /**
   * Every field line of a header.
   *
   * @param name the header name, any letter case
   * @return the values in order; empty if absent
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** {@return "METHOD scheme://host:port/path", without query, for messages} */
  String where() {
    return where(method, uri);
  }

  static String where(String method, URI uri) {
    return method + " " + RedirectRefusedException.origin(uri) + uri.getRawPath();
  }

  /** Shows method, URL without query, status and body size. */
  @Override
  public String toString() {
    return "DavAnswer[" + where() + " -> " + status + ", " + body.length + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DavAnswer a
        && method.equals(a.method)
        && uri.equals(a.uri)
        && status == a.status
        && headers.equals(a.headers)
        && java.util.Arrays.equals(body, a.body);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(method, uri, status, headers, java.util.Arrays.hashCode(body));
  }
}
