package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPushServiceHttpsTest {
  private static final byte[] MESSAGE = "<push-message/>".getBytes(StandardCharsets.UTF_8);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static HttpResponse<String> post(SSLContext tls, PushServiceSubscription sub)
      throws IOException, InterruptedException {
    VapidKeyPair vapid = VapidKeyPair.generate();
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    byte[] body =
        WebPushEncryption.encrypt(MESSAGE, sub.keys().publicKey(), sub.keys().authSecret());
    HttpRequest request =
        HttpRequest.newBuilder(sub.pushResource().uri())
            .timeout(WAIT)
            .header("TTL", "60")
            .header("Content-Encoding", "aes128gcm")
            .header(
                "Authorization",
                Vapid.authorization(
                    vapid,
                    sub.pushResource().origin(),
                    Instant.now().plus(Duration.ofHours(1)),
                    "mailto:ops@example.org"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void acceptsAPushOverTlsFromAClientThatTrustsTheKitCa() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    try (EmbeddedPushService service = EmbeddedPushService.builder().https(ca).start()) {
      PushServiceSubscription sub = service.subscribe();

      HttpResponse<String> answer = post(ca.trustingContext(), sub);

      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(sub.pushResource().uri().getScheme()).isEqualTo("https");
      assertThat(service.isHttps()).isTrue();
      assertThat(service.origin()).isEqualTo("https://127.0.0.1:" + service.port());
      assertThat(service.trustAnchor()).contains(ca.certificate());
      assertThat(sub.awaitMessage(WAIT)).isPresent();
      assertThat(service.tlsHandshakeFailures()).isEmpty();
    }
  }

  @Test
  void reportsAClientThatRejectsTheCertificate() throws Exception {
    try (EmbeddedPushService service = EmbeddedPushService.builder().https().start()) {
      PushServiceSubscription sub = service.subscribe();

      assertThatThrownBy(() -> post(SSLContext.getDefault(), sub))
          .isInstanceOf(SSLHandshakeException.class);

      List<TlsHandshakeFailure> failures = service.awaitTlsHandshakeFailures(1, WAIT);
      assertThat(failures).isNotEmpty();
      assertThat(failures.get(0).kind())
          .as(failures.get(0).detail())
          .isEqualTo(TlsHandshakeFailure.Kind.CERTIFICATE_REJECTED);
      assertThat(sub.received()).isEmpty();
    }
  }

  @Test
  void reportsPlainHttpOnTheTlsPort() throws Exception {
    try (EmbeddedPushService service = EmbeddedPushService.builder().https().start();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          "POST /push/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes(); // the service closes the connection

      List<TlsHandshakeFailure> failures = service.awaitTlsHandshakeFailures(1, WAIT);
      assertThat(failures)
          .extracting(TlsHandshakeFailure::kind)
          .containsExactly(TlsHandshakeFailure.Kind.PLAINTEXT_HTTP);
    }
  }

  @Test
  void mintsPushResourcesUnderTheAdvertisedUrlAndNamesItInTheCertificate() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    try (EmbeddedPushService service =
        EmbeddedPushService.builder()
            .https(ca)
            .advertisedUrl(URI.create("https://push.example.test:8443"))
            .start()) {
      URI resource = service.subscribe().pushResource().uri();

      assertThat(resource.toString()).startsWith("https://push.example.test:8443/push/");
      assertThat(service.origin()).isEqualTo("https://push.example.test:8443");
      assertThat(service.bindAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(service.port()).isNotEqualTo(8443);
    }
  }

  @Test
  void issuesLeafCertificatesWithTheGivenNamesAsSubjectAlternativeNames() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();

    KitCertificateAuthority.ServerIdentity id =
        ca.issueServerIdentity(List.of("push.example.test", "127.0.0.1", "[::1]"));

    X509Certificate leaf = id.certificate();
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(l -> (Object) l.get(1))
        .containsExactlyInAnyOrder((Object) "push.example.test", "127.0.0.1", "0:0:0:0:0:0:0:1");
    leaf.verify(ca.certificate().getPublicKey());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(id.toString()).doesNotContain(new String(id.password()));
  }

  @Test
  void advertisesAnHttpUrlOnlyForAPlainService() {
    assertThatThrownBy(
            () ->
                EmbeddedPushService.builder()
                    .https()
                    .advertisedUrl(URI.create("http://127.0.0.1:1"))
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () -> EmbeddedPushService.builder().advertisedUrl(URI.create("https://h/path")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no path");
  }

  @Test
  void writesTheCaAsPemAndKeepsItInAPkcs12File(@TempDir Path dir) throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    Path pem = dir.resolve("ca.pem");
    Path store = dir.resolve("ca.p12");
    char[] password = "store-secret".toCharArray();

    ca.writePem(pem);
    ca.save(store, password);
    KitCertificateAuthority again = KitCertificateAuthority.load(store, password);

    assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(KitCertificateAuthority.readPem(pem)).containsExactly(ca.certificate());
    assertThat(again.certificate()).isEqualTo(ca.certificate());
    X509Certificate leaf = again.issueServerIdentity(List.of("a.test")).certificate();
    leaf.verify(ca.certificate().getPublicKey());
    assertThatThrownBy(() -> KitCertificateAuthority.load(store, "wrong".toCharArray()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void servesAUsersKeyStore() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    KitCertificateAuthority.ServerIdentity id = ca.issueServerIdentity(List.of("127.0.0.1"));
    KeyStore store = id.keyStore();
    try (EmbeddedPushService service =
        EmbeddedPushService.builder().https(store, id.password()).start()) {
      PushServiceSubscription sub = service.subscribe();

      HttpResponse<String> answer = post(service.clientSslContext().orElseThrow(), sub);

      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(service.trustAnchor()).contains(ca.certificate());
    }
  }
}
