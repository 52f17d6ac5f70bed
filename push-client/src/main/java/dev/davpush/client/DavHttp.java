package dev.davpush.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.BearerToken;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of {@link DavPushClient}: one request with credentials for its origin (after a
 * challenge, or pre-emptively), a bounded body, a response timeout and a total deadline, and
 * redirects followed only within the origin.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class DavHttp {
  private static final List<Integer> REDIRECTS = List.of(301, 302, 307, 308);

  private final CloseableHttpAsyncClient client;
  private final Map<String, Supplier<@Nullable DavCredentials>> credentials;
  private final boolean preemptive;
  private final Duration responseTimeout;
  private final Duration requestTimeout;
  private final int maxResponseBytes;
  private final ScheduledExecutorService timer;

  DavHttp(
      CloseableHttpAsyncClient client,
      Map<String, Supplier<@Nullable DavCredentials>> credentials,
      boolean preemptive,
      Duration responseTimeout,
      Duration requestTimeout,
      int maxResponseBytes,
      ScheduledExecutorService timer) {
    this.client = client;
    this.credentials = Map.copyOf(credentials);
    this.preemptive = preemptive;
    this.responseTimeout = responseTimeout;
    this.requestTimeout = requestTimeout;
    this.maxResponseBytes = maxResponseBytes;
    this.timer = timer;
  }

  /**
   * Sends a request and follows same-origin redirects.
   *
   * @param method the method
   * @param uri absolute http(s) URL
   * @param headers extra field lines, name to values
   * @param body the body or null
   * @param contentType the body's media type, or null
   * @return the final answer; fails with {@link DavTransportException}, {@link
   *     RedirectRefusedException} or {@link DavResponseException}
   */
  CompletableFuture<DavAnswer> send(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte @Nullable [] body,
      @Nullable String contentType) {
    CompletableFuture<DavAnswer> result = new CompletableFuture<>();
    AtomicBoolean done = new AtomicBoolean();
    List<Future<?>> inFlight = new ArrayList<>(1);
    ScheduledFuture<?> deadline;
    try {
      deadline = schedule(method, uri, result, done, inFlight);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new DavPushClientException(
              DavAnswer.where(method, uri) + ": the client is closed; build a new one", e));
      return result;
    }
    result.whenComplete((a, t) -> deadline.cancel(false));
    try {
      hop(method, uri, uri, headers, body, contentType, 0, result, done, inFlight);
    } catch (RuntimeException e) {
      // HttpClient refuses to execute when it was closed or never started
      if (done.compareAndSet(false, true)) {
        result.completeExceptionally(
            new DavTransportException(
                DavAnswer.where(method, uri)
                    + ": the HTTP client refused the request ("
                    + e.getClass().getSimpleName()
                    + "); is it started and not closed?",
                false,
                e));
      }
    }
    return result;
  }

  private ScheduledFuture<?> schedule(
      String method,
      URI uri,
      CompletableFuture<DavAnswer> result,
      AtomicBoolean done,
      List<Future<?>> inFlight) {
    return timer.schedule(
        () -> {
          if (done.compareAndSet(false, true)) {
            synchronized (inFlight) {
              inFlight.forEach(f -> f.cancel(true));
            }
            result.completeExceptionally(
                new DavTransportException(
                    DavAnswer.where(method, uri)
                        + ": no complete answer within "
                        + requestTimeout.toMillis()
                        + " ms (requestTimeout); the server is slow or unreachable",
                    true,
                    new TimeoutException("request deadline")));
          }
        },
        requestTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void hop(
      String method,
      URI original,
      URI uri,
      Map<String, List<String>> headers,
      byte @Nullable [] body,
      @Nullable String contentType,
      int redirects,
      CompletableFuture<DavAnswer> result,
      AtomicBoolean done,
      List<Future<?>> inFlight) {
    SimpleHttpRequest request = SimpleHttpRequest.create(method, uri);
    headers.forEach((name, values) -> values.forEach(v -> request.addHeader(name, v)));
    if (body != null) {
      request.setBody(
          body, contentType == null ? ContentType.APPLICATION_OCTET_STREAM : parse(contentType));
    }
    Supplier<@Nullable DavCredentials> source = credentials.get(originKey(uri));
    DavCredentials creds;
    try {
      creds = source == null ? null : source.get();
    } catch (RuntimeException e) {
      if (done.compareAndSet(false, true)) {
        result.completeExceptionally(
            new DavPushClientException(
                DavAnswer.where(method, uri) + ": the credentials supplier failed: " + e, e));
      }
      return;
    }
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(
        RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setResponseTimeout(Timeout.of(responseTimeout))
            .setConnectionRequestTimeout(Timeout.of(requestTimeout))
            .build());
    if (creds != null) {
      context.setCredentialsProvider(new OneOrigin(uri, creds));
      if (preemptive) {
        request.setHeader("Authorization", creds.authorization());
      }
    }
    Future<DavAnswer> f =
        client.execute(
            SimpleRequestProducer.create(request),
            new BoundedConsumer(method, uri, maxResponseBytes),
            context,
            new FutureCallback<>() {
              @Override
              public void completed(DavAnswer answer) {
                if (done.get()) {
                  return;
                }
                if (REDIRECTS.contains(answer.status()) && answer.header("Location").isPresent()) {
                  URI target;
                  try {
                    target = uri.resolve(answer.header("Location").get().strip());
                  } catch (IllegalArgumentException e) {
                    finish(answer);
                    return;
                  }
                  if (!sameOrigin(uri, target)) {
                    fail(
                        new RedirectRefusedException(
                            answer.where()
                                + ": redirected to another origin, "
                                + RedirectRefusedException.origin(target)
                                + "; DAV requests follow redirects only within their origin."
                                + " Use the target's URL directly if it is trusted",
                            uri,
                            target));
                    return;
                  }
                  if (redirects >= DavPushClient.MAX_REDIRECTS) {
                    fail(
                        new RedirectRefusedException(
                            answer.where()
                                + ": more than "
                                + DavPushClient.MAX_REDIRECTS
                                + " redirects",
                            original,
                            target));
                    return;
                  }
                  hop(
                      method,
                      original,
                      target,
                      headers,
                      body,
                      contentType,
                      redirects + 1,
                      result,
                      done,
                      inFlight);
                  return;
                }
                finish(answer);
              }

              @Override
              public void failed(Exception ex) {
                if (ex instanceof BodyTooLarge) {
                  fail(new DavResponseException(String.valueOf(ex.getMessage()), ex));
                  return;
                }
                boolean timeout =
                    ex instanceof InterruptedIOException || ex instanceof TimeoutException;
                fail(
                    new DavTransportException(
                        DavAnswer.where(method, uri)
                            + (timeout
                                ? ": no answer within the response timeout of "
                                    + responseTimeout.toMillis()
                                    + " ms"
                                : ": no answer (" + ex.getClass().getSimpleName() + ")"),
                        timeout,
                        ex));
              }

              @Override
              public void cancelled() {
                fail(
                    new DavTransportException(
                        DavAnswer.where(method, uri) + ": cancelled",
                        false,
                        new java.util.concurrent.CancellationException()));
              }

              private void finish(DavAnswer a) {
                if (done.compareAndSet(false, true)) {
                  result.complete(a);
                }
              }

              private void fail(Exception e) {
                if (done.compareAndSet(false, true)) {
                  result.completeExceptionally(e);
                }
              }
            });
    synchronized (inFlight) {
      inFlight.clear();
      inFlight.add(f);
      if (done.get()) {
        f.cancel(true);
      }
    }
  }

  /**
   * The origin as a map key: lower-case scheme and host, explicit port.
   *
   * @param u an absolute http(s) URL
   * @return for example {@code https://dav.example.com:443}
   */
  static String originKey(URI u) {
    return u.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + u.getHost().toLowerCase(Locale.ROOT)
        + ":"
        + port(u);
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && b.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && b.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static ContentType parse(String contentType) {
    return ContentType.parse(contentType);
  }

  /** Answers the credentials only for the request's origin, whatever the realm. */
  private static final class OneOrigin implements CredentialsProvider {
    private final String host;
    private final int port;
    private final DavCredentials creds;

    OneOrigin(URI uri, DavCredentials creds) {
      this.host = uri.getHost();
      this.port = port(uri);
      this.creds = creds;
    }

    @Override
    public @Nullable Credentials getCredentials(AuthScope scope, @Nullable HttpContext context) {
      if (scope.getHost() != null && !scope.getHost().equalsIgnoreCase(host)) {
        return null;
      }
      if (scope.getPort() >= 0 && scope.getPort() != port) {
        return null;
      }
      String scheme = scope.getSchemeName();
      if (creds instanceof DavCredentials.Basic b) {
        return scheme == null || scheme.equalsIgnoreCase("Basic")
            ? new UsernamePasswordCredentials(b.user(), b.password())
            : null;
      }
      DavCredentials.Bearer t = (DavCredentials.Bearer) creds;
      return scheme == null || scheme.equalsIgnoreCase("Bearer")
          ? new BearerToken(t.token())
          : null;
    }
  }

  /** A body over the limit. */
  static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(String message) {
      super(message);
    }
  }

  /** Collects the answer, failing once the body exceeds the limit. */
  private static final class BoundedConsumer extends AbstractBinResponseConsumer<DavAnswer> {
    private final String method;
    private final URI uri;
    private final int max;
    private @Nullable HttpResponse response;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BoundedConsumer(String method, URI uri, int max) {
      this.method = method;
      this.uri = uri;
      this.max = max;
    }

    @Override
    protected void start(HttpResponse response, @Nullable ContentType contentType) {
      this.response = response;
    }

    @Override
    protected DavAnswer buildResult() {
      HttpResponse r = response;
      if (r == null) {
        throw new IllegalStateException("no response head");
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (Header h : r.getHeaders()) {
        headers
            .computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(h.getValue());
      }
      headers.replaceAll((k, v) -> List.copyOf(v));
      return new DavAnswer(method, uri, r.getCode(), Map.copyOf(headers), body.toByteArray());
    }

    @Override
    protected int capacityIncrement() {
      return 8192;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
      if (body.size() + src.remaining() > max) {
        throw new BodyTooLarge(
            DavAnswer.where(method, uri)
                + ": the answer's body exceeds "
                + max
                + " bytes (maxResponseBytes)");
      }
      byte[] chunk = new byte[src.remaining()];
      src.get(chunk);
      body.write(chunk, 0, chunk.length);
    }

    @Override
    public void releaseResources() {}
  }
}
