package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP answer of the reference server's handlers: status, headers (names compared
 * case-insensitively) and body.
 *
 * <p>Thread safety: immutable; the {@code with…} methods return new replies.
 */
public final class DavReply {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private DavReply(int status, Map<String, List<String>> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: expected 100..599, got " + status);
    }
    this.status = status;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body.clone();
  }

  /**
   * A reply.
   *
   * @param status 100..599
   * @param headers the headers
   * @param body the body, possibly empty
   * @return the reply
   * @throws IllegalArgumentException if the status is out of range
   */
  public static DavReply of(int status, Map<String, List<String>> headers, byte[] body) {
    return new DavReply(status, requireNonNull(headers, "headers"), requireNonNull(body, "body"));
  }

  /**
   * A reply without body.
   *
   * @param status 100..599
   * @return the reply
   */
  public static DavReply empty(int status) {
    return new DavReply(status, Map.of(), new byte[0]);
  }

  /**
   * A reply with a one-line {@code text/plain} body.
   *
   * @param status 100..599
   * @param message the text; a newline is appended
   * @return the reply
   */
  public static DavReply text(int status, String message) {
    return new DavReply(
        status,
        Map.of("Content-Type", List.of("text/plain; charset=utf-8")),
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** {@return the status code} */
  public int status() {
    return status;
  }

  /** {@return the headers, unmodifiable, names case-insensitive} */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * The first value of a header.
   *
   * @param name any case
   * @return the value, or null if absent
   */
  public @Nullable String header(String name) {
    List<String> v = headers.get(requireNonNull(name, "name"));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** {@return a copy of the body} */
  public byte[] body() {
    return body.clone();
  }

  /** {@return the body as UTF-8 text} */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * This reply with another status.
   *
   * @param newStatus 100..599
   * @return a new reply
   */
  public DavReply withStatus(int newStatus) {
    return new DavReply(newStatus, headers, body);
  }

  /**
   * This reply with one header replaced, or removed when {@code values} is empty.
   *
   * @param name the header name
   * @param values the new values
   * @return a new reply
   */
  public DavReply withHeader(String name, List<String> values) {
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    if (values.isEmpty()) {
      h.remove(requireNonNull(name, "name"));
    } else {
      h.put(requireNonNull(name, "name"), List.copyOf(values));
    }
    return new DavReply(status, h, body);
  }

  /**
   * This reply with another body (headers unchanged; the server sets {@code Content-Length}).
   *
   * @param newBody the body
   * @return a new reply
   */
  public DavReply withBody(byte[] newBody) {
    return new DavReply(status, headers, requireNonNull(newBody, "newBody"));
  }

  /** Status and header names only; header values may carry registration URLs. */
  @Override
  public String toString() {
    return "DavReply[" + status + ", headers " + headers.keySet() + ", " + body.length + " bytes]";
  }
}
