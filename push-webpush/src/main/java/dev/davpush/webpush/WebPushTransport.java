package dev.davpush.webpush;

import static java.util.Objects.requireNonNull;

import dev.davpush.ContentEncoding;
import dev.davpush.DeliveryException;
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
import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push transport (RFC 8030 §5, application-server side): for each delivery it encrypts
 * the payload to the subscription (RFC 8291, {@code aes128gcm}), authorises with VAPID (RFC 8292)
 * and POSTs the body to the push resource with:
 *
 * <ul>
 *   <li>{@code TTL}: the delivery's time to live in whole seconds (always sent, R-8030-4);
 *   <li>{@code Urgency}: only when not {@code normal} (R-8030-5);
 *   <li>{@code Topic}: when the delivery has one (R-8030-6);
 *   <li>{@code Content-Encoding: aes128gcm} and {@code Content-Type: application/xml;
 *       charset="UTF-8"} (digest ambiguity A-8);
 *   <li>{@code Authorization: vapid t=…, k=…}: one token per (key, push-service origin), reused
 *       until {@link #TOKEN_RENEWAL} before it expires ({@link #TOKEN_VALIDITY} after signing),
 *       at most {@link #MAX_CACHED_TOKENS} origins per key (least recently used dropped first);
 *       {@link #rotateVapidKey} switches keys at run time.
 * </ul>
 *
 * <p>The answer is classified with {@link DeliveryResult#classify} ({@code Retry-After} as
 * delta-seconds or HTTP-date). The stage completes exceptionally with a {@link
 * DeliveryException}, whose message names the host only, when no answer was obtained: connection
 * failure, timeout, refusal by the {@link PushResourcePolicy} (checked on the URL and on every
 * address the host resolves to), or a payload that does not fit. Redirects are never followed.
 *
 * <p>HTTP: Apache HttpClient 5 async with pooled connections, HTTP/2 negotiated through TLS ALPN
 * where the push service offers it. {@link #send} encrypts on the calling thread (CPU only, about
 * 0.15 ms) and hands the request to four daemon dispatch threads owned by the transport, so DNS
 * resolution for a new connection never runs on the caller's thread. A caller-supplied client must be started and stays the
 * caller's (not closed here); with it, the policy check resolves the host itself before the
 * request (the client's own resolver may then resolve again).
 *
 * <p>Logging: one DEBUG line per delivery (status or failure, latency, host only) on logger
 * {@code dev.davpush.webpush.WebPushTransport}; never URLs, keys, tokens or payloads.
 *
 * <p>Thread safety: safe for concurrent use; build once and share.
 */
public final class WebPushTransport implements PushTransport {
  /** Default time to establish a connection: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default time to wait for the push service's answer: 30 seconds. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
  /** Validity of a signed VAPID token: 12 hours (RFC 8292 allows at most 24). */
  public static final Duration TOKEN_VALIDITY = Duration.ofHours(12);
  /** A cached token is renewed when it has less than this left: 1 hour. */
  public static final Duration TOKEN_RENEWAL = Duration.ofHours(1);
  /** The {@code Content-Type} sent (draft-bitfire-webdav-push §6). */
  public static final String CONTENT_TYPE = "application/xml; charset=\"UTF-8\"";

  private static final Logger LOG = LoggerFactory.getLogger(WebPushTransport.class);
  private static final int DISPATCH_THREADS = 4;

  private final AtomicReference<SigningKey> signingKey;
  private final @Nullable String subject;
  private final PushResourcePolicy policy;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Clock clock;
  private final int maxPayloadLength;
  private final boolean legacyAesGcm;
  private final int padToMultipleOf;
  private final CloseableHttpAsyncClient client;
  private final boolean ownsClient;
  private final RequestConfig requestConfig;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Hands requests to HttpClient off the caller's thread (a new connection resolves DNS). */
  private final ThreadPoolExecutor dispatcher;

  private WebPushTransport(Builder b) {
    this.signingKey =
        new AtomicReference<>(new SigningKey(requireNonNull(b.vapidKeyPair, "vapidKeyPair")));
    this.subject = b.subject;
    this.policy = b.policy;
    this.connectTimeout = b.connectTimeout;
    this.responseTimeout = b.responseTimeout;
    this.clock = b.clock;
    this.maxPayloadLength = b.maxPayloadLength;
    this.legacyAesGcm = b.legacyAesGcm;
    this.padToMultipleOf = b.padToMultipleOf;
    this.requestConfig =
        RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setResponseTimeout(Timeout.of(responseTimeout))
            .setConnectionRequestTimeout(Timeout.of(connectTimeout))
            .build();
    this.dispatcher = newDispatcher();
    if (b.httpClient != null) {
      this.client = b.httpClient;
      this.ownsClient = false;
    } else {
      this.client =
          HttpSupport.createClient(
              connectTimeout, responseTimeout, requestConfig, this::checkResolved, b.sslContext);
      this.client.start();
      this.ownsClient = true;
    }
  }

  private static ThreadPoolExecutor newDispatcher() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            DISPATCH_THREADS, DISPATCH_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "davpush-web-push-dispatch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * The longest delay a {@link DeliveryResult.RetryLater} from this transport carries: one day.
   * A push service's {@code Retry-After} (RFC 9110 §10.2.3, delta-seconds or HTTP-date) beyond it
   * is capped to it; a past date means {@link Duration#ZERO}; an unparsable or negative value means
   * no delay given ({@code null}).
   */
  public static final Duration MAX_RETRY_AFTER = HttpSupport.MAX_RETRY_AFTER;

  /**
   * How many VAPID tokens are cached per signing key, one per push-service origin: 1,024. Beyond
   * it the least recently used token is dropped (and signed anew when its origin is next used),
   * so that subscriptions on ever new origins cannot grow the cache without bound.
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
    return signingKey.get().descriptor;
  }

  /**
   * The VAPID public key requests are signed with now.
   *
   * @return the active key's public part
   */
  public P256PublicKey vapidPublicKey() {
    return signingKey.get().key.publicKey();
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
    signingKey.set(new SigningKey(requireNonNull(next, "next")));
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
      return CompletableFuture.failedFuture(
          new DeliveryException(
              "web-push: not a web-push subscription (transport "
                  + delivery.subscription().transport() + ")"));
    }
    PushResource resource = sub.pushResource();
    String host = PushResourcePolicy.hostOf(resource);
    try {
      if (closed.get()) {
        throw new DeliveryException("web-push: transport is closed (push service " + host + ")");
      }
      Optional<String> refusal = policy.refusal(resource);
      if (refusal.isPresent()) {
        throw new DeliveryException("web-push: refused by push resource policy: " + refusal.get());
      }
      if (!encodingSupported(sub.contentEncoding())) {
        throw new DeliveryException(
            "web-push: content encoding " + sub.contentEncoding() + " not supported (push service "
                + host + ")");
      }
      if (delivery.payloadLength() > maxPayloadLength) {
        throw new DeliveryException(
            "web-push: payload of " + delivery.payloadLength() + " octets exceeds the limit of "
                + maxPayloadLength + " (push service " + host + ")");
      }
      BasicHttpRequest request = new BasicHttpRequest("POST", resource.uri());
      byte[] body;
      SigningKey signer = signingKey.get();
      String authorization = authorization(signer, resource.origin());
      if (sub.contentEncoding().equals(ContentEncoding.AES128GCM)) {
        body = WebPushEncryption.encrypt(delivery.payload(), sub.subscriptionPublicKey(),
            sub.authSecret(), padding(delivery.payloadLength()));
        request.addHeader("Content-Encoding", "aes128gcm");
        request.addHeader("Authorization", authorization);
      } else {
        LegacyAesGcm.Message m =
            LegacyAesGcm.encrypt(delivery.payload(), sub.subscriptionPublicKey(), sub.authSecret());
        body = m.body();
        request.addHeader("Content-Encoding", "aesgcm");
        request.addHeader("Encryption", m.encryptionHeader());
        String token = authorization.substring(authorization.indexOf("t=") + 2,
            authorization.indexOf(", k="));
        request.addHeader("Crypto-Key",
            m.cryptoKeyHeader() + ";p256ecdsa=" + signer.key.publicKey().toBase64Url());
        request.addHeader("Authorization", "WebPush " + token);
      }
      request.addHeader("TTL", Long.toString(delivery.ttl().getSeconds()));
      if (delivery.urgency() != Urgency.NORMAL) {
        request.addHeader("Urgency", delivery.urgency().token());
      }
      delivery.topic().ifPresent(t -> request.addHeader("Topic", t));
      request.addHeader("Content-Type", CONTENT_TYPE);
      CompletableFuture<DeliveryResult> result =
          CompletableFuture.supplyAsync(
                  () -> ownsClient ? null : resolveAndCheck(host), dispatcher)
              .thenCompose(ignored -> execute(request, body, host));
      CompletableFuture<DeliveryResult> out = new CompletableFuture<>();
      result.whenComplete(
          (r, e) -> {
            if (e == null) {
              log(host, r, null, start);
              out.complete(r);
            } else {
              Throwable cause = unwrap(e);
              DeliveryException d =
                  cause instanceof DeliveryException de ? de : failure(host, cause);
              log(host, null, d, start);
              out.completeExceptionally(d);
            }
          });
      return out;
    } catch (DeliveryException e) {
      log(host, null, e, start);
      return CompletableFuture.failedFuture(e);
    } catch (RejectedExecutionException e) {
      DeliveryException d =
          new DeliveryException("web-push: transport is closed (push service " + host + ")", e);
      log(host, null, d, start);
      return CompletableFuture.failedFuture(d);
    } catch (PushCryptoException | IllegalArgumentException e) {
      DeliveryException d =
          new DeliveryException("web-push: encryption failed for push service " + host
              + ": " + e.getMessage(), e);
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

  private CompletableFuture<DeliveryResult> execute(
      BasicHttpRequest request, byte[] body, String host) {
    CompletableFuture<DeliveryResult> future = new CompletableFuture<>();
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(requestConfig);
    try {
      client.execute(
          new BasicRequestProducer(request, AsyncEntityProducers.create(body, null)),
          new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
          context,
          new FutureCallback<Message<HttpResponse, Void>>() {
            @Override
            public void completed(Message<HttpResponse, Void> message) {
              HttpResponse response = message.getHead();
              var retryAfter = response.getFirstHeader("Retry-After");
              future.complete(
                  DeliveryResult.classify(
                      response.getCode(),
                      retryAfter == null
                          ? null
                          : HttpSupport.parseRetryAfter(retryAfter.getValue(), clock.instant())));
            }

            @Override
            public void failed(Exception ex) {
              future.completeExceptionally(failure(host, ex));
            }

            @Override
            public void cancelled() {
              future.completeExceptionally(
                  new DeliveryException("web-push: request to push service " + host
                      + " was cancelled"));
            }
          });
    } catch (RuntimeException e) {
      future.completeExceptionally(failure(host, e));
    }
    return future;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static DeliveryException failure(String host, Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof DeliveryException)) {
      if (t instanceof PolicyRefusal) {
        break;
      }
      t = t.getCause();
    }
    if (t instanceof PolicyRefusal || e instanceof PolicyRefusal) {
      PolicyRefusal p = t instanceof PolicyRefusal pr ? pr : (PolicyRefusal) e;
      return new DeliveryException("web-push: refused by push resource policy: " + p.getMessage(),
          e);
    }
    String kind;
    if (e instanceof java.net.SocketTimeoutException
        || e instanceof java.util.concurrent.TimeoutException
        || e.getClass().getSimpleName().contains("Timeout")) {
      kind = "timed out";
    } else if (e instanceof UnknownHostException) {
      kind = "host not found";
    } else if (e instanceof java.net.ConnectException) {
      kind = "connection failed";
    } else if (e instanceof javax.net.ssl.SSLException) {
      kind = "TLS failed";
    } else {
      kind = "failed (" + e.getClass().getSimpleName() + ")";
    }
    return new DeliveryException("web-push: request to push service " + host + " " + kind, e);
  }

  /** Called by our client's DNS resolver with every resolved address. */
  private void checkResolved(String host, InetAddress[] addresses) throws UnknownHostException {
    for (InetAddress a : addresses) {
      Optional<String> r = policy.refusal(a);
      if (r.isPresent()) {
        throw new PolicyRefusal("push resource host " + host + " resolves to a " + r.get());
      }
    }
  }

  private Void resolveAndCheck(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      checkResolved(host, InetAddress.getAllByName(h));
    } catch (PolicyRefusal e) {
      throw new java.util.concurrent.CompletionException(
          new DeliveryException("web-push: refused by push resource policy: " + e.getMessage()));
    } catch (UnknownHostException e) {
      throw new java.util.concurrent.CompletionException(
          new DeliveryException("web-push: push service host " + host + " not found", e));
    }
    return null;
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
    return authorization(signingKey.get(), origin);
  }

  /** For tests: how many tokens the current key has cached. */
  int cachedTokenCount() {
    return signingKey.get().tokens.size();
  }

  private static void log(
      String host, @Nullable DeliveryResult result, @Nullable Throwable error, long startNanos) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    if (result != null) {
      LOG.debug("web-push delivery to {}: status {} in {} ms", host, result.status(), ms);
    } else {
      Throwable e = error == null ? null : unwrap(error);
      Throwable cause = e != null && e.getCause() != null ? e.getCause() : e;
      LOG.debug("web-push delivery to {}: no answer ({}) after {} ms", host,
          cause == null ? "unknown" : cause.getClass().getSimpleName(), ms);
    }
  }

  /** Closes the HTTP client if this transport created it; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      dispatcher.shutdown();
      if (ownsClient) {
        client.close(CloseMode.GRACEFUL);
      }
    }
  }

  @Override
  public String toString() {
    return "WebPushTransport[vapidKey=" + vapidPublicKey() + ", policy=" + policy + "]";
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

  /** Thrown inside the DNS resolver; an {@link UnknownHostException} so HttpClient passes it on. */
  private static final class PolicyRefusal extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    PolicyRefusal(String message) {
      super(message);
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
     * transport. Default: the transport creates (and closes) its own.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(CloseableHttpAsyncClient client) {
      this.httpClient = requireNonNull(client, "client");
      return this;
    }

    /**
     * The clock for VAPID expiry and {@code Retry-After} dates. Default {@link
     * Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The largest payload sent; larger deliveries fail with a {@link DeliveryException} before
     * any network traffic. Default 3993 ({@link WebPushEncryption#MAX_PLAINTEXT_LENGTH}); some
     * push services refuse more than 3070.
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
     * The TLS context of the transport's own client, for push services behind a private CA.
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
     * The padding policy (RFC 8188 §4.7, RFC 8291 §4): pads every {@code aes128gcm} plaintext
     * with zero octets up to the next multiple of {@code octets}, never beyond {@link
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
     * Builds and starts the transport.
     *
     * @return the transport; close it when done
     * @throws NullPointerException if no VAPID key pair was set
     */
    public WebPushTransport build() {
      requireNonNull(vapidKeyPair, "vapidKeyPair (required)");
      return new WebPushTransport(this);
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
