package dev.davpush.webpush;

import static java.util.Objects.requireNonNull;

import dev.davpush.ContentEncoding;
import dev.davpush.DeliveryException;
import dev.davpush.DeliveryException.Reason;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import dev.davpush.webpush.crypto.LegacyAesGcm;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import dev.davpush.webpush.internal.HttpSupport;
import dev.davpush.webpush.internal.VapidSubject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push transport (RFC 8030 §5, application-server side): for each delivery it encrypts the
 * payload to the subscription (RFC 8291, {@code aes128gcm}), authorises with VAPID (RFC 8292) and
 * POSTs the body to the push resource with:
 *
 * <ul>
 *   <li>{@code TTL}: the delivery's time to live in whole seconds (always sent, R-8030-4);
 *   <li>{@code Urgency}: only when not {@code normal} (R-8030-5);
 *   <li>{@code Topic}: when the delivery has one (R-8030-6);
 *   <li>{@code Content-Encoding: aes128gcm} and {@code Content-Type: application/xml;
 *       charset="UTF-8"} (digest ambiguity A-8);
 *   <li>{@code Authorization: vapid t=…, k=…}: one token per (key, push-service origin), reused
 *       until {@link #TOKEN_RENEWAL} before it expires ({@link #TOKEN_VALIDITY} after signing), at
 *       most {@link #MAX_CACHED_TOKENS} origins per key (least recently used dropped first); {@link
 *       #rotateVapidKey} switches keys at run time.
 * </ul>
 *
 * <p>Answers: the push service's answer is classified with {@link DeliveryResult#classify} ({@code
 * Retry-After} as delta-seconds or HTTP-date). Redirects are never followed: a 3xx is returned as
 * its status and its {@code Location} is not contacted. A {@code 421 Misdirected Request} (RFC 9110
 * §15.5.20) is sent once more on a different connection (the one that answered 421 is closed); a
 * second 421 is returned as the result.
 *
 * <p>Failures: the stage completes exceptionally with a {@link DeliveryException}, whose message
 * names the host only, when no answer was obtained. Its {@link DeliveryException#reason()} says
 * why:
 *
 * <ul>
 *   <li>{@link Reason#TIMEOUT}: no connection within the connect timeout (TCP connect and TLS
 *       handshake), no answer within the response timeout, or no free connection because {@link
 *       Builder#maxConnectionsPerOrigin} or {@link Builder#maxConnectionsTotal} requests are in
 *       flight (this is reported at once: the transport never queues for a connection, the caller
 *       does);
 *   <li>{@link Reason#CONNECTION_FAILED}: connection refused, reset, or closed before an answer;
 *   <li>{@link Reason#NAME_RESOLUTION}: the host name does not resolve;
 *   <li>{@link Reason#TLS}: handshake or certificate failure, including a peer that does not speak
 *       TLS;
 *   <li>{@link Reason#REFUSED_BY_POLICY}: the {@link PushResourcePolicy} refused the URL, or an
 *       address the host resolves to (every address is checked before connecting);
 *   <li>{@link Reason#ENCRYPTION}: the subscription's key material is unusable;
 *   <li>{@link Reason#UNSUPPORTED}: not a Web Push subscription, a content encoding not enabled, or
 *       a payload above {@link Builder#maxPayloadLength};
 *   <li>{@link Reason#CLOSED}: the transport is closed;
 *   <li>{@link Reason#OTHER}: anything else, for example an answer that is not HTTP.
 * </ul>
 *
 * <p>HTTP: the transport's own connections use Apache HttpCore 5's pooled requester, with HTTP/2
 * negotiated through TLS ALPN where the push service offers it and HTTP/1.1 otherwise. Each request
 * holds one pooled connection for its duration (also over HTTP/2), so the connection limits are
 * limits on requests in flight. {@link #send} encrypts on the calling thread (CPU only, about 0.15
 * ms) and hands the request to four daemon dispatch threads owned by the transport, which resolve
 * the host (DNS never runs on the caller's thread), apply the policy to every address and connect
 * to the first one. That address is reused for the host's requests of the next 10 seconds ({@link
 * #ADDRESS_REUSE}), which then connect from the calling thread without the hop (connecting is
 * asynchronous, nothing there waits on DNS).
 *
 * <p>A caller-supplied HttpClient ({@link Builder#httpClient}) must be started and stays the
 * caller's (not closed here); the policy check resolves the host before the request and the
 * client's own resolver may resolve again; the connection limits then only bound the requests in
 * flight, the client's pool keeps its own limits and lease timeout.
 *
 * <p>Logging: one TRACE line per delivery (status or failure reason, latency, host only) on logger
 * {@code dev.davpush.webpush.WebPushTransport}, for use without the engine (the engine logs each
 * attempt once, at DEBUG); never URLs, keys, tokens or payloads. HttpCore 5 itself does not log, so
 * with the transport's own connections no push resource path, VAPID token, key, auth secret or
 * payload reaches any logger, whatever its level (tested with every logger at TRACE). HttpClient 5
 * does log request URIs, headers and wire bytes at DEBUG ({@code
 * org.apache.hc.client5.http.headers}, {@code org.apache.hc.client5.http.wire}, {@code
 * org.apache.hc.client5.http.impl.async}): with a caller-supplied client, keeping those loggers
 * below DEBUG is the caller's responsibility.
 *
 * <p>Thread safety: safe for concurrent use; build once and share.
 */
public final class WebPushTransport implements PushTransport {
  /** Default time to establish a connection (TCP connect and TLS handshake): 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Default time to wait for the push service's answer (socket inactivity once connected): 30
   * seconds.
   */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Default limit of requests in flight, and so of connections, per push-service origin: 1,024. The
   * engine's defaults use at most 128 in flight plus 896 slow ones (no answer yet) per origin, so
   * that its own limits govern and the transport never becomes the bottleneck.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 1024;

  /**
   * Default limit of requests in flight, and so of open connections, in all: 4,096, the engine's
   * default limit of attempts in flight. Each connection costs one file descriptor (the JVM raises
   * the soft limit to the hard one on Linux) and, with TLS, some 50 KiB of buffers, so about 200
   * MiB at the limit.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_TOTAL = 4096;

  /** Validity of a signed VAPID token: 12 hours (RFC 8292 allows at most 24). */
  public static final Duration TOKEN_VALIDITY = Duration.ofHours(12);

  /** A cached token is renewed when it has less than this left: 1 hour. */
  public static final Duration TOKEN_RENEWAL = Duration.ofHours(1);

  /** The {@code Content-Type} sent (draft-bitfire-webdav-push §6). */
  public static final String CONTENT_TYPE = "application/xml; charset=\"UTF-8\"";

  private static final Logger LOG = LoggerFactory.getLogger(WebPushTransport.class);
  private static final int DISPATCH_THREADS = 4;

  /**
   * How long a host's checked address is reused without resolving again: 10 s, shorter than the
   * JVM's own positive DNS cache (30 s by default), so the transport never holds an address longer
   * than the JVM would.
   */
  static final Duration ADDRESS_REUSE = Duration.ofSeconds(10);

  /** Hosts whose checked address is kept at most; beyond it the table starts over. */
  static final int ADDRESS_REUSE_HOSTS = 1_024;

  /** Pooled connections idle longer than this are closed (checked at most every 30 s). */
  private static final TimeValue MAX_IDLE = TimeValue.ofMinutes(1);

  private static final int MISDIRECTED = 421;

  /** The active key; replaced whole by {@link #rotateVapidKey}, never null. */
  private volatile SigningKey signingKey;

  private final @Nullable String subject;
  private final PushResourcePolicy policy;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Clock clock;
  private final int maxPayloadLength;
  private final boolean legacyAesGcm;
  private final int padToMultipleOf;
  private final NameResolver resolver;
  private final long addressReuseNanos;
  private final InFlight inFlight;

  /** The transport's own requester; null with a caller-supplied client. */
  private final @Nullable HttpAsyncRequester requester;

  /** The caller's client; null when the transport uses its own requester. */
  private final @Nullable CloseableHttpAsyncClient client;

  private final RequestConfig requestConfig;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong lastIdleSweep = new AtomicLong(System.nanoTime());

  /** Resolves, checks and connects off the caller's thread. */
  private final ThreadPoolExecutor dispatcher;

  /** Addresses that passed the policy, by host, for {@link #ADDRESS_REUSE}. */
  private final ConcurrentHashMap<String, CheckedAddress> checkedAddresses =
      new ConcurrentHashMap<>();

  private WebPushTransport(Builder b) {
    this.signingKey = new SigningKey(requireNonNull(b.vapidKeyPair, "vapidKeyPair"));
    this.subject = b.subject;
    this.policy = b.policy;
    this.connectTimeout = b.connectTimeout;
    this.responseTimeout = b.responseTimeout;
    this.clock = b.clock;
    this.maxPayloadLength = b.maxPayloadLength;
    this.legacyAesGcm = b.legacyAesGcm;
    this.padToMultipleOf = b.padToMultipleOf;
    this.resolver = b.resolver;
    this.addressReuseNanos = b.addressReuse.toNanos();
    this.inFlight = new InFlight(b.maxConnectionsPerOrigin, b.maxConnectionsTotal);
    this.requestConfig =
        RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setResponseTimeout(Timeout.of(responseTimeout))
            .setConnectionRequestTimeout(Timeout.of(connectTimeout))
            .build();
    this.dispatcher = newDispatcher();
    if (b.httpClient != null) {
      this.client = b.httpClient;
      this.requester = null;
    } else {
      this.client = null;
      this.requester =
          HttpSupport.createRequester(
              connectTimeout,
              responseTimeout,
              b.sslContext,
              b.maxConnectionsPerOrigin,
              b.maxConnectionsTotal);
      this.requester.start();
    }
  }

  private static ThreadPoolExecutor newDispatcher() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            DISPATCH_THREADS,
            DISPATCH_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "davpush-web-push-dispatch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * The longest delay a {@link DeliveryResult.RetryLater} from this transport carries: one day. A
   * push service's {@code Retry-After} (RFC 9110 §10.2.3, delta-seconds or HTTP-date) beyond it is
   * capped to it; a past date means {@link Duration#ZERO}; an unparsable or negative value means no
   * delay given ({@code null}).
   */
  public static final Duration MAX_RETRY_AFTER = HttpSupport.MAX_RETRY_AFTER;

  /**
   * How many VAPID tokens are cached per signing key, one per push-service origin: 1,024. Beyond it
   * the least recently used token is dropped (and signed anew when its origin is next used), so
   * that subscriptions on ever new origins cannot grow the cache without bound.
   */
  public static final int MAX_CACHED_TOKENS = 1024;

  /**
   * A new builder; {@link Builder#vapidKeyPair} is required.
   *
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code web-push}. */
  @Override
  public String name() {
    return WebPushSubscription.TRANSPORT;
  }

  /** The {@code web-push} descriptor with this transport's current VAPID public key. */
  @Override
  public TransportDescriptor descriptor() {
    return signingKey.descriptor;
  }

  /**
   * The VAPID public key requests are signed with now.
   *
   * @return the active key's public part
   */
  public P256PublicKey vapidPublicKey() {
    return signingKey.key.publicKey();
  }

  /**
   * Switches to a new VAPID key (WebDAV-Push key rotation, draft §6.2.1, R-WDP-55): every later
   * request is signed with {@code next}, cached tokens of the old key are dropped, and {@link
   * #descriptor()} advertises the new public key. Send the key-rotation message to every
   * subscription <em>before</em> calling this, while the old key still signs: subscriptions are
   * bound to the key they were created with (RFC 8292 §4).
   *
   * @param next the new signing key
   */
  public void rotateVapidKey(VapidKeyPair next) {
    signingKey = new SigningKey(requireNonNull(next, "next"));
  }

  /**
   * Accepts a {@link WebPushSubscription} with content encoding {@code aes128gcm} (or {@code
   * aesgcm} when legacy mode is on) whose push resource the policy permits (judged on the URL).
   */
  @Override
  public boolean accepts(Subscription subscription) {
    requireNonNull(subscription, "subscription");
    return subscription instanceof WebPushSubscription s
        && encodingSupported(s.contentEncoding())
        && policy.permits(s.pushResource());
  }

  private boolean encodingSupported(ContentEncoding encoding) {
    return encoding.equals(ContentEncoding.AES128GCM)
        || (legacyAesGcm && encoding.equals(ContentEncoding.AESGCM));
  }

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    requireNonNull(delivery, "delivery");
    long start = System.nanoTime();
    if (!(delivery.subscription() instanceof WebPushSubscription sub)) {
      DeliveryException d =
          new DeliveryException(
              Reason.UNSUPPORTED,
              "web-push: not a web-push subscription (transport "
                  + delivery.subscription().transport()
                  + ")");
      log("?", null, d, start);
      return CompletableFuture.failedFuture(d);
    }
    PushResource resource = sub.pushResource();
    String host = PushResourcePolicy.hostOf(resource);
    try {
      if (closed.get()) {
        throw new DeliveryException(
            Reason.CLOSED, "web-push: transport is closed (push service " + host + ")");
      }
      Optional<String> refusal = policy.refusal(resource);
      if (refusal.isPresent()) {
        throw new DeliveryException(
            Reason.REFUSED_BY_POLICY,
            "web-push: refused by push resource policy: " + refusal.get());
      }
      if (!encodingSupported(sub.contentEncoding())) {
        throw new DeliveryException(
            Reason.UNSUPPORTED,
            "web-push: content encoding "
                + sub.contentEncoding()
                + " not supported (push service "
                + host
                + ")");
      }
      if (delivery.payloadLength() > maxPayloadLength) {
        throw new DeliveryException(
            Reason.UNSUPPORTED,
            "web-push: payload of "
                + delivery.payloadLength()
                + " octets exceeds the limit of "
                + maxPayloadLength
                + " (push service "
                + host
                + ")");
      }
      List<String[]> headers = new ArrayList<>();
      byte[] body;
      SigningKey signer = signingKey;
      String authorization = authorization(signer, resource.origin());
      if (sub.contentEncoding().equals(ContentEncoding.AES128GCM)) {
        body =
            WebPushEncryption.encrypt(
                delivery.payload(),
                sub.subscriptionPublicKey(),
                sub.authSecret(),
                padding(delivery.payloadLength()));
        headers.add(new String[] {"Content-Encoding", "aes128gcm"});
        headers.add(new String[] {"Authorization", authorization});
      } else {
        LegacyAesGcm.Message m =
            LegacyAesGcm.encrypt(delivery.payload(), sub.subscriptionPublicKey(), sub.authSecret());
        body = m.body();
        headers.add(new String[] {"Content-Encoding", "aesgcm"});
        headers.add(new String[] {"Encryption", m.encryptionHeader()});
        String token =
            authorization.substring(authorization.indexOf("t=") + 2, authorization.indexOf(", k="));
        headers.add(
            new String[] {
              "Crypto-Key",
              m.cryptoKeyHeader() + ";p256ecdsa=" + signer.key.publicKey().toBase64Url()
            });
        headers.add(new String[] {"Authorization", "WebPush " + token});
      }
      headers.add(new String[] {"TTL", Long.toString(delivery.ttl().getSeconds())});
      if (delivery.urgency() != Urgency.NORMAL) {
        headers.add(new String[] {"Urgency", delivery.urgency().token()});
      }
      delivery.topic().ifPresent(t -> headers.add(new String[] {"Topic", t}));
      headers.add(new String[] {"Content-Type", CONTENT_TYPE});
      Outgoing out = new Outgoing(resource.uri(), host, List.copyOf(headers), body);
      String origin = resource.origin();
      if (!inFlight.tryAcquire(origin)) {
        throw new DeliveryException(
            Reason.TIMEOUT,
            "web-push: no connection to push service "
                + host
                + " available without waiting: "
                + inFlight.describeLimits()
                + " requests in flight; retry later");
      }
      CompletableFuture<DeliveryResult> result;
      try {
        InetAddress known = recentlyChecked(host);
        result =
            known != null
                ? CompletableFuture.completedFuture(known).thenCompose(a -> connect(out, a))
                : CompletableFuture.supplyAsync(() -> resolveAndCheck(out), dispatcher)
                    .thenCompose(address -> connect(out, address));
      } catch (RejectedExecutionException e) {
        inFlight.release(origin);
        throw e;
      }
      CompletableFuture<DeliveryResult> done = new CompletableFuture<>();
      result.whenComplete(
          (r, e) -> {
            inFlight.release(origin);
            if (e == null) {
              log(host, r, null, start);
              done.complete(r);
            } else {
              DeliveryException d = failure(host, e);
              log(host, null, d, start);
              done.completeExceptionally(d);
            }
          });
      return done;
    } catch (DeliveryException e) {
      log(host, null, e, start);
      return CompletableFuture.failedFuture(e);
    } catch (RejectedExecutionException e) {
      DeliveryException d =
          new DeliveryException(
              Reason.CLOSED, "web-push: transport is closed (push service " + host + ")", e);
      log(host, null, d, start);
      return CompletableFuture.failedFuture(d);
    } catch (PushCryptoException | IllegalArgumentException e) {
      DeliveryException d =
          new DeliveryException(
              Reason.ENCRYPTION,
              "web-push: encryption failed for push service " + host + ": " + e.getMessage(),
              e);
      log(host, null, d, start);
      return CompletableFuture.failedFuture(d);
    }
  }

  /** Padding that rounds the plaintext up to the next multiple, never past the payload cap. */
  private int padding(int length) {
    if (padToMultipleOf <= 1) {
      return 0;
    }
    long target = ((long) length + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
    return (int) Math.max(0, Math.min(target, maxPayloadLength) - length);
  }

  /**
   * One request on the transport's own requester: lease or open a connection and send the request
   * head within the connect timeout (TCP connect, TLS handshake, protocol negotiation), then read
   * the answer head (response timeout: socket inactivity). A 421 closes the connection and, if
   * {@code mayRetryMisdirected}, goes once more.
   */
  private CompletableFuture<DeliveryResult> attempt(
      HttpAsyncRequester req, Outgoing out, InetAddress address, boolean mayRetryMisdirected) {
    sweepIdleConnections(req);
    URI uri = out.uri();
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    HttpHost target = new HttpHost(scheme, address, bare(uri.getHost()), port);

    // Completes when the request head is handed to the connection: the end of the connect phase.
    CompletableFuture<Void> connected = new CompletableFuture<>();
    connected.orTimeout(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<AsyncClientEndpoint> leased = new CompletableFuture<>();
    Future<AsyncClientEndpoint> pending =
        req.connect(
            target,
            Timeout.of(responseTimeout),
            null,
            new FutureCallback<AsyncClientEndpoint>() {
              @Override
              public void completed(AsyncClientEndpoint endpoint) {
                if (!leased.complete(endpoint)) {
                  endpoint.releaseAndDiscard(); // too late: the connect timeout already fired
                }
              }

              @Override
              public void failed(Exception ex) {
                leased.completeExceptionally(ex);
              }

              @Override
              public void cancelled() {
                leased.completeExceptionally(new TimeoutException("connect cancelled"));
              }
            });
    connected.whenComplete(
        (v, x) -> {
          if (x != null) {
            leased.completeExceptionally(connectTimedOut(out));
            pending.cancel(true);
          }
        });

    return leased
        .thenCompose(endpoint -> exchange(endpoint, out, connected))
        .thenCompose(
            answer -> {
              if (answer.status() == MISDIRECTED && mayRetryMisdirected) {
                return attempt(req, out, address, false);
              }
              return CompletableFuture.completedFuture(answer.result());
            });
  }

  private DeliveryException connectTimedOut(Outgoing out) {
    return new DeliveryException(
        Reason.TIMEOUT,
        "web-push: request to push service "
            + out.host()
            + " timed out: no connection within "
            + connectTimeout.toMillis()
            + " ms (TCP connect, TLS handshake)");
  }

  /**
   * Sends the request on a leased connection; releases the connection in every case. If {@code
   * connected} fails (connect timeout) before the request head was sent, the connection is closed
   * and the exchange fails with {@link Reason#TIMEOUT}.
   */
  private CompletableFuture<Answer> exchange(
      AsyncClientEndpoint endpoint, Outgoing out, CompletableFuture<Void> connected) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    connected.whenComplete(
        (v, x) -> {
          if (x != null && f.completeExceptionally(connectTimedOut(out))) {
            endpoint.releaseAndDiscard();
          }
        });
    try {
      endpoint.execute(
          new SignallingProducer(
              new BasicRequestProducer(
                  out.request(), AsyncEntityProducers.create(out.body(), null)),
              connected),
          new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
          null,
          HttpCoreContext.create(),
          new FutureCallback<Message<HttpResponse, Void>>() {
            @Override
            public void completed(Message<HttpResponse, Void> message) {
              HttpResponse response = message.getHead();
              if (response.getCode() == MISDIRECTED) {
                endpoint.releaseAndDiscard(); // never reuse the connection that was misdirected
              } else {
                endpoint.releaseAndReuse();
              }
              f.complete(new Answer(response.getCode(), classify(response)));
            }

            @Override
            public void failed(Exception ex) {
              endpoint.releaseAndDiscard();
              f.completeExceptionally(ex);
            }

            @Override
            public void cancelled() {
              endpoint.releaseAndDiscard();
              f.completeExceptionally(
                  new DeliveryException(
                      Reason.OTHER,
                      "web-push: request to push service " + out.host() + " was cancelled"));
            }
          });
    } catch (RuntimeException e) {
      endpoint.releaseAndDiscard();
      f.completeExceptionally(e);
    }
    return f;
  }

  private DeliveryResult classify(HttpResponse response) {
    var retryAfter = response.getFirstHeader("Retry-After");
    return DeliveryResult.classify(
        response.getCode(),
        retryAfter == null
            ? null
            : HttpSupport.parseRetryAfter(retryAfter.getValue(), clock.instant()));
  }

  /** Closes long-idle pooled connections, at most every 30 seconds. */
  private void sweepIdleConnections(HttpAsyncRequester req) {
    long last = lastIdleSweep.get();
    long now = System.nanoTime();
    if (now - last > TimeUnit.SECONDS.toNanos(30) && lastIdleSweep.compareAndSet(last, now)) {
      req.closeIdle(MAX_IDLE);
    }
  }

  /** One request through a caller-supplied HttpClient (its execution chain, its pool). */
  private CompletableFuture<DeliveryResult> executeWithCallersClient(Outgoing out) {
    CloseableHttpAsyncClient c = requireNonNull(client, "client");
    CompletableFuture<Answer> f = new CompletableFuture<>();
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(requestConfig);
    c.execute(
        new BasicRequestProducer(out.request(), AsyncEntityProducers.create(out.body(), null)),
        new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
        context,
        new FutureCallback<Message<HttpResponse, Void>>() {
          @Override
          public void completed(Message<HttpResponse, Void> message) {
            HttpResponse response = message.getHead();
            f.complete(new Answer(response.getCode(), classify(response)));
          }

          @Override
          public void failed(Exception ex) {
            f.completeExceptionally(ex);
          }

          @Override
          public void cancelled() {
            f.completeExceptionally(
                new DeliveryException(
                    Reason.OTHER,
                    "web-push: request to push service " + out.host() + " was cancelled"));
          }
        });
    return f.thenApply(Answer::result);
  }

  /**
   * The failure as a {@link DeliveryException} with its reason; the message names the host only.
   */
  private static DeliveryException failure(String host, Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof DeliveryException d) {
      return d;
    }
    Reason reason = HttpSupport.reasonOf(t);
    String what =
        switch (reason) {
          case TIMEOUT -> "timed out";
          case NAME_RESOLUTION -> "failed: host not found";
          case CONNECTION_FAILED -> "failed: connection refused, reset or closed before an answer";
          case TLS -> "failed: TLS handshake failed";
          default -> "failed";
        };
    return new DeliveryException(
        reason,
        "web-push: request to push service "
            + host
            + " "
            + what
            + " ("
            + t.getClass().getSimpleName()
            + ")",
        t);
  }

  private CompletableFuture<DeliveryResult> connect(Outgoing out, InetAddress address) {
    return requester != null
        ? attempt(requester, out, address, true)
        : executeWithCallersClient(out);
  }

  /**
   * The address {@link #resolveAndCheck} found for {@code host} less than {@link #ADDRESS_REUSE}
   * ago, or null. With it, a send to a push service the transport has just reached needs no hop to
   * a dispatch thread: nothing on the caller's thread can block on DNS.
   */
  private @Nullable InetAddress recentlyChecked(String host) {
    CheckedAddress c = checkedAddresses.get(host);
    if (c == null) {
      return null;
    }
    if (System.nanoTime() - c.expiresNanos >= 0) {
      checkedAddresses.remove(host, c);
      return null;
    }
    return c.address;
  }

  private void rememberChecked(String host, InetAddress address) {
    if (addressReuseNanos <= 0) {
      return;
    }
    if (checkedAddresses.size() >= ADDRESS_REUSE_HOSTS) {
      checkedAddresses.clear(); // many hosts at once: start over rather than grow
    }
    checkedAddresses.put(host, new CheckedAddress(address, System.nanoTime() + addressReuseNanos));
  }

  /** An address of a host that passed the policy, and until when it may be reused. */
  private record CheckedAddress(InetAddress address, long expiresNanos) {}

  /**
   * Resolves the push resource's host, applies the policy to every address, and returns the first
   * (remembered for {@link #ADDRESS_REUSE}). Runs on a dispatch thread.
   */
  private InetAddress resolveAndCheck(Outgoing out) {
    String host = out.host();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bare(host));
    } catch (UnknownHostException e) {
      throw new CompletionException(
          new DeliveryException(
              Reason.NAME_RESOLUTION, "web-push: push service host " + host + " not found", e));
    }
    if (addresses == null || addresses.length == 0) {
      throw new CompletionException(
          new DeliveryException(
              Reason.NAME_RESOLUTION,
              "web-push: push service host " + host + " resolves to no address"));
    }
    for (InetAddress a : addresses) {
      Optional<String> r = policy.refusal(a);
      if (r.isPresent()) {
        throw new CompletionException(
            new DeliveryException(
                Reason.REFUSED_BY_POLICY,
                "web-push: refused by push resource policy: push resource host "
                    + host
                    + " resolves to a "
                    + r.get()));
      }
    }
    rememberChecked(host, addresses[0]);
    return addresses[0];
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The VAPID header for an origin, from the key's cache or freshly signed. */
  private String authorization(SigningKey signer, String origin) {
    Instant now = clock.instant();
    Map<String, CachedToken> tokens = signer.tokens;
    CachedToken cached = tokens.get(origin);
    if (cached != null && now.isBefore(cached.expiry.minus(TOKEN_RENEWAL))) {
      return cached.header;
    }
    Instant expiry = Instant.ofEpochSecond(now.plus(TOKEN_VALIDITY).getEpochSecond());
    String header = Vapid.authorization(signer.key, origin, expiry, subject, clock);
    tokens.put(origin, new CachedToken(header, expiry));
    return header;
  }

  /** For tests: the VAPID header the current key would send to {@code origin}. */
  String authorizationFor(String origin) {
    return authorization(signingKey, origin);
  }

  /** For tests: how many tokens the current key has cached. */
  int cachedTokenCount() {
    return signingKey.tokens.size();
  }

  private static void log(
      String host,
      @Nullable DeliveryResult result,
      @Nullable DeliveryException error,
      long startNanos) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    if (result != null) {
      LOG.trace("web-push delivery to {}: status {} in {} ms", host, result.status(), ms);
    } else {
      Throwable cause = error == null ? null : error.getCause();
      LOG.trace(
          "web-push delivery to {}: no answer ({}{}) after {} ms",
          host,
          error == null ? Reason.OTHER : error.reason(),
          cause == null ? "" : ", " + cause.getClass().getSimpleName(),
          ms);
    }
  }

  /** Closes the transport's own requester (not a caller-supplied client); idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      dispatcher.shutdown();
      if (requester != null) {
        requester.close(CloseMode.GRACEFUL);
      }
    }
  }

  @Override
  public String toString() {
    return "WebPushTransport[vapidKey=" + vapidPublicKey() + ", policy=" + policy + "]";
  }

  /** Resolves a host name to its addresses; the seam tests use to resolve without DNS. */
  @FunctionalInterface
  interface NameResolver {
    /**
     * All addresses of a host.
     *
     * @param host a host name or IP literal without brackets
     * @return at least one address
     * @throws UnknownHostException if the name does not resolve
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A prepared request: everything but the connection. */
  private record Outgoing(URI uri, String host, List<String[]> headers, byte[] body) {
    /** A fresh request (a retry needs a new one: HttpCore fills in some fields). */
    BasicHttpRequest request() {
      BasicHttpRequest r = new BasicHttpRequest("POST", uri);
      for (String[] h : headers) {
        r.addHeader(h[0], h[1]);
      }
      return r;
    }
  }

  /** Completes a future when the request head is sent, and otherwise delegates. */
  private static final class SignallingProducer implements AsyncRequestProducer {
    private final AsyncRequestProducer delegate;
    private final CompletableFuture<Void> sent;

    SignallingProducer(AsyncRequestProducer delegate, CompletableFuture<Void> sent) {
      this.delegate = delegate;
      this.sent = sent;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context)
        throws HttpException, IOException {
      sent.complete(null);
      delegate.sendRequest(channel, context);
    }

    @Override
    public boolean isRepeatable() {
      return delegate.isRepeatable();
    }

    @Override
    public void failed(Exception cause) {
      delegate.failed(cause);
    }

    @Override
    public int available() {
      return delegate.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
      delegate.produce(channel);
    }

    @Override
    public void releaseResources() {
      delegate.releaseResources();
    }
  }

  /** A push service's answer: its status and its classification. */
  private record Answer(int status, DeliveryResult result) {}

  /**
   * Requests in flight per origin and in all, never above the limits; a request that would pass one
   * is refused at once instead of waiting. Origins without requests in flight hold no entry.
   */
  private static final class InFlight {
    private final int perOrigin;
    private final int total;
    private final ConcurrentHashMap<String, Integer> byOrigin = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();

    InFlight(int perOrigin, int total) {
      this.perOrigin = perOrigin;
      this.total = total;
    }

    boolean tryAcquire(String origin) {
      if (all.incrementAndGet() > total) {
        all.decrementAndGet();
        return false;
      }
      boolean[] ok = {false};
      byOrigin.compute(
          origin,
          (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= perOrigin) {
              return n;
            }
            ok[0] = true;
            return current + 1;
          });
      if (!ok[0]) {
        all.decrementAndGet();
      }
      return ok[0];
    }

    void release(String origin) {
      byOrigin.computeIfPresent(origin, (k, n) -> n <= 1 ? null : n - 1);
      all.decrementAndGet();
    }

    String describeLimits() {
      return "at most " + perOrigin + " per origin and " + total + " in all";
    }
  }

  private record CachedToken(String header, Instant expiry) {}

  /** A signing key with its descriptor and its per-origin token cache. */
  private static final class SigningKey {
    final VapidKeyPair key;
    final WebPushTransportDescriptor descriptor;

    /** Least recently used first; at most {@link #MAX_CACHED_TOKENS}; guarded by itself. */
    final Map<String, CachedToken> tokens =
        Collections.synchronizedMap(
            new LinkedHashMap<String, CachedToken>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, CachedToken> eldest) {
                return size() > MAX_CACHED_TOKENS;
              }
            });

    SigningKey(VapidKeyPair key) {
      this.key = key;
      this.descriptor = new WebPushTransportDescriptor(key.publicKey());
    }
  }

  /**
   * Builds a {@link WebPushTransport}. Each setter validates its argument at once.
   *
   * <p>Thread safety: not thread-safe; build once and share the result.
   */
  public static final class Builder {
    private @Nullable VapidKeyPair vapidKeyPair;
    private @Nullable String subject;
    private PushResourcePolicy policy = PushResourcePolicy.defaults();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private @Nullable CloseableHttpAsyncClient httpClient;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadLength = WebPushEncryption.MAX_PLAINTEXT_LENGTH;
    private boolean legacyAesGcm;
    private int padToMultipleOf;
    private @Nullable SSLContext sslContext;
    private int maxConnectionsPerOrigin = DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
    private int maxConnectionsTotal = DEFAULT_MAX_CONNECTIONS_TOTAL;
    private NameResolver resolver = InetAddress::getAllByName;
    private Duration addressReuse = ADDRESS_REUSE;

    private Builder() {}

    /**
     * The VAPID signing key (required). Its public key is advertised in {@code transports}.
     *
     * @param key the key pair
     * @return this builder
     */
    public Builder vapidKeyPair(VapidKeyPair key) {
      this.vapidKeyPair = requireNonNull(key, "key");
      return this;
    }

    /**
     * The VAPID {@code sub} contact (digest ambiguity A-17: some push services require one).
     * Default none.
     *
     * @param subject a {@code mailto:} or {@code https:} URI
     * @return this builder
     * @throws IllegalArgumentException if it is neither
     */
    public Builder subject(String subject) {
      requireNonNull(subject, "subject");
      VapidSubject.check(subject);
      this.subject = subject;
      return this;
    }

    /**
     * The SSRF policy. Default {@link PushResourcePolicy#defaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder pushResourcePolicy(PushResourcePolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Time to establish a connection. Default {@link #DEFAULT_CONNECT_TIMEOUT} (10 s).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Time to wait for the push service's answer once the request is sent. Default {@link
     * #DEFAULT_RESPONSE_TIMEOUT} (30 s).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive(timeout, "responseTimeout");
      return this;
    }

    /**
     * A caller-supplied, already started async client, for sharing pools. Not closed by the
     * transport. Default: the transport uses (and closes) its own HttpCore requester. Requests then
     * run through HttpClient's execution chain, whose loggers print request URIs and headers (the
     * push resource's capability path, the VAPID token) at DEBUG: keep {@code
     * org.apache.hc.client5} below DEBUG when using this.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(CloseableHttpAsyncClient client) {
      this.httpClient = requireNonNull(client, "client");
      return this;
    }

    /**
     * The clock for VAPID expiry and {@code Retry-After} dates. Default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The largest payload sent; larger deliveries fail with a {@link DeliveryException} before any
     * network traffic. Default 3993 ({@link WebPushEncryption#MAX_PLAINTEXT_LENGTH}); some push
     * services refuse more than 3070.
     *
     * @param octets 0 to 3993
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxPayloadLength(int octets) {
      if (octets < 0 || octets > WebPushEncryption.MAX_PLAINTEXT_LENGTH) {
        throw new IllegalArgumentException(
            "maxPayloadLength: expected 0..3993 octets, got " + octets);
      }
      this.maxPayloadLength = octets;
      return this;
    }

    /**
     * The TLS context of the transport's own connections, for push services behind a private CA.
     * Default: the JVM's default context (system trust store). Ignored with {@link #httpClient}.
     * TLS ALPN still offers HTTP/2 and HTTP/1.1.
     *
     * @param context an initialised context
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = requireNonNull(context, "context");
      return this;
    }

    /**
     * The padding policy (RFC 8188 §4.7, RFC 8291 §4): pads every {@code aes128gcm} plaintext with
     * zero octets up to the next multiple of {@code octets}, never beyond {@link
     * #maxPayloadLength}, so that message sizes reveal less. Default 0: no padding.
     *
     * @param octets 0 or 1 for none, else the block size, at most 3993
     * @return this builder
     * @throws IllegalArgumentException if negative or larger than 3993
     */
    public Builder padToMultipleOf(int octets) {
      if (octets < 0 || octets > WebPushEncryption.MAX_PLAINTEXT_LENGTH) {
        throw new IllegalArgumentException(
            "padToMultipleOf: expected 0..3993 octets, got " + octets);
      }
      this.padToMultipleOf = octets;
      return this;
    }

    /**
     * Opt-in for subscriptions with the legacy {@code aesgcm} content encoding
     * (draft-ietf-webpush-encryption-04, sent with {@code Encryption}, {@code Crypto-Key} and
     * {@code Authorization: WebPush}). WebDAV-Push itself allows only {@code aes128gcm}. Default
     * false.
     *
     * @param enabled whether to accept {@code aesgcm} subscriptions
     * @return this builder
     */
    public Builder legacyAesGcm(boolean enabled) {
      this.legacyAesGcm = enabled;
      return this;
    }

    /**
     * The most requests in flight, and so connections, to one push-service origin (scheme, host,
     * port). A request beyond it fails at once with a {@link DeliveryException} of reason {@link
     * Reason#TIMEOUT} instead of waiting for a connection: the caller (the engine) queues and
     * limits concurrency per origin itself. Default {@link #DEFAULT_MAX_CONNECTIONS_PER_ORIGIN}
     * (1,024).
     *
     * @param connections at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxConnectionsPerOrigin(int connections) {
      this.maxConnectionsPerOrigin = atLeastOne(connections, "maxConnectionsPerOrigin");
      return this;
    }

    /**
     * The most requests in flight, and so connections, in all; beyond it a request fails at once
     * like {@link #maxConnectionsPerOrigin}. Default {@link #DEFAULT_MAX_CONNECTIONS_TOTAL}
     * (4,096). Each connection needs a file descriptor: keep it below the process's limit.
     *
     * @param connections at least 1, and at least {@link #maxConnectionsPerOrigin} (checked in
     *     {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxConnectionsTotal(int connections) {
      this.maxConnectionsTotal = atLeastOne(connections, "maxConnectionsTotal");
      return this;
    }

    /** For tests: how long a checked address is reused (default {@link #ADDRESS_REUSE}). */
    Builder addressReuse(Duration reuse) {
      this.addressReuse = requireNonNull(reuse, "reuse");
      return this;
    }

    /** For tests: how host names are resolved (default {@link InetAddress#getAllByName}). */
    Builder resolver(NameResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Builds and starts the transport.
     *
     * @return the transport; close it when done
     * @throws NullPointerException if no VAPID key pair was set
     * @throws IllegalArgumentException if {@link #maxConnectionsTotal} is below {@link
     *     #maxConnectionsPerOrigin}
     */
    public WebPushTransport build() {
      requireNonNull(vapidKeyPair, "vapidKeyPair (required)");
      if (maxConnectionsTotal < maxConnectionsPerOrigin) {
        throw new IllegalArgumentException(
            "maxConnectionsTotal: expected at least maxConnectionsPerOrigin ("
                + maxConnectionsPerOrigin
                + "), got "
                + maxConnectionsTotal);
      }
      return new WebPushTransport(this);
    }

    private static int atLeastOne(int n, String name) {
      if (n < 1) {
        throw new IllegalArgumentException(name + ": expected at least 1, got " + n);
      }
      return n;
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected a positive duration, got " + d);
      }
      return d;
    }
  }
}
