package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidClaims;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with independent implementations from npm (pinned in {@code interop/}): {@code
 * web-push} encrypts and signs, {@code http_ece} decrypts, Node's OpenSSL verifies our ES256, and
 * {@code web-push-testing} acts as push service on 127.0.0.1.
 *
 * <p>Skipped (assumption) only when node or the npm modules are absent: run {@code
 * interop/install.sh} first.
 */
class InteropIT {
  static final JsonFactory JSON = new JsonFactory();
  static Path dir;

  static boolean available;

  @BeforeAll
  static void findNodeAndModules() {
    dir =
        Path.of(System.getProperty("davpush.interop.dir", "../interop"))
            .toAbsolutePath()
            .normalize();
    boolean modules =
        Files.isDirectory(dir.resolve("node_modules/web-push"))
            && Files.isDirectory(dir.resolve("node_modules/http_ece"))
            && Files.isDirectory(dir.resolve("node_modules/web-push-testing"));
    available = modules && nodeAvailable();
  }

  @BeforeEach
  void requireNodeAndModules() {
    assumeTrue(available, "npm interop peers not installed in " + dir + ": run interop/install.sh");
  }

  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Map<String, Object> node(Map<String, String> request) throws Exception {
    Process p =
        new ProcessBuilder("node", dir.resolve("ece.js").toString())
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (OutputStream out = p.getOutputStream()) {
      out.write(toJson(request).getBytes(StandardCharsets.UTF_8));
    }
    CompletableFuture<byte[]> stdout =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    Map<String, Object> answer = parse(stdout.get(10, TimeUnit.SECONDS));
    assertThat(answer).doesNotContainKey("error");
    return answer;
  }

