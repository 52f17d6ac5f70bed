package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as {@link PushRequestHandler} needs it, independent of any server framework:
 * method, absolute request URI, the server-relative path of the target resource, headers, body and
 * the authenticated principal.
 *
 * <p>The body is wrapped in a buffered stream that supports {@code mark}/{@code reset}: the handler
 * peeks at the start of a {@code POST} body to recognise {@code push-register} and, when it
 * declines, resets it, so the DAV server must read the body from {@link #body()} afterwards, not
 * from its original stream.
 *
 * <p>Thread safety: not thread-safe (it holds a stream); use from the request's thread.
 */
public final class HandlerRequest {
  private final String method;
  private final URI uri;
  private final String path;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final @Nullable String principal;

  private HandlerRequest(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.path = b.path;
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = h;
    InputStream in = b.body;
    this.body = in.markSupported() ? in : new BufferedInputStream(in, 8192);
    this.principal = b.principal;
  }

  /**
   * A builder.
   *
   * @param method the HTTP method, for example {@code POST}; compared case-sensitively as HTTP
   *     requires, upper case expected
   * @param uri the absolute request URI (scheme, authority, path, query)
   * @param path the server-relative path of the target resource as the DAV server names it (the
   *     path {@link dev.davpush.spi.DavResources} understands)
   * @return a builder with no headers, an empty body and no principal
   * @throws IllegalArgumentException if the URI is not absolute
   */
  public static Builder builder(String method, URI uri, String path) {
    return new Builder(method, uri, path);
  }

  /**
   * The method.
   *
   * @return for example {@code POST}
   */
  public String method() {
    return method;
  }

  /**
   * The absolute request URI.
   *
   * @return the URI
   */
  public URI uri() {
    return uri;
  }

  /**
   * The server-relative path of the target resource.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * The field values of a header, case-insensitively by name.
   *
   * @param name the header name
   * @return the values in the order received; empty if absent
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(requireNonNull(name, "name"), List.of());
  }

  /**
   * The first value of a header.
   *
   * @param name the header name
   * @return the value, or null if absent
   */
  public @Nullable String header(String name) {
    List<String> v = headers(name);
    return v.isEmpty() ? null : v.get(0);
  }

  /**
   * The body, supporting {@code mark}/{@code reset}.
   *
   * @return the stream; empty if the request had no body
   */
  public InputStream body() {
    return body;
  }

  /**
   * The authenticated principal.
   *
   * @return the principal name, or null if the request is not authenticated
   */
  public @Nullable String principal() {
    return principal;
  }

  @Override
  public String toString() {
    return "HandlerRequest[" + method + " " + path + "]";
  }

  /**
   * Builds a {@link HandlerRequest}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private final String method;
    private final URI uri;
    private final String path;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private InputStream body = InputStream.nullInputStream();
    private @Nullable String principal;

    private Builder(String method, URI uri, String path) {
      this.method = requireNonNull(method, "method").strip().toUpperCase(Locale.ROOT);
      this.uri = requireNonNull(uri, "uri");
      this.path = requireNonNull(path, "path");
      if (!uri.isAbsolute()) {
        throw new IllegalArgumentException("uri: expected an absolute request URI");
      }
    }

    /**
     * Adds one header field value.
     *
     * @param name the name, any case
     * @param value the field value
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers
          .computeIfAbsent(requireNonNull(name, "name"), k -> new ArrayList<>())
          .add(requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds header field values, as servlet-style maps hold them.
     *
     * @param all names to values
     * @return this builder
     */
    public Builder headers(Map<String, ? extends List<String>> all) {
      requireNonNull(all, "all")
          .forEach(
              (k, v) -> {
                for (String value : v) {
                  header(k, value);
                }
              });
      return this;
    }

    /**
     * Sets the body.
     *
     * @param body the stream, read by the handler only for requests it handles; not closed
     * @return this builder
     */
    public Builder body(InputStream body) {
      this.body = requireNonNull(body, "body");
      return this;
    }

    /**
     * Sets the body from bytes.
     *
     * @param body the bytes; not copied
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = new ByteArrayInputStream(requireNonNull(body, "body"));
      return this;
    }

    /**
     * Sets the authenticated principal.
     *
     * @param principal the name, or null for an anonymous request
     * @return this builder
     */
    public Builder principal(@Nullable String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public HandlerRequest build() {
      return new HandlerRequest(this);
    }
  }
}
