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
   * Parses {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
   *
   * @param value the header value
   * @param now the current time, for dates
   * @return the delay, zero for a past date, or null if unparsable
   */
  public static @Nullable Duration parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return Duration.ofSeconds(Integer.MAX_VALUE);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
