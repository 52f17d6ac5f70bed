package dev.davpush.client;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP answer to a DAV request, after same-origin redirects.
 *
 * @param method the request method
 * @param uri the URL that gave this answer (the request URL, or the last redirect target)
 * @param status the status code
 * @param headers field lines by lower-case name
 * @param body the body, possibly empty
 */
record DavAnswer(
    String method, URI uri, int status, Map<String, List<String>> headers, byte[] body) {

  Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** {@return "METHOD https://host:port/path" without query, for messages} */
  String where() {
    return where(method, uri);
  }

  static String where(String method, URI uri) {
    return method + " " + RedirectRefusedException.origin(uri) + uri.getRawPath();
  }
}
