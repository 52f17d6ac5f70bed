package dev.davpush.webpush.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * HTTP plumbing for the transport: the pooled async client (HTTP/2 via ALPN where offered, no
 * redirects, no retries, no cookies, a DNS resolver that applies the push resource policy to every
 * address), and {@code Retry-After} parsing.
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

  /** Checks resolved addresses; throws to refuse the connection. */
  @FunctionalInterface
  public interface AddressCheck {
    /** Checks every address a host resolved to. */
    void check(String host, InetAddress[] addresses) throws UnknownHostException;
  }

  /** Creates (not starts) the transport's own client. */
  public static CloseableHttpAsyncClient createClient(
      Duration connectTimeout, Duration responseTimeout, RequestConfig requestConfig,
      AddressCheck check, @Nullable SSLContext sslContext) {
    DnsResolver resolver =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            check.check(host, addresses);
            return addresses;
          }

          @Override
          public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
          }
        };
    PoolingAsyncClientConnectionManagerBuilder cmb =
        PoolingAsyncClientConnectionManagerBuilder.create();
    if (sslContext != null) {
      cmb.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildAsync());
    }
    PoolingAsyncClientConnectionManager cm =
        cmb
            .setDnsResolver(resolver)
            .setMaxConnPerRoute(16)
            .setMaxConnTotal(256)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(responseTimeout))
                    .build())
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
            .build();
    return HttpAsyncClients.custom()
        .setConnectionManager(cm)
        .setDefaultRequestConfig(requestConfig)
        .setIOReactorConfig(
            IOReactorConfig.custom().setSoTimeout(Timeout.of(responseTimeout)).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .setUserAgent("davpush")
        .build();
  }

  /**
   * Parses {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), capped at
   * {@link #MAX_RETRY_AFTER}.
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
