package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncResponseBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.http2.ssl.H2ServerTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS with HTTP/2 negotiated through ALPN, against an HttpCore 5 H2 server on 127.0.0.1 with a
 * self-signed test certificate (src/test/resources/tls).
 */
class WebPushTransportTlsTest {
  record Received(String protocol, Message<HttpRequest, byte[]> message) {}

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  HttpAsyncServer server;
  int port;
  SSLContext tls;

  @BeforeEach
  void start() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = getClass().getResourceAsStream("/tls/test-server.p12")) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server =
        H2ServerBootstrap.bootstrap()
            .setCanonicalHostName("127.0.0.1")
            .setTlsStrategy(new H2ServerTlsStrategy(tls))
            .setVersionPolicy(HttpVersionPolicy.NEGOTIATE)
            .register("*", new Recorder())
            .create();
    server.start();
    ListenerEndpoint endpoint =
        server
            .listen(new InetSocketAddress("127.0.0.1", 0), URIScheme.HTTPS)
            .get(10, TimeUnit.SECONDS);
    port = ((InetSocketAddress) endpoint.getAddress()).getPort();
  }

  @AfterEach
  void stop() {
    server.close(CloseMode.IMMEDIATE);
  }

  @Test
  void deliversOverHttpsWithHttp2WhenThePushServiceOffersIt() throws Exception {
    VapidKeyPair vapid = VapidKeyPair.generate();
    UserAgentKeyPair ua = UserAgentKeyPair.generate();
    WebPushSubscription sub =
        WebPushSubscription.of(
            new PushResource(URI.create("https://127.0.0.1:" + port + "/push/abc")),
            ua.publicKey(),
            ua.authSecret());
    byte[] payload = "<push-message/>".getBytes(StandardCharsets.UTF_8);
    try (WebPushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(PushResourcePolicy.builder().allowLoopback(true).build())
            .sslContext(tls)
            .build()) {
      DeliveryResult r =
          t.send(PushDelivery.builder(sub, payload).build())
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      assertThat(r).isEqualTo(new DeliveryResult.Delivered(201));
    }
    Received got = received.poll(10, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.protocol()).isEqualTo("HTTP/2.0");
    HttpRequest head = got.message().getHead();
    assertThat(head.getPath()).isEqualTo("/push/abc");
    assertThat(head.getFirstHeader("Content-Encoding").getValue()).isEqualTo("aes128gcm");
    assertThat(head.getFirstHeader("TTL").getValue()).isEqualTo("86400");
    assertThat(
            Vapid.verify(head.getFirstHeader("Authorization").getValue(), Instant.now()).audience())
        .isEqualTo("https://127.0.0.1:" + port);
    assertThat(ua.decrypt(got.message().getBody())).isEqualTo(payload);
  }

  final class Recorder implements AsyncServerRequestHandler<Message<HttpRequest, byte[]>> {
    @Override
    public AsyncRequestConsumer<Message<HttpRequest, byte[]>> prepare(
        HttpRequest request, EntityDetails entityDetails, HttpContext context) {
      return new BasicRequestConsumer<>(
          entityDetails == null ? null : new BasicAsyncEntityConsumer());
    }

    @Override
    public void handle(
        Message<HttpRequest, byte[]> message, ResponseTrigger trigger, HttpContext context)
        throws HttpException, java.io.IOException {
      received.add(new Received(context.getProtocolVersion().toString(), message));
      trigger.submitResponse(
          AsyncResponseBuilder.create(201).setEntity("", ContentType.TEXT_PLAIN).build(), context);
    }
  }
}
