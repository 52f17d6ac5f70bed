package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The answer {@link PushRequestHandler} gives: status, headers and body, for the server to copy
 * onto its HTTP response.
 *
 * <p>Thread safety: immutable.
 */
public final class HandlerResponse {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private HandlerResponse(int status, Map<String, List<String>> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /**
   * A response.
   *
   * @param status the HTTP status code, 100..599
   * @param headers header names to values; copied, order kept
   * @param body the body bytes; copied; empty for none
   * @return the response
   * @throws IllegalArgumentException if the status is out of range
   */
  public static HandlerResponse of(int status, Map<String, List<String>> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: expected 100..599, got " + status);
    }
    Map<String, List<String>> h = new LinkedHashMap<>();
    requireNonNull(headers, "headers").forEach((k, v) -> h.put(k, List.copyOf(v)));
    return new HandlerResponse(
        status, Collections.unmodifiableMap(h), requireNonNull(body, "body").clone());
  }

  static Builder builder(int status) {
    return new Builder(status);
  }

  /**
   * The status code.
   *
   * @return for example 201
   */
  public int status() {
    return status;
  }

  /**
   * The headers to set.
   *
   * @return an unmodifiable map, names as written here ({@code Location}, {@code Expires}, {@code
   *     Content-Type})
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * The first value of a header, case-insensitively.
   *
   * @param name the name
   * @return the value, or null if absent
   */
  public @Nullable String header(String name) {
    requireNonNull(name, "name");
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /**
   * The body.
   *
   * @return a fresh copy; empty if there is none
   */
  public byte[] body() {
    return body.clone();
  }

  /** Status and header names only; the body may hold details of the request. */
  @Override
  public String toString() {
    return "HandlerResponse["
        + status
        + ", headers="
        + headers.keySet()
        + ", body="
        + body.length
        + " bytes]";
  }

  static final class Builder {
    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    private Builder(int status) {
      this.status = status;
    }

    Builder header(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    Builder body(byte[] body, String contentType) {
      this.body = body;
      header("Content-Type", contentType);
      return this;
    }

    Builder text(String message) {
      return body(message.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    HandlerResponse build() {
      Map<String, List<String>> h = new LinkedHashMap<>();
      headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
      return new HandlerResponse(status, Collections.unmodifiableMap(h), body);
    }
  }
}
