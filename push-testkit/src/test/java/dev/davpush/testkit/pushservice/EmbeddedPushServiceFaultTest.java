package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.testkit.pushservice.EmbeddedPushService.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's scripted failures without an HTTP answer ({@link EmbeddedPushService#injectFault})
 * and its record of client connections ({@link EmbeddedPushService#clientAddresses}), seen from a
 * raw socket so that "no answer" and "connection closed" are observed as such.
 */
class EmbeddedPushServiceFaultTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** How long a raw client waits for an answer before concluding there is none. */
  private static final int NO_ANSWER_MILLIS = 300;

  private EmbeddedPushService service;
  private PushServiceSubscription sub;

  @BeforeEach
  void start() {
    service = EmbeddedPushService.start();
    sub = service.subscribe();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void hangRecordsTheRequestAndSendsNoAnswer() throws IOException {
    service.injectFault(sub, Fault.HANG, 1);
    try (Socket s = connect()) {
      post(s);
      assertThat(sub.awaitMessage(WAIT))
          .hasValueSatisfying(p -> assertThat(p.status()).isEqualTo(EmbeddedPushService.NO_ANSWER));
      s.setSoTimeout(NO_ANSWER_MILLIS);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void closingTheServiceReleasesAHangingExchange() throws IOException {
    service.injectFault(sub, Fault.HANG, 1);
    try (Socket s = connect()) {
      post(s);
      assertThat(sub.awaitMessage(WAIT)).isPresent();
      service.close();
      s.setSoTimeout((int) WAIT.toMillis());
      assertThat(readAll(s.getInputStream())).isEmpty();
    }
  }

  @Test
  void hangingExchangesHoldNoRequestThread() throws IOException {
    // more hanging exchanges than the service has request threads, then a normal request
    int hangs = 8;
    service.injectFault(sub, Fault.HANG, hangs);
    Socket[] sockets = new Socket[hangs];
    try {
      for (int i = 0; i < hangs; i++) {
        sockets[i] = connect();
        post(sockets[i]);
        assertThat(sub.awaitMessage(WAIT)).isPresent();
      }
      sub.answerWith(202);
      try (Socket s = connect()) {
        post(s);
        assertThat(statusLine(s)).isEqualTo("HTTP/1.1 202 Accepted");
      }
    } finally {
      for (Socket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  @Test
  void closeConnectionRecordsTheRequestAndClosesWithoutAnswer() throws IOException {
    service.injectFault(sub, Fault.CLOSE_CONNECTION, 1);
    try (Socket s = connect()) {
      post(s);
      s.setSoTimeout((int) WAIT.toMillis());
      assertThat(readAll(s.getInputStream())).isEmpty();
    }
    assertThat(sub.received())
        .singleElement()
        .satisfies(p -> assertThat(p.status()).isEqualTo(EmbeddedPushService.NO_ANSWER));
  }

  @Test
  void faultsComeFirstAndScriptedAnswersWaitBehindThem() throws IOException {
    sub.answerWith(503);
    service.injectFault(sub, Fault.CLOSE_CONNECTION, 2);
    for (int i = 0; i < 2; i++) {
      try (Socket s = connect()) {
        post(s);
        s.setSoTimeout((int) WAIT.toMillis());
        assertThat(readAll(s.getInputStream())).isEmpty();
      }
    }
    try (Socket s = connect()) {
      post(s);
      assertThat(statusLine(s)).isEqualTo("HTTP/1.1 503 Service Unavailable");
    }
    assertThat(sub.received()).extracting(ReceivedPush::status).containsExactly(0, 0, 503);
  }

  @Test
  void clearedAnswersAreDroppedAndTheRulesAnswerAgain() throws IOException {
    sub.answerWith(413);
    sub.answerWith(413);
    sub.answerWith(413);
    try (Socket s = connect()) {
      post(s);
      assertThat(statusLine(s)).startsWith("HTTP/1.1 413 ");
    }

    assertThat(sub.clearAnswers()).isEqualTo(2);
    assertThat(sub.clearAnswers()).isZero();
    try (Socket s = connect()) {
      post(s);
      // by the rules: this bare request carries no encrypted body
      assertThat(statusLine(s)).isEqualTo("HTTP/1.1 400 Bad Request");
    }
  }

  @Test
  void clientAddressesTellConnectionsApart() throws IOException {
    sub.answerWith(202);
    sub.answerWith(202);
    sub.answerWith(202);
    try (Socket first = connect();
        Socket second = connect()) {
      post(first);
      assertThat(statusLine(first)).endsWith("202 Accepted");
      drainBody(first);
      post(first); // same connection, kept alive
      assertThat(statusLine(first)).endsWith("202 Accepted");
      post(second);
      assertThat(statusLine(second)).endsWith("202 Accepted");
      assertThat(service.clientAddresses(sub))
          .containsExactly(
              (InetSocketAddress) first.getLocalSocketAddress(),
              (InetSocketAddress) first.getLocalSocketAddress(),
              (InetSocketAddress) second.getLocalSocketAddress());
    }
  }

  @Test
  void refusesFaultsForForeignSubscriptionsAndCountsBelowOne() {
    try (EmbeddedPushService other = EmbeddedPushService.start()) {
      PushServiceSubscription foreign = other.subscribe();
      assertThatThrownBy(() -> service.injectFault(foreign, Fault.HANG, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("subscription of this push service");
      assertThatThrownBy(() -> service.clientAddresses(foreign))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> service.injectFault(sub, Fault.HANG, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("times: expected >= 1, got 0");
    assertThat(service.clientAddresses(sub)).isEmpty();
  }

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), service.port());
  }

  /** A POST without body on the subscription's push resource, HTTP/1.1 keep-alive. */
  private void post(Socket s) throws IOException {
    String request =
        "POST "
            + sub.pushResource().uri().getRawPath()
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + service.port()
            + "\r\n"
            + "TTL: 60\r\n"
            + "Content-Length: 0\r\n\r\n";
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String statusLine(Socket s) throws IOException {
    s.setSoTimeout((int) WAIT.toMillis());
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** Skips the rest of an answer head and a body with Content-Length. */
  private static void drainBody(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    int length = 0;
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        continue;
      }
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      if (line.length() == 0) {
        break;
      }
      String h = line.toString().toLowerCase(java.util.Locale.ROOT);
      if (h.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring("content-length:".length()).trim());
      }
      line.setLength(0);
    }
    in.readNBytes(length);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      in.transferTo(bytes);
    } catch (java.net.SocketException reset) {
      // a reset instead of an orderly close: no answer either way
    }
    return bytes.toByteArray();
  }
}
