package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 8030 push service for tests, by default listening on {@code 127.0.0.1} over plain HTTP;
 * with {@link Builder#https} it serves HTTPS with a certificate from a {@link
 * KitCertificateAuthority} (or from a key store of the user's), and with {@link Builder#bind} and
 * {@link Builder#advertisedUrl} it listens on a chosen address and mints its push resources under a
 * chosen base URL, so that a server on another host, or one that refuses loopback or plain-HTTP
 * push resources (R-WDP-64), can reach it ({@code docs/kit-reach.md}). It hands out push resources
 * ({@link #subscribe}), and for every request to one of them checks, records (as a {@link
 * ReceivedPush} on the {@link PushServiceSubscription}) and answers:
 *
 * <ul>
 *   <li>method {@code POST} (RFC 8030 §5), else {@code 405};
 *   <li>{@code TTL} present once, {@code 1*DIGIT} (§5.2), else {@code 400};
 *   <li>{@code Urgency}, if present, one of {@code very-low low normal high} (§5.3), else {@code
 *       400};
 *   <li>{@code Topic}, if present, 1–32 characters of {@code [A-Za-z0-9_-]} (§5.4), else {@code
 *       400};
 *   <li>{@code Content-Encoding} exactly {@code aes128gcm} (RFC 8291 §4), else {@code 400};
 *   <li>body at most {@link #MAX_BODY_BYTES} bytes (§7.2), else {@code 413};
 *   <li>on a restricted subscription (RFC 8292 §4.2): an {@code Authorization} header, else {@code
 *       401}; a {@code vapid t=…, k=…} credential whose JWT verifies with {@code k}, whose {@code
 *       k} is the restricting key, whose {@code aud} is {@link #origin()} and whose {@code exp} is
 *       in the future and at most {@link #VAPID_MAX_LIFETIME} ahead (each within {@link
 *       #CLOCK_SKEW}), else {@code 403}. On an unrestricted subscription a credential that is
 *       present is checked the same way except for the key;
 *   <li>the {@code aes128gcm} {@code keyid} differs from the VAPID key {@code k} (RFC 8292 §3.2),
 *       else {@code 400};
 *   <li>the body decrypts with the subscription's {@link PushServiceSubscription#keys() keys} (RFC
 *       8291), else {@code 400}.
 * </ul>
 *
 * <p>A request passing every check is answered {@code 201 Created} with a {@code Location} of a
 * push message resource. Otherwise every broken rule is recorded as a {@link Violation} and the
 * answer is the status of the most important one ({@code 405 > 401 > 403 > 413 > 400}). Scripted
 * answers ({@link PushServiceSubscription#answerWith(int, String)}) and {@link
 * PushServiceSubscription#unsubscribe()} override the status, never the checks. Requests to unknown
 * paths are answered {@code 404} and only counted ({@link #unknownResourceRequests()}). The handler
 * never lets an exception escape: an internal fault is answered {@code 500}.
 *
 * <p>Failures without an HTTP answer are scripted with {@link #injectFault}: the request is read,
 * validated and recorded as usual (with {@link ReceivedPush#status()} {@link #NO_ANSWER}), then the
 * service {@linkplain Fault#HANG hangs} or {@linkplain Fault#CLOSE_CONNECTION closes the
 * connection}. {@link #clientAddresses} tells which connection each request came on.
 *
 * <p>The service logs at DEBUG one line per request (method, status, violation codes), never the
 * push resource path, headers, tokens or bodies.
 *
 * <p>Thread safety: thread-safe; requests are handled on the service's own small thread pool, which
 * {@link #close()} shuts down.
 */
public final class EmbeddedPushService implements AutoCloseable {
  /** Largest body accepted, in bytes (RFC 8030 §7.2: a push service must not refuse ≤ 4096). */
  public static final int MAX_BODY_BYTES = 4096;

  /** Most body bytes kept in a {@link ReceivedPush}; longer bodies are truncated when recorded. */
  public static final int MAX_RECORDED_BODY_BYTES = 1 << 20;

  /** Longest VAPID token lifetime accepted: {@code exp} at most 24 h ahead (RFC 8292 §2). */
  public static final Duration VAPID_MAX_LIFETIME = Duration.ofHours(24);

  /** Clock difference tolerated when checking VAPID {@code exp}: 60 seconds either way. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** Path prefix of push resources: {@code /push/}. */
  public static final String PUSH_PATH = "/push/";

  /** Path prefix of push message resources named in {@code Location}: {@code /message/}. */
  public static final String MESSAGE_PATH = "/message/";

  /**
   * The {@link ReceivedPush#status()} recorded for a request that got no HTTP answer because of an
   * {@linkplain #injectFault injected fault}: {@code 0}.
   */
  public static final int NO_ANSWER = 0;

  /**
   * A way of failing a {@code POST} without an HTTP answer, scripted with {@link #injectFault}:
   * what a push service that hangs or drops connections looks like to the application server.
   *
   * <p>Thread safety: immutable.
   */
  public enum Fault {
    /**
     * Read, validate and record the request, then send nothing: the exchange stays open until the
     * service is {@linkplain #close() closed}, so the client sees no answer until its own timeout.
     * A hanging exchange holds no request thread of the service.
     */
    HANG,
    /** Read, validate and record the request, then close the connection without an answer. */
    CLOSE_CONNECTION
  }

  private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedPushService.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int THREADS = 4;
  private static final AtomicInteger SERVICE_NUMBERS = new AtomicInteger();

  private final HttpServer server;
  private final boolean https;
  private final @Nullable X509Certificate trustAnchor;
  private final List<TlsHandshakeFailure> tlsFailures =
      Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService executor;
  private final Clock clock;
  private final URI baseUri;
  private final String origin;
  private final Map<String, PushServiceSubscription> subscriptions = new ConcurrentHashMap<>();
  private final AtomicInteger unknownRequests = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Injected faults per push resource id, taken one per POST before any scripted answer. */
  private final Map<String, ArrayDeque<Fault>> faults = new ConcurrentHashMap<>();

  /** Client socket address of each recorded request per push resource id, in arrival order. */
  private final Map<String, List<InetSocketAddress>> clients = new ConcurrentHashMap<>();

  /** Exchanges left open by {@link Fault#HANG}; closed by {@link #close()}. */
  private final Set<HttpExchange> hanging = ConcurrentHashMap.newKeySet();

  private EmbeddedPushService(Builder b) {
    this.clock = b.clock;
    InetAddress bindAddress = b.bindAddress;
    if (bindAddress == null) {
      try {
        bindAddress = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      } catch (UnknownHostException e) {
        throw new PushServiceException("cannot build the loopback address 127.0.0.1", e);
      }
    }
    URI advertised = b.advertisedUrl;
    this.https =
        b.ca != null
            || b.keyStore != null
            || b.generateCa
            || (advertised != null && advertised.getScheme().equalsIgnoreCase("https"));
    String host =
        advertised != null
            ? advertised.getHost()
            : bindAddress.isAnyLocalAddress() ? "127.0.0.1" : uriHost(bindAddress);
    SSLContext serverContext = null;
    X509Certificate anchor = null;
    if (https) {
      KeyStore keyStore;
      char[] password;
      if (b.keyStore != null && b.keyStorePassword != null) {
        keyStore = b.keyStore;
        password = b.keyStorePassword.clone();
        anchor = lastOfChain(keyStore);
      } else {
        KitCertificateAuthority ca = b.ca != null ? b.ca : KitCertificateAuthority.generate();
        Set<String> names = new LinkedHashSet<>();
        names.add(host);
        if (!bindAddress.isAnyLocalAddress()) {
          names.add(bindAddress.getHostAddress());
        }
        KitCertificateAuthority.ServerIdentity id = ca.issueServerIdentity(names);
        keyStore = id.keyStore();
        password = id.password();
        anchor = ca.certificate();
      }
      serverContext =
          ObservedTls.observe(
              KitCertificateAuthority.serverContext(keyStore, password), clock, this::tlsFailed);
      Arrays.fill(password, '\0');
    }
    this.trustAnchor = anchor;
    int number = SERVICE_NUMBERS.incrementAndGet();
    AtomicInteger threadNumbers = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t =
              new Thread(
                  r, "davpush-push-service-" + number + "-" + threadNumbers.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newFixedThreadPool(THREADS, threads);
    InetSocketAddress bindTo = new InetSocketAddress(bindAddress, b.port);
    try {
      if (serverContext != null) {
        HttpsServer tls = HttpsServer.create(bindTo, 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        this.server = tls;
      } else {
        this.server = HttpServer.create(bindTo, 0);
      }
    } catch (IOException e) {
      executor.shutdownNow();
      throw new PushServiceException(
          "cannot listen on "
              + uriHost(bindAddress)
              + ":"
              + b.port
              + " ("
              + e.getMessage()
              + "); use port 0 for a free port",
          e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    int actualPort = server.getAddress().getPort();
    int advertisedPort =
        advertised != null && advertised.getPort() != -1 ? advertised.getPort() : actualPort;
    this.origin = (https ? "https" : "http") + "://" + host + ":" + advertisedPort;
    this.baseUri = URI.create(origin + "/");
    LOGGER.debug("push service listening on {}, reached as {}", server.getAddress(), origin);
  }

  private void tlsFailed(TlsHandshakeFailure failure) {
    synchronized (tlsFailures) {
      tlsFailures.add(failure);
      tlsFailures.notifyAll();
    }
    LOGGER.debug("push service: TLS handshake failed ({}): {}", failure.kind(), failure.detail());
  }

  private static String uriHost(InetAddress address) {
    String literal = address.getHostAddress();
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    return literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
  }

  private static @Nullable X509Certificate lastOfChain(KeyStore keyStore) {
    try {
      Enumeration<String> aliases = keyStore.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (keyStore.isKeyEntry(alias)) {
          Certificate[] chain = keyStore.getCertificateChain(alias);
          if (chain != null
              && chain.length > 0
              && chain[chain.length - 1] instanceof X509Certificate x) {
            return x;
          }
        }
      }
      return null;
    } catch (GeneralSecurityException e) {
      throw new PushServiceException("cannot read the key store: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a service on a free port of {@code 127.0.0.1}.
   *
   * @return the running service; close it when done
   * @throws PushServiceException if no port could be bound
   */
  public static EmbeddedPushService start() {
    return builder().start();
  }

  /**
   * Starts a service on the given port of {@code 127.0.0.1}.
   *
   * @param port 0 for a free port, else 1–65535
   * @return the running service; close it when done
   * @throws IllegalArgumentException if the port is outside 0–65535
   * @throws PushServiceException if the port cannot be bound (for example it is taken)
   */
  public static EmbeddedPushService start(int port) {
    return builder().port(port).start();
  }

  /**
   * A builder for a service with a non-default port, address, scheme, base URL or clock.
   *
   * @return a new builder: plain HTTP on {@code 127.0.0.1}, port {@link Builder#DEFAULT_PORT}, the
   *     UTC system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The service's base URI, under which it mints push resources (with a trailing slash): {@code
   * http://127.0.0.1:<port>/} by default; the {@linkplain Builder#advertisedUrl advertised URL}'s
   * scheme, host and port when one was set ({@code https} and the port the service listens on when
   * the URL names none).
   *
   * @return the base URI
   */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * The RFC 6454 origin of every push resource of this service, {@link #baseUri()} without the
   * trailing slash (for example {@code http://127.0.0.1:<port>}): the VAPID {@code aud} the service
   * expects (RFC 8292 §2).
   *
   * @return the origin
   */
  public String origin() {
    return origin;
  }

  /**
   * The port the service listens on (the advertised port may differ).
   *
   * @return 1–65535
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The address and port the service listens on.
   *
   * @return the socket address, for example {@code 127.0.0.1:43817} or {@code 0.0.0.0:8443}
   */
  public InetSocketAddress bindAddress() {
    return server.getAddress();
  }

  /**
   * Whether the service speaks HTTPS.
   *
   * @return true if it was built with {@link Builder#https} or an {@code https} advertised URL
   */
  public boolean isHttps() {
    return https;
  }

  /**
   * The certificate a client must trust to reach this service over HTTPS: the {@link
   * KitCertificateAuthority}'s, or with a user's key store the last certificate of its key entry's
   * chain.
   *
   * @return the certificate; empty for a plain-HTTP service
   */
  public Optional<X509Certificate> trustAnchor() {
    return Optional.ofNullable(trustAnchor);
  }

  /**
   * A TLS context that trusts {@link #trustAnchor()} only, for clients in tests (the reference
   * server's transport, {@code java.net.http}).
   *
   * @return a new initialised context; empty for a plain-HTTP service
   */
  public Optional<SSLContext> clientSslContext() {
    return trustAnchor().map(a -> KitCertificateAuthority.trusting(List.of(a), false));
  }

  /**
   * The connections to this HTTPS service that failed in the TLS handshake, in order: a client that
   * rejected the certificate ({@link TlsHandshakeFailure.Kind#CERTIFICATE_REJECTED}), one that sent
   * plain HTTP to the TLS port ({@link TlsHandshakeFailure.Kind#PLAINTEXT_HTTP}), or another
   * failure. Always empty for a plain-HTTP service.
   *
   * @return an immutable snapshot
   */
  public List<TlsHandshakeFailure> tlsHandshakeFailures() {
    synchronized (tlsFailures) {
      return List.copyOf(tlsFailures);
    }
  }

  /**
   * Waits until at least {@code count} TLS handshakes have failed, or the timeout passes: the
   * service sees a client's alert a moment after the client gave up.
   *
   * @param count how many failures to wait for, ≥ 1
   * @param timeout how long to wait at most
   * @return {@link #tlsHandshakeFailures()} when it returns, possibly shorter than {@code count}
   * @throws IllegalArgumentException if {@code count} is below 1
   */
  public List<TlsHandshakeFailure> awaitTlsHandshakeFailures(int count, Duration timeout) {
    if (count < 1) {
      throw new IllegalArgumentException("count: expected >= 1, got " + count);
    }
    requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (tlsFailures) {
      long left;
      while (tlsFailures.size() < count && (left = deadline - System.nanoTime()) > 0) {
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(tlsFailures, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return List.copyOf(tlsFailures);
    }
  }

  /**
   * Creates a push subscription: a new push resource {@code baseUri/push/<id>} ({@code <id>} = 22
   * base64url characters of 128 random bits) with freshly generated user agent keys.
   *
   * @param vapidKey the application server key to restrict the subscription to (RFC 8292 §4), or
   *     null for an unrestricted subscription
   * @return the subscription, live until {@link PushServiceSubscription#unsubscribe()} or {@link
   *     #close()}
   * @throws IllegalStateException if the service is closed
   * @throws dev.davpush.webpush.crypto.PushCryptoException if key generation fails
   */
  public PushServiceSubscription subscribe(@Nullable P256PublicKey vapidKey) {
    if (closed.get()) {
      throw new IllegalStateException("subscribe: the push service is closed; start a new one");
    }
    UserAgentKeyPair keys = UserAgentKeyPair.generate();
    while (true) {
      String id = randomId();
      PushResource resource = new PushResource(baseUri.resolve(PUSH_PATH.substring(1) + id));
      PushServiceSubscription subscription = new PushServiceSubscription(resource, keys, vapidKey);
      if (subscriptions.putIfAbsent(id, subscription) == null) {
        return subscription;
      }
    }
  }

  /**
   * Creates an unrestricted push subscription; same as {@code subscribe(null)}.
   *
   * @return the subscription
   * @throws IllegalStateException if the service is closed
   */
  public PushServiceSubscription subscribe() {
    return subscribe(null);
  }

  /**
   * Scripts the next {@code times} {@code POST}s on a push resource of this service to fail without
   * an HTTP answer. Each call queues {@code times} faults behind those already queued; each {@code
   * POST} takes one, first in first out, before any {@linkplain
   * PushServiceSubscription#answerWith(int, String) scripted answer} or the {@code 410} of an
   * unsubscribed push resource is considered (those stay queued for later requests). The request is
   * still fully validated and recorded, with status {@link #NO_ANSWER}.
   *
   * @param subscription a subscription of this service
   * @param fault what to do instead of answering
   * @param times how many {@code POST}s fail this way; ≥ 1 (use a large count for "always")
   * @throws IllegalArgumentException if the subscription is not one of this service's, or {@code
   *     times} is below 1
   */
  public void injectFault(PushServiceSubscription subscription, Fault fault, int times) {
    requireNonNull(subscription, "subscription");
    requireNonNull(fault, "fault");
    if (times < 1) {
      throw new IllegalArgumentException("injectFault: times: expected >= 1, got " + times);
    }
    String id = idOf(subscription);
    ArrayDeque<Fault> queue = faults.computeIfAbsent(id, k -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.addLast(fault);
      }
    }
  }

  /**
   * The client socket address (the application server's side of the connection) of every request
   * recorded on a push resource, in the order of {@link PushServiceSubscription#received()}: two
   * requests with different addresses came on different connections.
   *
   * @param subscription a subscription of this service
   * @return an immutable snapshot, possibly empty
   * @throws IllegalArgumentException if the subscription is not one of this service's
   */
  public List<InetSocketAddress> clientAddresses(PushServiceSubscription subscription) {
    requireNonNull(subscription, "subscription");
    List<InetSocketAddress> list = clients.get(idOf(subscription));
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  private String idOf(PushServiceSubscription subscription) {
    String path = subscription.pushResource().uri().getRawPath();
    String id =
        path == null || !path.startsWith(PUSH_PATH) ? null : path.substring(PUSH_PATH.length());
    if (id == null || subscriptions.get(id) != subscription) {
      throw new IllegalArgumentException(
          "subscription: expected a subscription of this push service ("
              + origin
              + "), got "
              + subscription);
    }
    return id;
  }

  /**
   * How many requests arrived for paths that are not push resources of this service (answered
   * {@code 404}, not recorded).
   *
   * @return the count since start
   */
  public int unknownResourceRequests() {
    return unknownRequests.get();
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Stops listening and shuts the request threads down. Requests in progress are cut off.
   * Idempotent: later calls do nothing. Recorded requests stay readable.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    for (HttpExchange exchange : List.copyOf(hanging)) {
      try {
        exchange.close();
      } catch (RuntimeException ignored) {
        // the connection is already gone with the server
      }
    }
    hanging.clear();
    executor.shutdownNow();
    LOGGER.debug("push service on {} stopped", origin);
  }

  /** The origin and subscription count; never a push resource path. */
  @Override
  public String toString() {
    return "EmbeddedPushService["
        + origin
        + (https ? ", TLS" : "")
        + ", subscriptions="
        + subscriptions.size()
        + (closed.get() ? ", closed" : "")
        + "]";
  }

  private void handle(HttpExchange exchange) {
    boolean keepOpen = false;
    try {
      String path = exchange.getRequestURI().getRawPath();
      String id =
          path != null && path.startsWith(PUSH_PATH) ? path.substring(PUSH_PATH.length()) : null;
      PushServiceSubscription subscription = id != null ? subscriptions.get(id) : null;
      if (id == null || subscription == null) {
        unknownRequests.incrementAndGet();
        drain(exchange);
        LOGGER.debug(
            "push service: {} on an unknown path answered 404", exchange.getRequestMethod());
        respond(exchange, 404, null, "no such push resource\n");
        return;
      }
      keepOpen = handlePush(exchange, id, subscription);
    } catch (IOException | RuntimeException e) {
      LOGGER.warn(
          "push service: request handling failed: {}: {}", e.getClass().getName(), e.getMessage());
      try {
        respond(exchange, 500, null, "internal error of the embedded push service\n");
      } catch (IOException | RuntimeException ignored) {
        // the response may already have been started or the peer gone; nothing more to do
      }
    } finally {
      if (!keepOpen) {
        exchange.close();
      }
    }
  }

  /** Handles a request on a push resource; true if the exchange must stay open (a hang). */
  private boolean handlePush(HttpExchange exchange, String id, PushServiceSubscription subscription)
      throws IOException {
    String method = exchange.getRequestMethod();
    byte[] body;
    boolean truncated;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] read = in.readNBytes(MAX_RECORDED_BODY_BYTES + 1);
      truncated = read.length > MAX_RECORDED_BODY_BYTES;
      body = truncated ? Arrays.copyOf(read, MAX_RECORDED_BODY_BYTES) : read;
    }
    Instant now = clock.instant();
    Map<String, List<String>> headers = exchange.getRequestHeaders();
    PushRequestInspector.Result result =
        PushRequestInspector.inspect(method, headers, body, truncated, subscription, origin, now);
    int status = result.status();
    String retryAfter = null;
    Fault fault = method.equals("POST") ? takeFault(id) : null;
    if (fault != null) {
      status = NO_ANSWER;
    } else if (method.equals("POST")) {
      PushServiceSubscription.ScriptedAnswer override = subscription.takeOverride();
      if (override != null) {
        status = override.status();
        retryAfter = override.retryAfter();
      }
    }
    ReceivedPush push =
        new ReceivedPush(
            now,
            method,
            headers,
            body,
            truncated,
            result.plaintext,
            result.claims,
            result.violations,
            status);
    List<InetSocketAddress> addresses = clients.computeIfAbsent(id, k -> new ArrayList<>());
    synchronized (addresses) {
      addresses.add(exchange.getRemoteAddress());
      subscription.record(push);
    }
    if (fault != null) {
      LOGGER.debug(
          "push service: {} on a push resource got no answer ({}) {}",
          method,
          fault,
          push.violations().stream().map(Violation::code).toList());
      if (fault == Fault.HANG) {
        hanging.add(exchange);
        if (closed.get() && hanging.remove(exchange)) {
          return false; // closed meanwhile: let the caller close it
        }
        return true;
      }
      return false; // CLOSE_CONNECTION: closing an exchange without an answer drops the connection
    }
    if (LOGGER.isDebugEnabled()) {
      LOGGER.debug(
          "push service: {} on a push resource answered {} {}",
          method,
          status,
          push.violations().stream().map(Violation::code).toList());
    }
    if (status == 201 || status == 202) {
      exchange.getResponseHeaders().set("Location", origin + MESSAGE_PATH + randomId());
    }
    if (status == 405) {
      exchange.getResponseHeaders().set("Allow", "POST");
    }
    respond(exchange, status, retryAfter, errorText(result.violations, status));
    return false;
  }

  private @Nullable Fault takeFault(String id) {
    ArrayDeque<Fault> queue = faults.get(id);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      return queue.pollFirst();
    }
  }

  private static @Nullable String errorText(List<Violation> violations, int status) {
    if (status < 400 || violations.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Violation v : violations) {
      sb.append(v.code()).append(": ").append(v.message()).append('\n');
    }
    return sb.toString();
  }

  private static void respond(
      HttpExchange exchange, int status, @Nullable String retryAfter, @Nullable String text)
      throws IOException {
    if (retryAfter != null) {
      exchange.getResponseHeaders().set("Retry-After", retryAfter);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (text == null || head || status == 204 || status == 304) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buffer = new byte[8192];
      long left = MAX_RECORDED_BODY_BYTES;
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
      }
    }
  }

  private static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64Url.encode(b);
  }

  /**
   * Configures and starts an {@link EmbeddedPushService}.
   *
   * <p>Thread safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    /** Default port: 0, a free port chosen by the system. */
    public static final int DEFAULT_PORT = 0;

    private int port = DEFAULT_PORT;
    private Clock clock = Clock.systemUTC();
    private @Nullable InetAddress bindAddress;
    private @Nullable URI advertisedUrl;
    private @Nullable KitCertificateAuthority ca;
    private @Nullable KeyStore keyStore;
    private char @Nullable [] keyStorePassword;
    private boolean generateCa;

    private Builder() {}

    /**
     * Sets the port to listen on.
     *
     * @param port 0 for a free port (default {@link #DEFAULT_PORT}), else 1–65535
     * @return this builder
     * @throws IllegalArgumentException if the port is outside 0–65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: expected 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the address to listen on (default {@code 127.0.0.1}); the port stays as set with {@link
     * #port}. A wildcard address ({@code 0.0.0.0}, {@code ::}) listens on every interface: set an
     * {@link #advertisedUrl} the server under test can reach, else {@code 127.0.0.1} is advertised.
     *
     * @param address a local address
     * @return this builder
     */
    public Builder bind(InetAddress address) {
      this.bindAddress = requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the address and port to listen on, as {@link #bind(InetAddress)} and {@link #port}.
     *
     * @param address a resolved local socket address; port 0 for a free port
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder bind(InetSocketAddress address) {
      requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "address: expected a resolved local address, got unresolved " + address);
      }
      this.bindAddress = address.getAddress();
      return port(address.getPort());
    }

    /**
     * Sets the base URL push resources are minted under, when the server under test reaches the
     * service by another name or port than the one it listens on (a host name, a forwarded port):
     * push resources are {@code <url>/push/<id>}, and the VAPID {@code aud} expected is the URL's
     * origin. An {@code https} URL makes the service speak HTTPS (with a freshly generated CA
     * unless {@link #https} says otherwise). Default: {@code http://127.0.0.1:<port>}, or the bind
     * address when it is a specific one.
     *
     * @param url an absolute {@code http} or {@code https} URL with a host, without user info,
     *     query or fragment, with path empty or {@code /}; without a port it stands for the port
     *     the service listens on
     * @return this builder
     * @throws IllegalArgumentException if the URL is not of that form
     */
    public Builder advertisedUrl(URI url) {
      requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      String path = url.getRawPath();
      if (!(scheme.equals("http") || scheme.equals("https"))
          || url.getHost() == null
          || url.getRawUserInfo() != null
          || url.getRawQuery() != null
          || url.getRawFragment() != null
          || !(path == null || path.isEmpty() || path.equals("/"))) {
        throw new IllegalArgumentException(
            "url: expected http(s)://host[:port] with no path, user info, query or fragment, got "
                + url);
      }
      this.advertisedUrl = url;
      return this;
    }

    /**
     * Serves HTTPS with a certificate issued by a fresh {@link KitCertificateAuthority}; read it
     * back with {@link EmbeddedPushService#trustAnchor()}.
     *
     * @return this builder
     */
    public Builder https() {
      this.generateCa = true;
      return this;
    }

    /**
     * Serves HTTPS with a certificate the given CA issues at start, with the advertised host and
     * the bind address (unless a wildcard) as subject alternative names.
     *
     * @param ca the CA the server under test trusts
     * @return this builder
     */
    public Builder https(KitCertificateAuthority ca) {
      this.ca = requireNonNull(ca, "ca");
      return this;
    }

    /**
     * Serves HTTPS with the user's own certificate: the key store's key entry (with its chain) is
     * presented as is, so it must name the host the service is advertised under.
     *
     * @param keyStore a loaded key store (PKCS#12) with one key entry
     * @param password the key's password; copied
     * @return this builder
     */
    public Builder https(KeyStore keyStore, char[] password) {
      this.keyStore = requireNonNull(keyStore, "keyStore");
      this.keyStorePassword = requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Sets the clock for {@link ReceivedPush#receivedAt()} and VAPID {@code exp} checks.
     *
     * @param clock the clock (default: {@link Clock#systemUTC()})
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts the service.
     *
     * @return the running service; close it when done
     * @throws IllegalStateException if the advertised URL is {@code http} while HTTPS was asked
     *     for, or both a CA and a key store were given
     * @throws PushServiceException if the port cannot be bound, or the key store is unusable
     */
    public EmbeddedPushService start() {
      boolean tls = ca != null || keyStore != null || generateCa;
      if (tls && advertisedUrl != null && advertisedUrl.getScheme().equalsIgnoreCase("http")) {
        throw new IllegalStateException(
            "advertisedUrl " + advertisedUrl + " is http, but https(...) was set: use https://");
      }
      if (ca != null && keyStore != null) {
        throw new IllegalStateException("https: a CA or a key store, not both");
      }
      return new EmbeddedPushService(this);
    }
  }
}
