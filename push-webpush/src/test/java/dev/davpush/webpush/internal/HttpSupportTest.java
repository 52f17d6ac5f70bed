package dev.davpush.webpush.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.DeliveryException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.junit.jupiter.api.Test;

/** {@link HttpSupport#parseRetryAfter}: delta-seconds and HTTP-date, capped, never negative. */
class HttpSupportTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static String date(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC));
  }

  @Test
  void readsDeltaSecondsBelowTheCap() {
    assertThat(HttpSupport.parseRetryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(HttpSupport.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void capsHugeDeltaSecondsSoThatAddingThemToAnInstantCannotOverflow() {
    for (String v :
        new String[] {
          "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "86401"
        }) {
      Duration d = HttpSupport.parseRetryAfter(v, NOW);

      assertThat(d).as(v).isEqualTo(HttpSupport.MAX_RETRY_AFTER);
      assertThat(Instant.MAX.minusSeconds(86_400 * 2).plus(d)).as(v).isBefore(Instant.MAX);
    }
  }

  @Test
  void keepsADelayOfExactlyTheCap() {
    assertThat(HttpSupport.parseRetryAfter("86400", NOW)).isEqualTo(Duration.ofDays(1));
    assertThat(HttpSupport.MAX_RETRY_AFTER).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void capsAFarFutureHttpDate() {
    String far = "Fri, 31 Dec 9999 23:59:59 GMT";

    assertThat(HttpSupport.parseRetryAfter(far, NOW)).isEqualTo(HttpSupport.MAX_RETRY_AFTER);
    assertThat(HttpSupport.parseRetryAfter(date(NOW.plusSeconds(300)), NOW))
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void aPastHttpDateMeansNoDelay() {
    assertThat(HttpSupport.parseRetryAfter(date(NOW.minusSeconds(300)), NOW))
        .isEqualTo(Duration.ZERO);
    assertThat(HttpSupport.parseRetryAfter("Mon, 01 Jan 1900 00:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void negativeOrGarbageValuesAreAbsent() {
    for (String v : new String[] {"-1", "-9223372036854775808", "", "soon", "1.5", "+3"}) {
      assertThat(HttpSupport.parseRetryAfter(v, NOW)).as(v).isNull();
    }
  }

  @Test
  void classifiesFailuresWithoutAnAnswer() {
    assertThat(HttpSupport.reasonOf(new ConnectException("Connection refused")))
        .isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(HttpSupport.reasonOf(new SocketException("Connection reset")))
        .isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(HttpSupport.reasonOf(new ConnectionClosedException()))
        .isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(HttpSupport.reasonOf(new IOException("stream reset")))
        .isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(HttpSupport.reasonOf(new SocketTimeoutException("read"))).isEqualTo(Reason.TIMEOUT);
    assertThat(
            HttpSupport.reasonOf(
                DeadlineTimeoutException.from(
                    org.apache.hc.core5.util.Deadline.calculate(
                        org.apache.hc.core5.util.TimeValue.ZERO_MILLISECONDS))))
        .isEqualTo(Reason.TIMEOUT);
    assertThat(HttpSupport.reasonOf(new UnknownHostException("push.example")))
        .isEqualTo(Reason.NAME_RESOLUTION);
    assertThat(HttpSupport.reasonOf(new SSLHandshakeException("PKIX path building failed")))
        .isEqualTo(Reason.TLS);
    assertThat(HttpSupport.reasonOf(new ProtocolException("not HTTP"))).isEqualTo(Reason.OTHER);
    assertThat(HttpSupport.reasonOf(new IllegalStateException())).isEqualTo(Reason.OTHER);
  }

  @Test
  void looksThroughWrappersAndDecidesOnTheOutermostRecognisedType() {
    SSLHandshakeException tls = new SSLHandshakeException("handshake");
    tls.initCause(new SocketException("Connection reset"));
    assertThat(HttpSupport.reasonOf(new CompletionException(tls))).isEqualTo(Reason.TLS);
    assertThat(
            HttpSupport.reasonOf(
                new ExecutionException(new RuntimeException(new ConnectException("refused")))))
        .isEqualTo(Reason.CONNECTION_FAILED);
  }
}
