package dev.davpush.testkit.internal.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.client.DavAnswer;
import dev.davpush.client.DavCredentials;
import dev.davpush.client.DavPushClient;
import dev.davpush.client.DavPushClientException;
import dev.davpush.client.DavTransportException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The kit's DAV HTTP side, on {@code push-client}'s {@link DavPushClient#exchange}: any method,
 * Basic credentials for the target's origin sent after a challenge, redirects followed only within
 * the origin, push-client's timeouts ({@link DavPushClient#DEFAULT_CONNECT_TIMEOUT}, {@link
 * DavPushClient#DEFAULT_RESPONSE_TIMEOUT}, {@link DavPushClient#DEFAULT_REQUEST_TIMEOUT}). Every
 * answer is handed back raw, whatever its status, for the kit to judge.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} once when done.
 */
public final class DavHttpClient implements AutoCloseable {
  private final DavPushClient client;

  /**
   * Creates a client.
   *
   * @param server any URL of the server; credentials are sent to its origin only
   * @param user the Basic user name, or null for no credentials
   * @param password the Basic password, or null
   */
  public DavHttpClient(URI server, @Nullable String user, @Nullable String password) {
    DavPushClient.Builder b = DavPushClient.builder();
    if (user != null) {
      char[] secret = (password == null ? "" : password).toCharArray();
      b.credentials(server, DavCredentials.basic(user, secret));
    }
    this.client = b.build();
  }

  /**
   * Sends a request.
   *
   * @param method the method, for example {@code PROPFIND}
   * @param uri the absolute target
   * @param headers extra request headers (each value its own field line); a {@code Content-Type}
   *     among them is the body's media type
   * @param body the body, or null for none
   * @return the answer, whatever its status
   * @throws DavClientException if no answer could be obtained
   */
  public HttpResult send(
      String method, URI uri, Map<String, List<String>> headers, byte @Nullable [] body) {
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    Map<String, List<String>> extra = new LinkedHashMap<>();
    String contentType = null;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = e.getValue().isEmpty() ? null : e.getValue().get(0);
      } else {
        extra.put(e.getKey(), e.getValue());
      }
    }
    try {
      DavAnswer a = client.exchange(method, uri, extra, body, contentType).get();
      return new HttpResult(method, uri, a.status(), a.headers(), a.body());
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what = method + " " + uri.getRawPath() + " to " + origin(uri);
      if (cause instanceof DavTransportException t) {
        throw new DavClientException(
            t.timedOut()
                ? what + ": no answer within push-client's timeouts"
                : "cannot connect to " + origin(uri) + " (" + t.getMessage() + ")",
            t);
      }
      if (cause instanceof DavPushClientException c) {
        throw new DavClientException(what + ": " + c.getMessage(), c);
      }
      throw new DavClientException(what + " failed: " + cause, cause);
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
    var h = new LinkedHashMap<String, List<String>>(extra);
    h.put("Content-Type", List.of("application/xml; charset=\"utf-8\""));
    return send(method, uri, h, xml);
  }

  @Override
  public void close() {
    client.close();
  }

  static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
