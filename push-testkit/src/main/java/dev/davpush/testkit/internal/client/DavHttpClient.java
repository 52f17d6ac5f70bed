package dev.davpush.testkit.internal.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small WebDAV HTTP client on {@link java.net.http.HttpClient}: any method, optional Basic
 * credentials, bounded time for every request, no redirects followed.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class DavHttpClient {
  /** Default connect timeout: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default time for a whole request: 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final @Nullable String authorization;
  private final Duration requestTimeout;

  /**
   * Creates a client.
   *
   * @param user the Basic user name, or null for no credentials
   * @param password the Basic password, or null
   */
  public DavHttpClient(@Nullable String user, @Nullable String password) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (user + ":" + (password == null ? "" : password))
                            .getBytes(StandardCharsets.UTF_8));
    this.requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  }

  /**
   * Sends a request.
   *
   * @param method the method, for example {@code PROPFIND}
   * @param uri the absolute target
   * @param headers extra request headers (each value its own field line)
   * @param body the body, or null for none
   * @return the answer, whatever its status
   * @throws DavClientException if no answer could be obtained
   */
  public HttpResult send(
      String method, URI uri, Map<String, List<String>> headers, byte @Nullable [] body) {
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new HttpResult(method, uri, r.statusCode(), r.headers().map(), r.body());
    } catch (HttpTimeoutException e) {
      throw new DavClientException(
          method
              + " "
              + uri.getRawPath()
              + ": no answer within "
              + requestTimeout.toSeconds()
              + " s from "
              + origin(uri),
          e);
    } catch (ConnectException e) {
      throw new DavClientException("cannot connect to " + origin(uri) + " (" + e + ")", e);
    } catch (IOException e) {
      throw new DavClientException(
          method + " " + uri.getRawPath() + " to " + origin(uri) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DavClientException("interrupted while waiting for " + origin(uri), e);
    }
  }

  /**
   * Sends a request with an XML body.
   *
   * @param method the method
   * @param uri the target
   * @param extra extra headers
   * @param xml the UTF-8 XML body
   * @return the answer
   */
  public HttpResult sendXml(String method, URI uri, Map<String, List<String>> extra, byte[] xml) {
    var h = new java.util.LinkedHashMap<String, List<String>>(extra);
    h.put("Content-Type", List.of("application/xml; charset=\"utf-8\""));
    return send(method, uri, h, xml);
  }

  static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
