package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PropertyName;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.xml.ApplePush;
import dev.davpush.xml.ApplePushTransport;
import dev.davpush.xml.CalConnect;
import dev.davpush.xml.CalConnectDiscovery;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.ErrorReader;
import dev.davpush.xml.HttpDates;
import dev.davpush.xml.MultistatusReader;
import dev.davpush.xml.PushRegisterWriter;
import dev.davpush.xml.PushXmlException;
import dev.davpush.xml.WebDavPush;
import dev.davpush.xml.XmlLimits;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The WebDAV-Push client (draft-bitfire-webdav-push, client side): discovery, registration, update,
 * refresh before expiry, unregistration, and re-registration after a VAPID key rotation. Receiving
 * is {@link PushReceiver}; own writes are {@link OwnWrites}; when to poll is {@link
 * PollingAdvisor}.
 *
 * <p>Every operation is asynchronous and returns a {@link CompletableFuture} that completes
 * exceptionally with: {@link RegistrationRefusedException} (a {@code 403} precondition, one
 * subclass each), {@link DavStatusException} (another unexpected status), {@link
 * DavResponseException} (an unreadable answer), {@link RedirectRefusedException} (a redirect to
 * another origin), {@link DavTransportException} (no answer, or a timeout). A failed operation
 * leaves no state behind: the client itself holds no registrations; the values it returns are the
 * application's to keep.
 *
 * <p>HTTP: one {@link CloseableHttpAsyncClient}, the client's own (created by {@link
 * Builder#build()}, closed by {@link #close()}) or the application's ({@link Builder#httpClient},
 * started by the application and never closed here). Credentials are sent only to the origin they
 * were given for, after a {@code 401} challenge unless {@link Builder#preemptiveAuthentication}.
 * Redirects of DAV requests are followed (same method and body, at most {@value #MAX_REDIRECTS})
 * only within the origin of the request. Timeouts: {@link #DEFAULT_CONNECT_TIMEOUT}, {@link
 * #DEFAULT_RESPONSE_TIMEOUT}, {@link #DEFAULT_REQUEST_TIMEOUT}.
 *
 * <p>Other requests (the application's own writes with {@link OwnWrites}) go through the same HTTP
 * stack with {@link #exchange}. The client does not log; its own HTTP client has HttpClient's wire
 * log switched off, so registration bodies never reach a logger (see {@code docs/client.md} for
 * HttpClient's header log).
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} is idempotent.
 */
public final class DavPushClient implements AutoCloseable {
  /** Default time to establish a connection (own HTTP client only): 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default longest silence while waiting for an answer: 30 seconds. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  /** Default time for a whole request, redirects and authentication included: 60 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Default largest answer body read: 16 MiB (a {@code Depth: 1} listing of a big collection). */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;

  /** The most redirects followed for one request: {@value}. */
  public static final int MAX_REDIRECTS = 5;

  /**
   * The expiry assumed when a server grants a registration without a readable {@code Expires}
   * (R-WDP-26 broken): 3 days, the minimum the draft asks servers to allow (R-WDP-31), or the
   * requested expiry if that is earlier.
   */
  public static final Duration ASSUMED_EXPIRY = Duration.ofDays(3);

  /**
   * Default for how long {@link #reRegisterAfterKeyRotation} waits for the server to publish a new
   * key: 30 seconds.
   */
  public static final Duration KEY_ROTATION_WAIT = Duration.ofSeconds(30);

  /** The first wait after a failed scheduled refresh: 30 seconds, doubling up to one hour. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);

  static final String USER_AGENT = "davpush-client";

  private static final String XML = WebDavPush.MEDIA_TYPE;

  /** Every property discovery asks for: current names, older drafts, Apple, CalConnect. */
  static final List<PropertyName> DISCOVERY_PROPERTIES =
      List.of(
          PropertyName.of("DAV:", "resourcetype"),
          PropertyName.SYNC_TOKEN,
          WebDavPush.TRANSPORTS,
          WebDavPush.TOPIC,
          WebDavPush.SUPPORTED_TRIGGERS,
          PropertyName.of(WebDavPush.LEGACY_NAMESPACE, "transports"),
          PropertyName.of(WebDavPush.LEGACY_NAMESPACE, "push-transports"),
          PropertyName.of(WebDavPush.LEGACY_NAMESPACE, "topic"),
          PropertyName.of(WebDavPush.LEGACY_NAMESPACE, "supported-triggers"),
          ApplePush.PUSH_TRANSPORTS,
          ApplePush.PUSHKEY,
          CalConnect.PUSH_SUBSCRIBE_URL,
          PropertyName.of(CalConnect.NAMESPACE, "subscribe-URL"),
          CalConnect.SUPPORTED_TRANSPORT_SET,
          CalConnect.TOPIC,
          CalConnect.PUSH_VERSION,
          PropertyName.of(CalConnect.NAMESPACE, "version"));

  private final DavHttp http;
  private final @Nullable CloseableHttpAsyncClient ownClient;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final Clock clock;
  private final RandomGenerator random;
  private final Consumer<ServerDeviation> onDeviation;
  private final XmlLimits listingLimits;
  private final Duration keyRotationWait;
  private final Duration firstRetry;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DavPushClient(Builder b) {
    this.clock = b.clock;
    this.random = b.random != null ? b.random : new SecureRandom();
    this.onDeviation = b.onDeviation;
    this.keyRotationWait = b.keyRotationWait;
    this.firstRetry = b.firstRetry;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownScheduler = false;
    } else {
      AtomicInteger n = new AtomicInteger();
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "davpush-client-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.ownScheduler = true;
    }
    CloseableHttpAsyncClient client = b.httpClient;
    if (client == null) {
      client =
          HttpAsyncClients.custom()
              .setConnectionManager(
                  PoolingAsyncClientConnectionManagerBuilder.create()
                      .setDefaultConnectionConfig(
                          ConnectionConfig.custom()
                              .setConnectTimeout(Timeout.of(b.connectTimeout))
                              .setSocketTimeout(Timeout.of(b.responseTimeout))
                              .build())
                      .build())
              .setIOReactorConfig(
                  IOReactorConfig.custom()
                      .setIoThreadCount(1)
                      .setSelectInterval(
                          Timeout.ofMilliseconds(
                              Math.max(
                                  10,
                                  Math.min(
                                      1000,
                                      Math.min(
                                              b.connectTimeout.toMillis(),
                                              b.responseTimeout.toMillis())
                                          / 4))))
                      .build())
              // no LoggingIOSession: HttpClient's wire log would write registration bodies (push
              // resource, auth secret) at DEBUG
              .setIoSessionDecorator(session -> session)
              .setUserAgent(USER_AGENT)
              .disableRedirectHandling()
              .disableAutomaticRetries()
              .disableCookieManagement()
              .build();
      client.start();
      this.ownClient = client;
    } else {
      this.ownClient = null;
    }
    int maxBytes = b.maxResponseBytes;
    this.listingLimits =
        XmlLimits.builder()
            .maxInputBytes(maxBytes)
            .maxElements(Math.max(XmlLimits.DEFAULT_MAX_ELEMENTS, maxBytes / 16))
            .build();
    this.http =
        new DavHttp(
            client,
            b.credentials,
            b.preemptive,
            b.responseTimeout,
            b.requestTimeout,
            maxBytes,
            scheduler);
  }

  /**
   * A new builder.
   *
   * @return a builder with the documented defaults: own HTTP client and scheduler, no credentials
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- discovery

  /**
   * Discovers push support of one resource: {@code OPTIONS} (the {@code webdav-push} compliance
   * class, R-WDP-4) and {@code PROPFIND} with {@code Depth: 0} (R-WDP-5, R-WDP-10) for the push
   * properties in every known form, {@code DAV:sync-token} and the Apple and CalConnect properties.
   *
   * @param resource an absolute http(s) URL, usually a collection
   * @return the discovery; a resource without push support gives a value whose {@link
   *     PushDiscovery#supportsWebPush()} is false, not a failure
   * @throws IllegalArgumentException if the URL is not absolute http(s)
   */
  public CompletableFuture<PushDiscovery> discover(URI resource) {
    checkUrl(resource, "resource");
    CompletableFuture<Optional<Boolean>> options =
        http.send("OPTIONS", resource, Map.of(), null, null)
            .thenApply(
                a ->
                    a.status() >= 200 && a.status() < 300
                        ? Optional.of(davTokens(a).contains(WebDavPush.COMPLIANCE_CLASS))
                        : Optional.<Boolean>empty());
    return options.thenCompose(
        o ->
            propfind(resource, "0")
                .thenApply(
                    list -> {
                      PushDiscovery d = pick(resource, list);
                      return o.map(d::withComplianceClass).orElse(d);
                    }));
  }

  /**
   * Discovers push support of a collection and its members in one {@code PROPFIND} with {@code
   * Depth: 1}: for a calendar home set, every calendar; for an address book home set, every address
   * book.
   *
   * @param collection an absolute http(s) URL
   * @return the collection first (when the server lists it), then its members in document order;
   *     {@link PushDiscovery#complianceClassAdvertised()} is empty on all
   * @throws IllegalArgumentException if the URL is not absolute http(s)
   */
  public CompletableFuture<List<PushDiscovery>> discoverMembers(URI collection) {
    checkUrl(collection, "collection");
    return propfind(collection, "1");
  }

  private CompletableFuture<List<PushDiscovery>> propfind(URI uri, String depth) {
    return http.send(
            "PROPFIND",
            uri,
            Map.of("Depth", List.of(depth)),
            propfindBody(DISCOVERY_PROPERTIES),
            XML)
        .thenApply(
            a -> {
              expect207(a);
              List<DavResponse> responses = readMultistatus(a, listingLimits);
              List<PushDiscovery> out = new ArrayList<>();
              for (DavResponse r : responses) {
                if (r.href().isEmpty()) {
                  continue;
                }
                URI href;
                try {
                  href = a.uri().resolve(r.href());
                } catch (IllegalArgumentException e) {
                  report(
                      new ServerDeviation(
                          "RFC 4918 §14.7", "a DAV:href is not a URL reference; response skipped"));
                  continue;
                }
                out.add(toDiscovery(href, r));
              }
              return List.copyOf(out);
            });
  }

  private PushDiscovery pick(URI resource, List<PushDiscovery> list) {
    for (PushDiscovery d : list) {
      if (samePath(d.resource(), resource)) {
        return d;
      }
    }
    if (!list.isEmpty()) {
      return list.get(0);
    }
    throw new DavResponseException(
        DavAnswer.where("PROPFIND", resource) + ": the 207 Multi-Status holds no response");
  }

  private static boolean samePath(URI a, URI b) {
    String pa = a.normalize().getPath() == null ? "" : a.normalize().getPath();
    String pb = b.normalize().getPath() == null ? "" : b.normalize().getPath();
    return strip(pa).equals(strip(pb));
  }

  private static String strip(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private PushDiscovery toDiscovery(URI href, DavResponse r) {
    List<ServerDeviation> deviations = new ArrayList<>();
    Topic topic = null;
    List<TransportDescriptor> transports = List.of();
    SupportedTriggers triggers = null;
    try {
      topic = r.topic().orElse(null);
    } catch (PushXmlException e) {
      deviations.add(
          new ServerDeviation("R-WDP-8", "topic unreadable, ignored: " + e.getMessage()));
    }
    try {
      transports = r.transports().orElse(List.of());
    } catch (PushXmlException e) {
      deviations.add(
          new ServerDeviation("R-WDP-51", "transports unreadable, ignored: " + e.getMessage()));
    }
    try {
      triggers = r.supportedTriggers().orElse(null);
    } catch (PushXmlException e) {
      deviations.add(
          new ServerDeviation(
              "R-WDP-9", "supported-triggers unreadable, ignored: " + e.getMessage()));
    }
    boolean legacy =
        r.statuses().entrySet().stream()
            .anyMatch(
                e ->
                    e.getKey().namespaceUri().equals(WebDavPush.LEGACY_NAMESPACE)
                        && e.getValue() >= 200
                        && e.getValue() < 300);
    List<AlternativePush> alternatives = new ArrayList<>();
    try {
      List<ApplePushTransport> apple = r.applePushTransports().orElse(List.of());
      Optional<String> pushKey = r.applePushKey();
      if (!apple.isEmpty() || pushKey.isPresent()) {
        alternatives.add(new AlternativePush.Apple(apple, pushKey.orElse(null)));
      }
    } catch (RuntimeException e) {
      deviations.add(
          new ServerDeviation("R-APPLE-1", "CS:push-transports unreadable, ignored: " + e));
    }
    try {
      Optional<CalConnectDiscovery> cc = r.calConnectDiscovery();
      cc.ifPresent(c -> alternatives.add(new AlternativePush.CalConnect(c)));
    } catch (RuntimeException e) {
      deviations.add(
          new ServerDeviation("R-GAJ-7", "CalConnect discovery unreadable, ignored: " + e));
    }
    deviations.forEach(this::report);
    return new PushDiscovery(
        href,
        null,
        topic,
        transports,
        triggers,
        r.syncToken().orElse(null),
        r.resourceTypes(),
        legacy,
        alternatives,
        deviations);
  }

  private static Set<String> davTokens(DavAnswer a) {
    Set<String> tokens = new LinkedHashSet<>();
    for (String line : a.headers("DAV")) {
      for (String t : line.split(",")) {
        if (!t.isBlank()) {
          tokens.add(t.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  private static byte[] propfindBody(List<PropertyName> properties) {
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"");
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("DAV:", "D");
    for (PropertyName p : properties) {
      prefixes.computeIfAbsent(p.namespaceUri(), ns -> "N" + prefixes.size());
    }
    prefixes.forEach(
        (ns, prefix) -> {
          if (!prefix.equals("D")) {
            xml.append(" xmlns:").append(prefix).append("=\"").append(ns).append('"');
          }
        });
    xml.append("><D:prop>");
    for (PropertyName p : properties) {
      xml.append('<').append(prefixes.get(p.namespaceUri())).append(':').append(p.localName());
      xml.append("/>");
    }
    xml.append("</D:prop></D:propfind>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void expect207(DavAnswer a) {
    if (a.status() != 207) {
      throw new DavStatusException(
          a.method(),
          a.status(),
          a.where()
              + ": expected 207 Multi-Status, got "
              + a.status()
              + (a.status() == 401 ? " (credentials missing or refused)" : ""));
    }
  }

  private static List<DavResponse> readMultistatus(DavAnswer a, XmlLimits limits) {
    try {
      return MultistatusReader.read(new ByteArrayInputStream(a.body()), limits);
    } catch (PushXmlException e) {
      throw new DavResponseException(
          a.where() + ": the 207 body is not a readable multistatus: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers a Web Push subscription on a discovered resource (draft §3.1, R-WDP-11): {@code POST}
   * of a {@code push-register} document. The topic and VAPID key of the discovery are kept in the
   * returned registration.
   *
   * @param target the discovered resource; should {@link PushDiscovery#supportsWebPush()}
   * @param subscription the subscription, restricted to {@link PushDiscovery#vapidKey()} when the
   *     server has one (R-WDP-52); its key material is the application's (R-WDP-57)
   * @param triggers the requested triggers; the server may downgrade them (R-WDP-15)
   * @param requestedExpiry the expiry to ask for, or null to let the server choose
   * @return the registration, {@link RegistrationResult.Kind#CREATED} (a server that already had
   *     this push resource on this resource updated that registration instead, R-WDP-28; its answer
   *     looks the same)
   */
  public CompletableFuture<RegistrationResult> register(
      PushDiscovery target,
      WebPushSubscription subscription,
      List<Trigger> triggers,
      @Nullable Instant requestedExpiry) {
    requireNonNull(target, "target");
    return post(
        target.resource(),
        new RegisterRequest(subscription, triggers, requestedExpiry),
        target.topic().orElse(null),
        target.vapidKey().orElse(null),
        null);
  }

  /**
   * Registers without a prior discovery: the returned registration has no topic, so {@link
   * PushReceiver} cannot map messages to it; prefer {@link #register(PushDiscovery,
   * WebPushSubscription, List, Instant)}.
   *
   * @param collection an absolute http(s) URL
   * @param request the registration; its subscription must be a {@link WebPushSubscription}
   * @return the registration
   * @throws IllegalArgumentException if the URL is not absolute or the subscription is not Web Push
   */
  public CompletableFuture<RegistrationResult> register(URI collection, RegisterRequest request) {
    checkUrl(collection, "collection");
    requireNonNull(request, "request");
    return post(collection, request, null, null, null);
  }

  /**
   * Updates a registration: the same push resource registered again on the same resource, with new
   * triggers or a new requested expiry (R-WDP-28). The server keeps the registration URL; if it
   * answers with another one, the result is {@link RegistrationResult.Kind#REPLACED}.
   *
   * @param registration the current registration
   * @param triggers the triggers now wanted
   * @param requestedExpiry the expiry to ask for, or null
   * @return the updated registration
   */
  public CompletableFuture<RegistrationResult> update(
      PushRegistration registration, List<Trigger> triggers, @Nullable Instant requestedExpiry) {
    requireNonNull(registration, "registration");
    return post(
        registration.collection(),
        new RegisterRequest(registration.subscription(), triggers, requestedExpiry),
        registration.topic().orElse(null),
        registration.vapidKey().orElse(null),
        registration);
  }

  /**
   * Refreshes a registration before it expires (R-WDP-32): the same registration again, asking for
   * the same lifetime it was granted last time. A server that forgot the registration (its URL now
   * answers {@code 404}) registers it anew: {@link RegistrationResult.Kind#REPLACED} with the new
   * registration URL.
   *
   * @param registration the current registration
   * @return the refreshed registration
   */
  public CompletableFuture<RegistrationResult> refresh(PushRegistration registration) {
    requireNonNull(registration, "registration");
    Duration lifetime = Duration.between(registration.granted(), registration.expires());
    Instant requested =
        lifetime.isNegative() || lifetime.isZero() ? null : clock.instant().plus(lifetime);
    return update(registration, registration.triggers(), requested);
  }

  /**
   * Changes the push resource of a registration (R-WDP-29): the server recognises an update by the
   * push resource, so this is a new registration of the new subscription followed by a {@code
   * DELETE} of the old one. The old registration is removed only after the new one succeeded; a
   * failure of that removal is reported as a deviation, not a failure (it expires anyway).
   *
   * @param registration the current registration
   * @param subscription the new subscription
   * @return the new registration ({@link RegistrationResult.Kind#CREATED})
   */
  public CompletableFuture<RegistrationResult> changePushResource(
      PushRegistration registration, WebPushSubscription subscription) {
    requireNonNull(registration, "registration");
    requireNonNull(subscription, "subscription");
    return post(
            registration.collection(),
            new RegisterRequest(subscription, registration.triggers(), null),
            registration.topic().orElse(null),
            registration.vapidKey().orElse(null),
            null)
        .thenCompose(
            created ->
                unregister(registration)
                    .handle(
                        (removed, error) -> {
                          if (error == null) {
                            return created;
                          }
                          ServerDeviation d =
                              new ServerDeviation(
                                  "R-WDP-30",
                                  "the old registration could not be removed ("
                                      + unwrap(error).getMessage()
                                      + "); it expires on its own");
                          report(d);
                          List<ServerDeviation> all = new ArrayList<>(created.deviations());
                          all.add(d);
                          return new RegistrationResult(
                              created.registration(), created.kind(), all);
                        }));
  }

  /**
   * Removes a registration (draft §3.3, R-WDP-30): {@code DELETE} on its registration URL.
   *
   * @param registration the registration
   * @return true if the server removed it ({@code 2xx}), false if it did not know it ({@code 404}
   *     or {@code 410}: unknown or already expired); fails with {@link DavStatusException} for
   *     anything else
   */
  public CompletableFuture<Boolean> unregister(PushRegistration registration) {
    requireNonNull(registration, "registration");
    return http.send("DELETE", registration.registrationUrl(), Map.of(), null, null)
        .thenApply(
            a -> {
              if (a.status() >= 200 && a.status() < 300) {
                return true;
              }
              if (a.status() == 404 || a.status() == 410) {
                return false;
              }
              throw new DavStatusException(
                  "DELETE",
                  a.status(),
                  "DELETE of a registration at "
                      + RedirectRefusedException.origin(a.uri())
                      + ": expected 204 or 404, got "
                      + a.status());
            });
  }

  private CompletableFuture<RegistrationResult> post(
      URI collection,
      RegisterRequest request,
      @Nullable Topic topic,
      @Nullable P256PublicKey vapidKey,
      @Nullable PushRegistration previous) {
    if (!(request.subscription() instanceof WebPushSubscription sub)) {
      throw new IllegalArgumentException(
          "request: expected a WebPushSubscription, got " + request.subscription().transport());
    }
    byte[] body = PushRegisterWriter.write(request);
    return http.send("POST", collection, Map.of(), body, XML)
        .thenApply(a -> registered(a, collection, request, sub, topic, vapidKey, previous));
  }

  private RegistrationResult registered(
      DavAnswer a,
      URI collection,
      RegisterRequest request,
      WebPushSubscription sub,
      @Nullable Topic topic,
      @Nullable P256PublicKey vapidKey,
      @Nullable PushRegistration previous) {
    if (a.status() == 403) {
      Set<Precondition> found;
      try {
        found = a.body().length == 0 ? Set.of() : ErrorReader.read(a.body());
      } catch (PushXmlException e) {
        throw new DavStatusException(
            "POST",
            403,
            a.where() + ": 403 Forbidden with an unreadable DAV:error body: " + e.getMessage());
      }
      for (Precondition p : Precondition.values()) {
        if (found.contains(p)) {
          throw RegistrationRefusedException.of(p, a.where());
        }
      }
      throw new DavStatusException(
          "POST",
          403,
          a.where() + ": 403 Forbidden without a WebDAV-Push precondition (access denied?)");
    }
    if (a.status() < 200 || a.status() > 299) {
      throw new DavStatusException(
          "POST",
          a.status(),
          a.where()
              + ": registration answered "
              + a.status()
              + "; expected 201 or 204"
              + (a.status() == 401 ? " (credentials missing or refused)" : ""));
    }
    Instant now = clock.instant();
    List<ServerDeviation> deviations = new ArrayList<>();
    Optional<String> location = a.header("Location").map(String::strip);
    URI url;
    if (location.isEmpty() || location.get().isEmpty()) {
      if (previous == null) {
        throw new DavResponseException(
            a.where()
                + ": "
                + a.status()
                + " without a Location: the registration URL is unknown, so it cannot be"
                + " refreshed or removed (R-WDP-25)");
      }
      url = previous.registrationUrl();
      deviations.add(
          new ServerDeviation(
              "R-WDP-25", "the update was answered without Location; the known URL is kept"));
    } else {
      URI parsed;
      try {
        parsed = new URI(location.get());
      } catch (java.net.URISyntaxException e) {
        throw new DavResponseException(
            a.where() + ": the Location header is not a URI reference (R-WDP-25)");
      }
      if (!parsed.isAbsolute()) {
        url = a.uri().resolve(parsed);
        deviations.add(
            new ServerDeviation(
                "R-WDP-25",
                "the server sent a relative Location; resolved against the request URL"));
      } else {
        url = parsed;
      }
      String scheme = url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
        throw new DavResponseException(
            a.where() + ": the Location is not an http(s) URL (R-WDP-25)");
      }
    }
    Instant expires;
    Optional<Instant> granted = a.header("Expires").flatMap(HttpDates::parse);
    if (granted.isPresent()) {
      expires = granted.get();
    } else {
      Instant assumed = now.plus(ASSUMED_EXPIRY);
      if (request.expires() != null && request.expires().isBefore(assumed)) {
        assumed = request.expires();
      }
      expires = assumed;
      deviations.add(
          new ServerDeviation(
              "R-WDP-26",
              "no readable Expires header; assumed an expiry of "
                  + HttpDates.format(expires)
                  + " for the refresh schedule"));
    }
    RegistrationResult.Kind kind;
    if (previous == null) {
      kind = RegistrationResult.Kind.CREATED;
    } else if (previous.registrationUrl().equals(url)) {
      kind = RegistrationResult.Kind.UPDATED;
    } else {
      kind = RegistrationResult.Kind.REPLACED;
    }
    deviations.forEach(this::report);
    PushRegistration reg =
        PushRegistration.builder()
            .registrationUrl(url)
            .collection(collection)
            .topic(topic)
            .subscription(sub)
            .triggers(request.triggers())
            .expires(expires)
            .granted(now)
            .vapidKey(vapidKey)
            .build();
    return new RegistrationResult(reg, kind, deviations);
  }

  // ---------------------------------------------------------------- refresh schedule

  /**
   * Refreshes a registration before it expires, again and again, until cancelled (R-WDP-32).
   *
   * <p>When: at a point drawn uniformly between 70 % and 85 % of the lifetime the server granted
   * (from {@link PushRegistration#granted()} to {@link PushRegistration#expires()}), so that many
   * clients registered at once do not refresh at once; at once if that point has passed. After a
   * failure: again after 30 seconds, doubling up to one hour, but never later than half the time
   * left before expiry (nor sooner than a second); after expiry the doubling goes on up to hourly,
   * since a refresh of a forgotten registration registers it anew. A {@link
   * RegistrationRefusedException} stops the schedule: the server no longer wants this registration;
   * so does a {@code 404} or {@code 410} of the collection itself (it is gone: discover again).
   *
   * <p>Runs on the scheduler of {@link Builder#scheduler} (the application's) or the client's own.
   *
   * @param registration the registration to keep alive
   * @param listener hears each outcome; persist the registrations it hands over
   * @return the running schedule
   */
  public RefreshHandle scheduleRefresh(PushRegistration registration, RefreshListener listener) {
    requireNonNull(registration, "registration");
    requireNonNull(listener, "listener");
    Schedule s = new Schedule(registration, listener);
    s.arm(this.nextRefresh(registration));
    return s;
  }

  /**
   * When the refresh schedule refreshes a registration next: uniformly between 70 % and 85 % of its
   * granted lifetime, or now if that has passed.
   *
   * @param registration the registration
   * @return the instant
   */
  Instant nextRefresh(PushRegistration registration) {
    Duration lifetime = Duration.between(registration.granted(), registration.expires());
    Instant now = clock.instant();
    if (lifetime.isNegative() || lifetime.isZero()) {
      return now;
    }
    double fraction = 0.70 + 0.15 * random.nextDouble();
    Instant at = registration.granted().plusMillis((long) (lifetime.toMillis() * fraction));
    return at.isBefore(now) ? now : at;
  }

  private final class Schedule implements RefreshHandle {
    private final RefreshListener listener;
    private volatile PushRegistration current;
    private volatile @Nullable Instant next;
    private volatile @Nullable ScheduledFuture<?> pending;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Duration backoff = firstRetry;

    Schedule(PushRegistration registration, RefreshListener listener) {
      this.current = registration;
      this.listener = listener;
    }

    synchronized void arm(Instant at) {
      if (cancelled.get() || closed.get()) {
        next = null;
        return;
      }
      long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
      try {
        pending = scheduler.schedule(this::run, delay, TimeUnit.MILLISECONDS);
        next = at;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the scheduler was shut down: nothing more will run
        next = null;
      }
    }

    private void run() {
      if (cancelled.get()) {
        return;
      }
      refresh(current)
          .whenComplete(
              (result, error) -> {
                if (cancelled.get()) {
                  return;
                }
                if (error == null) {
                  current = result.registration();
                  backoff = firstRetry;
                  arm(DavPushClient.this.nextRefresh(current));
                  listener.refreshed(result);
                  return;
                }
                Throwable e = unwrap(error);
                if (e instanceof RegistrationRefusedException
                    || (e instanceof DavStatusException st
                        && (st.status() == 404 || st.status() == 410))) {
                  cancelled.set(true);
                  next = null;
                  listener.failed(e, Optional.empty());
                  return;
                }
                Instant now = clock.instant();
                Duration wait = backoff;
                backoff = min(backoff.multipliedBy(2), Duration.ofHours(1));
                Duration left = Duration.between(now, current.expires());
                if (left.isNegative() || left.isZero()) {
                  wait = Duration.ofHours(1).compareTo(wait) < 0 ? Duration.ofHours(1) : wait;
                } else {
                  // not later than half the time left, but no tighter than a second
                  Duration half = left.dividedBy(2);
                  wait =
                      min(
                          wait,
                          half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half);
                }
                Instant at = now.plus(wait);
                arm(at);
                listener.failed(e, Optional.ofNullable(next));
              });
    }

    @Override
    public PushRegistration current() {
      return current;
    }

    @Override
    public Optional<Instant> nextRefresh() {
      return cancelled.get() ? Optional.empty() : Optional.ofNullable(next);
    }

    @Override
    public synchronized void cancel() {
      cancelled.set(true);
      next = null;
      ScheduledFuture<?> p = pending;
      if (p != null) {
        p.cancel(false);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------- key rotation

  /**
   * Reacts to a VAPID key-rotation message (R-WDP-56): treats the known key as invalid, re-reads
   * {@code transports} of the first registration's collection until it shows a key other than the
   * one the registrations were made with (the server sends the message before it switches; waits at
   * most {@link Builder#keyRotationWait}, re-reading every second), asks the application for a new
   * subscription restricted to the new key, registers it on every given registration's collection
   * with the same triggers, and then removes the old registrations (R-WDP-29).
   *
   * @param registrations the registrations that share the rotated server (typically all the
   *     client's registrations on it); not empty
   * @param handler creates the new subscription at the application's push service
   * @return the new registrations, in the order given; fails if the server showed no new key in
   *     time ({@link DavPushClientException}) or any step failed. All new registrations are made
   *     before any old one is removed; if one fails, the new ones made so far are removed again and
   *     the old ones stay as they were. Old registrations whose removal failed are reported as
   *     deviations on the results
   * @throws IllegalArgumentException if {@code registrations} is empty
   */
  public CompletableFuture<List<RegistrationResult>> reRegisterAfterKeyRotation(
      List<PushRegistration> registrations, KeyRotationHandler handler) {
    requireNonNull(handler, "handler");
    List<PushRegistration> regs = List.copyOf(requireNonNull(registrations, "registrations"));
    if (regs.isEmpty()) {
      throw new IllegalArgumentException("registrations: expected at least one");
    }
    PushRegistration first = regs.get(0);
    Instant giveUp = clock.instant().plus(keyRotationWait);
    return newKey(first, giveUp)
        .thenCompose(
            key ->
                handler
                    .newSubscription(key)
                    .toCompletableFuture()
                    .thenCompose(sub -> registerAll(regs, sub, key)));
  }

  /**
   * Registers the new subscription on every collection; if one fails, removes the new ones made so
   * far and fails (the old registrations are untouched). Only when all exist are the old ones
   * removed.
   */
  private CompletableFuture<List<RegistrationResult>> registerAll(
      List<PushRegistration> regs, WebPushSubscription sub, P256PublicKey key) {
    List<RegistrationResult> made = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (PushRegistration old : regs) {
      chain =
          chain.thenCompose(
              v ->
                  post(
                          old.collection(),
                          new RegisterRequest(sub, old.triggers(), null),
                          old.topic().orElse(null),
                          key,
                          null)
                      .thenAccept(made::add));
    }
    return chain
        .handle((v, error) -> error)
        .thenCompose(
            error -> {
              if (error != null) {
                CompletableFuture<?>[] undo =
                    made.stream()
                        .map(r -> unregister(r.registration()).handle((ok, e) -> null))
                        .toArray(CompletableFuture[]::new);
                return CompletableFuture.allOf(undo)
                    .thenCompose(
                        x ->
                            CompletableFuture.<List<RegistrationResult>>failedFuture(
                                unwrap(error)));
              }
              CompletableFuture<List<RegistrationResult>> all =
                  CompletableFuture.completedFuture(new ArrayList<>());
              for (int i = 0; i < regs.size(); i++) {
                PushRegistration old = regs.get(i);
                RegistrationResult created = made.get(i);
                all =
                    all.thenCompose(
                        list ->
                            removeQuietly(old, created)
                                .thenApply(
                                    r -> {
                                      list.add(r);
                                      return list;
                                    }));
              }
              return all.thenApply(List::copyOf);
            });
  }

  private CompletableFuture<RegistrationResult> removeQuietly(
      PushRegistration old, RegistrationResult created) {
    if (old.registrationUrl().equals(created.registration().registrationUrl())) {
      return CompletableFuture.completedFuture(created);
    }
    return unregister(old)
        .handle(
            (ok, error) -> {
              if (error == null) {
                return created;
              }
              ServerDeviation d =
                  new ServerDeviation(
                      "R-WDP-30",
                      "the old registration could not be removed ("
                          + unwrap(error).getMessage()
                          + "); it expires on its own");
              report(d);
              List<ServerDeviation> all = new ArrayList<>(created.deviations());
              all.add(d);
              return new RegistrationResult(created.registration(), created.kind(), all);
            });
  }

  private CompletableFuture<P256PublicKey> newKey(PushRegistration reg, Instant giveUp) {
    return propfind(reg.collection(), "0")
        .thenCompose(
            list -> {
              Optional<P256PublicKey> key = pick(reg.collection(), list).vapidKey();
              if (key.isPresent() && !key.equals(reg.vapidKey())) {
                return CompletableFuture.completedFuture(key.get());
              }
              if (clock.instant().isAfter(giveUp)) {
                return CompletableFuture.failedFuture(
                    new DavPushClientException(
                        "key rotation: "
                            + RedirectRefusedException.origin(reg.collection())
                            + " still shows "
                            + (key.isPresent() ? "the old VAPID key" : "no VAPID key")
                            + " after "
                            + keyRotationWait.toMillis()
                            + " ms; try again later (the registrations keep working until the"
                            + " server switches)"));
              }
              CompletableFuture<P256PublicKey> later = new CompletableFuture<>();
              scheduler.schedule(
                  () ->
                      newKey(reg, giveUp)
                          .whenComplete(
                              (k, e) -> {
                                if (e != null) {
                                  later.completeExceptionally(unwrap(e));
                                } else {
                                  later.complete(k);
                                }
                              }),
                  1,
                  TimeUnit.SECONDS);
              return later;
            });
  }

  // ---------------------------------------------------------------- raw exchange

  /**
   * Sends any DAV request through the client's HTTP stack — credentials for the origin, same-origin
   * redirects, timeouts, body limit — and hands back the answer whatever its status. For the
   * application's own writes ({@code PUT}, {@code DELETE}, {@code PROPPATCH} … with {@link
   * OwnWrites#value}) and for conformance tools that need the raw answer.
   *
   * @param method the method, for example {@code PUT}; an HTTP token
   * @param uri an absolute http(s) URL
   * @param headers extra field lines, name to values (each value its own line); {@code Host},
   *     {@code Content-Length} and {@code Content-Type} are set by the client
   * @param body the body, or null for none
   * @param contentType the body's media type, or null (then {@code application/octet-stream} when
   *     there is a body)
   * @return the answer; fails only with {@link DavTransportException}, {@link
   *     RedirectRefusedException} or {@link DavResponseException} (body over the limit)
   * @throws IllegalArgumentException if the URL is not absolute http(s) or the method is not a
   *     token
   */
  public CompletableFuture<DavAnswer> exchange(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte @Nullable [] body,
      @Nullable String contentType) {
    requireNonNull(method, "method");
    if (method.isEmpty()
        || !method
            .chars()
            .allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw new IllegalArgumentException("method: expected an HTTP token");
    }
    checkUrl(uri, "uri");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    requireNonNull(headers, "headers").forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return http.send(method, uri, copy, body == null ? null : body.clone(), contentType);
  }

  // ---------------------------------------------------------------- the rest

  /**
   * A receiver for messages of the given registrations, decrypting with their key pair.
   *
   * @param keys the user agent key pair of the subscription the registrations use
   * @param registrations the registrations whose topics map to collections
   * @return the receiver
   */
  public static PushReceiver receiver(
      dev.davpush.webpush.crypto.UserAgentKeyPair keys, List<PushRegistration> registrations) {
    return PushReceiver.of(keys, registrations);
  }

  private void report(ServerDeviation d) {
    try {
      onDeviation.accept(d);
    } catch (RuntimeException e) {
      // the application's listener must not break the operation
    }
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static void checkUrl(URI uri, String name) {
    requireNonNull(uri, name);
    String s = uri.getScheme();
    if (!uri.isAbsolute()
        || s == null
        || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(name + ": expected an absolute http(s) URL");
    }
  }

  /**
   * Closes the client's own HTTP client and scheduler (not those the application gave) and stops
   * every refresh schedule. Operations in flight fail with {@link DavTransportException}.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownClient != null) {
      ownClient.close(CloseMode.GRACEFUL);
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
  }

  /**
   * Builds a {@link DavPushClient}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private @Nullable CloseableHttpAsyncClient httpClient;
    private final Map<String, Supplier<@Nullable DavCredentials>> credentials = new HashMap<>();
    private boolean preemptive;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private @Nullable ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();
    private @Nullable RandomGenerator random;
    private Consumer<ServerDeviation> onDeviation = d -> {};
    private Duration keyRotationWait = KEY_ROTATION_WAIT;
    private Duration firstRetry = FIRST_RETRY;

    private Builder() {}

    /**
     * Sets how long {@link DavPushClient#reRegisterAfterKeyRotation} waits for the server to show a
     * new VAPID key.
     *
     * @param wait positive; default {@link #KEY_ROTATION_WAIT}
     * @return this builder
     */
    public Builder keyRotationWait(Duration wait) {
      this.keyRotationWait = positive(wait, "keyRotationWait");
      return this;
    }

    /** For tests: the first retry delay of the refresh schedule. */
    Builder firstRetry(Duration d) {
      this.firstRetry = positive(d, "firstRetry");
      return this;
    }

    /**
     * Uses the application's HTTP client instead of creating one. It must be started; the client
     * never closes it. Its own redirect handling is overridden per request (redirects are followed
     * by the client, within the origin only); {@link #connectTimeout} does not apply to it.
     *
     * @param httpClient a started client
     * @return this builder
     */
    public Builder httpClient(CloseableHttpAsyncClient httpClient) {
      this.httpClient = requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Sets the credentials for one origin; requests to other origins carry none. Call once per
     * server.
     *
     * @param server any URL of the server; only its scheme, host and port count
     * @param credentials Basic or Bearer
     * @return this builder
     * @throws IllegalArgumentException if the URL is not absolute http(s)
     */
    public Builder credentials(URI server, DavCredentials credentials) {
      requireNonNull(credentials, "credentials");
      return credentials(server, () -> credentials);
    }

    /**
     * Sets a source of credentials for one origin, asked before every request to it: for tokens
     * that expire (OAuth) or passwords the user may change. Requests to other origins carry none.
     *
     * @param server any URL of the server; only its scheme, host and port count
     * @param source gives the current credentials, or null for none; called on a client thread; an
     *     exception from it fails the request with {@link DavPushClientException}
     * @return this builder
     * @throws IllegalArgumentException if the URL is not absolute http(s)
     */
    public Builder credentials(URI server, Supplier<@Nullable DavCredentials> source) {
      checkUrl(server, "server");
      this.credentials.put(DavHttp.originKey(server), requireNonNull(source, "source"));
      return this;
    }

    /**
     * Whether to send credentials with every request instead of after a {@code 401} challenge.
     * Saves a round trip with servers known to want them; default false, so that credentials are
     * not sent to a server that did not ask for them.
     *
     * @param preemptive true to send them always
     * @return this builder
     */
    public Builder preemptiveAuthentication(boolean preemptive) {
      this.preemptive = preemptive;
      return this;
    }

    /**
     * Sets the time to establish a connection (TCP and TLS) of the client's own HTTP client.
     *
     * @param timeout positive; default {@link #DEFAULT_CONNECT_TIMEOUT}
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the longest silence while waiting for (more of) an answer.
     *
     * @param timeout positive; default {@link #DEFAULT_RESPONSE_TIMEOUT}
     * @return this builder
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive(timeout, "responseTimeout");
      return this;
    }

    /**
     * Sets the time for a whole request, including redirects, authentication round trips and
     * waiting for a pooled connection; a slow server that keeps trickling bytes is cut off here.
     *
     * @param timeout positive; default {@link #DEFAULT_REQUEST_TIMEOUT}
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets the largest answer body read; a larger one fails with {@link DavResponseException}.
     *
     * @param bytes 1 KiB .. 1 GiB; default {@link #DEFAULT_MAX_RESPONSE_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxResponseBytes(int bytes) {
      if (bytes < 1024 || bytes > (1 << 30)) {
        throw new IllegalArgumentException(
            "maxResponseBytes: expected 1024 .. 1073741824, got " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /**
     * Runs refresh schedules, timeouts and retries on the application's scheduler; the client never
     * shuts it down. Default: one daemon thread of the client's own, shut down by {@link
     * DavPushClient#close()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the clock for expiries and schedules.
     *
     * @param clock default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the randomness of the refresh jitter (for deterministic tests).
     *
     * @param random default a {@link SecureRandom}
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Hears every {@link ServerDeviation} as it is found (besides the results that carry them). The
     * listener runs on a client thread and must not block; its exceptions are ignored.
     *
     * @param listener the listener; default none
     * @return this builder
     */
    public Builder onDeviation(Consumer<ServerDeviation> listener) {
      this.onDeviation = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the client, creating and starting its own HTTP client and scheduler unless given.
     *
     * @return the client; close it when done
     */
    public DavPushClient build() {
      return new DavPushClient(this);
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