  static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void weDecryptWhatWebPushEncrypts() throws Exception {
    UserAgentKeyPair ua = UserAgentKeyPair.generate();
    for (int size : new int[] {0, 1, 300, 3993}) {
      byte[] plaintext = new byte[size];
      new java.util.Random(size).nextBytes(plaintext);
      Map<String, Object> r =
          node(
              Map.of(
                  "op",
                  "encrypt",
                  "uaPublic",
                  ua.publicKey().toBase64Url(),
                  "auth",
                  ua.authSecret().toBase64Url(),
                  "plaintext",
                  Base64Url.encode(plaintext)));
      assertThat(ua.decrypt(Base64Url.decode((String) r.get("body"))))
          .as("size %d", size)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void httpEceDecryptsWhatWeEncrypt() throws Exception {
    Map<String, Object> keys = node(Map.of("op", "keygen"));
    P256PublicKey uaPublic = P256PublicKey.fromBase64Url((String) keys.get("publicKey"));
    AuthSecret auth = AuthSecret.fromBase64Url((String) keys.get("auth"));
    for (int size : new int[] {0, 1, 300, 3993}) {
      byte[] plaintext = new byte[size];
      new java.util.Random(size).nextBytes(plaintext);
      int padding = size <= 3000 ? 17 : 0;
      byte[] body = WebPushEncryption.encrypt(plaintext, uaPublic, auth, padding);
      Map<String, Object> r =
          node(
              Map.of(
                  "op",
                  "decrypt",
                  "privateKey",
                  (String) keys.get("privateKey"),
                  "auth",
                  auth.toBase64Url(),
                  "body",
                  Base64Url.encode(body)));
      assertThat(Base64Url.decode((String) r.get("plaintext")))
          .as("size %d", size)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void nodeVerifiesOurVapidToken() throws Exception {
    VapidKeyPair key = VapidKeyPair.generate();
    Instant exp = Instant.now().plus(Duration.ofHours(12));
    String header =
        Vapid.authorization(
            key, "https://push.example.net:8443/p/x", exp, "mailto:ops@example.com");
    Map<String, Object> r = node(Map.of("op", "vapid-verify", "header", header));
    assertThat(r.get("valid")).isEqualTo(Boolean.TRUE);
    assertThat(r.get("signatureLength")).isEqualTo(64L);
    assertThat(r.get("claims.aud")).isEqualTo("https://push.example.net:8443");
    assertThat(r.get("claims.exp")).isEqualTo(exp.getEpochSecond());
    assertThat(r.get("header.alg")).isEqualTo("ES256");
  }

  @Test
  void weVerifyTheVapidTokenOfWebPush() throws Exception {
    Map<String, Object> r =
        node(
            Map.of(
                "op",
                "vapid-sign",
                "audience",
                "https://push.example.net",
                "subject",
                "mailto:ops@example.com"));
    VapidClaims claims = Vapid.verify((String) r.get("header"), Instant.now());
    assertThat(claims.audience()).isEqualTo("https://push.example.net");
    assertThat(claims.publicKey().toBase64Url()).isEqualTo(r.get("publicKey"));
    assertThat(claims.subject()).contains("mailto:ops@example.com");
  }

  @Test
  void theTransportDeliversThroughWebPushTesting() throws Exception {
    Process service =
        new ProcessBuilder("node", dir.resolve("push-service.js").toString())
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
      String first =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return lines.readLine();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      long port = (Long) parse(first.getBytes(StandardCharsets.UTF_8)).get("port");
      String base = "http://127.0.0.1:" + port;
      VapidKeyPair vapid = VapidKeyPair.generate();
      Map<String, Object> sub =
          post(
              base + "/subscribe", Map.of("applicationServerKey", vapid.publicKey().toBase64Url()));
      WebPushSubscription subscription =
          WebPushSubscription.of(
              PushResource.parse((String) sub.get("data.endpoint")),
              P256PublicKey.fromBase64Url((String) sub.get("data.keys.p256dh")),
              AuthSecret.fromBase64Url((String) sub.get("data.keys.auth")));
      String xml =
          "<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>O7M1nQ7cKkKTKsoS_j6Z3w"
              + "</topic></push-message>";
      try (WebPushTransport transport =
          WebPushTransport.builder()
              .vapidKeyPair(vapid)
              .subject("mailto:ops@example.com")
              .pushResourcePolicy(
                  PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
              .build()) {
        DeliveryResult result =
            transport
                .send(
                    PushDelivery.builder(subscription, xml.getBytes(StandardCharsets.UTF_8))
                        .ttl(Duration.ofMinutes(5))
                        .build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(result).isEqualTo(new DeliveryResult.Delivered(201));
        Map<String, Object> got =
            post(
                base + "/get-notifications",
                Map.of("clientHash", (String) sub.get("data.clientHash")));
        assertThat(got.get("data.messages[0]")).isEqualTo(xml);

        post(base + "/expire-subscription/" + sub.get("data.clientHash"), Map.of());
        DeliveryResult gone =
            transport
                .send(PushDelivery.builder(subscription, new byte[] {1}).build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(gone).isEqualTo(new DeliveryResult.Gone(410));
      }
    } finally {
      service.getOutputStream().close();
      service.destroy();
      service.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static Map<String, Object> post(String url, Map<String, String> body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(toJson(body).getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
    byte[] answer = in == null ? new byte[0] : in.readAllBytes();
    assertThat(status)
        .as("%s answered %s", url, new String(answer, StandardCharsets.UTF_8))
        .isLessThan(300);
    if (answer.length == 0 || answer[0] != '{') {
      return Map.of();
    }
    return parse(answer);
  }

  static String toJson(Map<String, String> m) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      for (var e : m.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    return w.toString();
  }

  /** Flattens a JSON document into dotted paths ({@code a.b}, {@code a.list[0]}). */
  static Map<String, Object> parse(byte[] json) throws IOException {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      List<String> path = new ArrayList<>();
      List<Integer> index = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> {
            if (!index.isEmpty() && index.get(index.size() - 1) >= 0) {
              path.add(path.remove(path.size() - 1));
            }
            index.add(t == JsonToken.START_ARRAY ? 0 : -1);
            path.add("");
          }
          case END_OBJECT, END_ARRAY -> {
            index.remove(index.size() - 1);
            path.remove(path.size() - 1);
            bump(path, index);
          }
          case FIELD_NAME -> path.set(path.size() - 1, p.currentName());
          default -> {
            Object v =
                switch (t) {
                  case VALUE_STRING -> p.getText();
                  case VALUE_NUMBER_INT -> p.getLongValue();
                  case VALUE_TRUE -> Boolean.TRUE;
                  case VALUE_FALSE -> Boolean.FALSE;
                  case VALUE_NULL -> null;
                  default -> p.getText();
                };
            out.put(key(path, index), v);
            bump(path, index);
          }
        }
      }
    }
    return out;
  }

  private static void bump(List<String> path, List<Integer> index) {
    if (!index.isEmpty() && index.get(index.size() - 1) >= 0) {
      index.set(index.size() - 1, index.get(index.size() - 1) + 1);
    }
  }

  private static String key(List<String> path, List<Integer> index) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      if (index.get(i) >= 0) {
        b.append('[').append(index.get(i)).append(']');
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(path.get(i));
      }
    }
    return b.toString();
  }
}
