package dev.davpush.webpush.internal;

import dev.davpush.DeliveryException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2RequesterBootstrap;
import org.apache.hc.core5.http2.protocol.H2RequestConnControl;
import org.apache.hc.core5.http2.protocol.H2RequestContent;
import org.apache.hc.core5.http2.protocol.H2RequestTargetHost;
import org.apache.hc.core5.http2.ssl.H2ClientTlsStrategy;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * HTTP plumbing for the transport: the pooled HttpCore 5 requester (HTTP/2 via TLS ALPN where
 * offered, else HTTP/1.1; no redirects, retries, cookies or authentication caching, because
 * HttpCore has none of them), the classification of failures into {@link Reason}s, and {@code
 * Retry-After} parsing.
 *
 * <p>The requester is HttpCore's, not HttpClient's, on purpose: HttpCore 5 does not log, whereas
 * HttpClient's execution chain logs request URIs ({@code HttpAsyncMainClientExec}), headers
 * including {@code Authorization} ({@code org.apache.hc.client5.http.headers}) and wire bytes
 * ({@code org.apache.hc.client5.http.wire}) at DEBUG. Push resource URLs are capability URLs and
 * the VAPID token is a credential, so requests of the transport's own connections never pass
 * through HttpClient.
 *
 * <p>Thread safety: stateless.
 */
public final class HttpSupport {
  private HttpSupport() {}

  /**
   * The longest {@code Retry-After} honoured: one day. Larger delta-seconds and later HTTP-dates
   * are capped to it, so that a push service cannot park a delivery for ever, nor make {@code
   * Instant.plus} overflow in the engine.
   */
  public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  /** The {@code User-Agent} of the transport's own requests. */
  public static final String USER_AGENT = "davpush";

  /**
   * Creates (not starts) the transport's own requester with a strict connection pool.
   *
   * @param connectTimeout the TLS handshake limit; the transport also enforces it itself from the
   *     lease until the request head is sent, because with HttpCore 5.3 an expired handshake
   *     timeout does not fail an exchange already waiting on the connection
   * @param responseTimeout socket inactivity limit of every connection, in particular while waiting
   *     for an answer
   * @param sslContext the TLS context, or null for the JVM's default (system trust store)
   * @param maxPerRoute the most connections per route (scheme, host, address, port)
   * @param maxTotal the most connections in all
   * @return the requester; the caller starts and closes it
   */
  public static HttpAsyncRequester createRequester(
      Duration connectTimeout,
      Duration responseTimeout,
      @Nullable SSLContext sslContext,
      int maxPerRoute,
      int maxTotal) {
    return H2RequesterBootstrap.bootstrap()
        .setIOReactorConfig(
            IOReactorConfig.custom()
                .setSoTimeout(Timeout.of(responseTimeout))
                // HttpCore checks timeouts once per select interval (default 1 s): a shorter
                // response or connect timeout needs a shorter interval to fire on time
                .setSelectInterval(
                    Timeout.ofMilliseconds(
                        Math.max(
                            10,
                            Math.min(
                                1000,
                                Math.min(connectTimeout.toMillis(), responseTimeout.toMillis())
                                    / 4))))
                .setIoThreadCount(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .build())
        .setVersionPolicy(HttpVersionPolicy.NEGOTIATE)
        .setTlsStrategy(
            sslContext == null ? new H2ClientTlsStrategy() : new H2ClientTlsStrategy(sslContext))
        .setHandshakeTimeout(Timeout.of(connectTimeout))
        // One processor serves both protocols: the H2 interceptors act as their HTTP/1.1
        // counterparts on HTTP/1.1 requests. No "Expect: 100-continue": bodies are at most 4 KiB,
        // and waiting for a 100 that a push service may never send would cost a round trip.
        .setHttpProcessor(
            HttpProcessorBuilder.create()
                .addAll(
                    H2RequestTargetHost.INSTANCE,
                    H2RequestContent.INSTANCE,
                    H2RequestConnControl.INSTANCE,
                    new RequestUserAgent(USER_AGENT))
                .build())
        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
        .setPoolReusePolicy(PoolReusePolicy.LIFO)
        .setDefaultMaxPerRoute(maxPerRoute)
        .setMaxTotal(maxTotal)
        .create();
  }

  /**
   * Classifies a failure without an answer. The outermost recognised type in the cause chain
   * decides: TLS ({@link SSLException}), name resolution ({@link UnknownHostException}), timeout
   * ({@link SocketTimeoutException}, {@link TimeoutException}, other {@link
   * InterruptedIOException}s such as connect timeouts), connection failure ({@link
   * java.net.ConnectException}, {@link SocketException} such as a reset, HttpCore's {@link
   * ConnectionClosedException}, {@link EOFException}, {@link ClosedChannelException}, and any other
   * {@link IOException}); anything else (for example a malformed answer) is {@link Reason#OTHER}.
   *
   * @param failure what the HTTP layer reported; {@link CompletionException} and {@link
   *     ExecutionException} wrappers are looked through
   * @return the reason
   */
  public static Reason reasonOf(Throwable failure) {
    boolean io = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CompletionException || t instanceof ExecutionException) {
        continue;
      }
      if (t instanceof SSLException) {
        return Reason.TLS;
      }
      if (t instanceof UnknownHostException) {
        return Reason.NAME_RESOLUTION;
      }
      if (t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof InterruptedIOException) {
        return Reason.TIMEOUT;
      }
      if (t instanceof SocketException
          || t instanceof ConnectionClosedException
          || t instanceof EOFException
          || t instanceof ClosedChannelException) {
        return Reason.CONNECTION_FAILED;
      }
      io |= t instanceof IOException;
      if (t.getCause() == t) {
        break;
      }
    }
    return io ? Reason.CONNECTION_FAILED : Reason.OTHER;
  }

  /**
   * Parses {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), capped at {@link
   * #MAX_RETRY_AFTER}.
   *
   * @param value the header value
   * @param now the current time, for dates
   * @return the delay in [0, {@link #MAX_RETRY_AFTER}]: zero for a past date, the cap for larger
   *     values (however many digits); null if unparsable (including negative numbers)
   */
  public static @Nullable Duration parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      String digits = v.replaceFirst("^0+(?=.)", "");
      // More than 18 digits may not fit a long; any such value is far above the cap anyway.
      if (digits.length() > 18) {
        return MAX_RETRY_AFTER;
      }
      return cap(Duration.ofSeconds(Long.parseLong(digits)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : cap(d);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration cap(Duration d) {
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
