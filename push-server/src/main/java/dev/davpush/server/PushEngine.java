package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.PreconditionException;
import dev.davpush.PushException;
import dev.davpush.PushProperties;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.Trigger;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.internal.Delayer;
import dev.davpush.server.internal.DispatchSettings;
import dev.davpush.server.internal.RegistrationUrls;
import dev.davpush.server.internal.RetryPolicy;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.xml.PushMessageWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The WebDAV-Push engine a DAV server embeds: discovery, registration, and publishing of changes.
 * Built once with {@link #builder()}, shared by all request threads.
 *
 * <p>Policies, in one place:
 *
 * <ul>
 *   <li><b>Discovery</b> ({@link #properties}): push properties are shown only to an authenticated
 *       principal that may subscribe (R-WDP-62 "advertise push only to clients allowed to use it");
 *       anonymous requests get none.
 *   <li><b>Registration</b> ({@link #register}): one registration per (principal, resource, push
 *       resource) (R-WDP-28, digest ambiguity A-27); requested triggers are downgraded, never
 *       refused, while one of them is supported (R-WDP-15, R-WDP-19, A-6); on a non-collection
 *       every depth becomes {@code 0}; expiry policy see {@link #register}.
 *   <li><b>Publishing</b> ({@link #publish}): asynchronous on the engine's executor; fan-out,
 *       filter, coalesce, send, outcome (architecture, "The dispatch pipeline").
 *   <li><b>Housekeeping</b>: at most once an hour, triggered by {@link #register} or {@link
 *       #publish}, expired registrations are removed from the store ({@link
 *       SubscriptionStore#removeExpired}) on the engine's executor.
 * </ul>
 *
 * <p>Logging goes to the SLF4J logger {@code dev.davpush.server.PushEngine}: DEBUG one line per
 * delivery attempt with transport, push service host, status, attempt and latency; WARN once per
 * message given up (host and reason), per registration removed after the grace period, and (at most
 * once a second, with the running count) for refused changes and dropped messages. Never a push
 * resource URL, key, secret or payload.
 *
 * <p>Ownership: the engine closes what it creates (its threads, and the default in-memory delivery
 * queue); the store, a supplied executor or queue, and the transports stay the caller's, who closes
 * them after the engine.
 *
 * <p>Thread safety: safe for concurrent use. {@link #close()} is idempotent.
 */
public final class PushEngine implements AutoCloseable {
  /** Default expiry when the client requests none: 7 days. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);

  /** Default cap on any expiry: 30 days. */
  public static final Duration DEFAULT_MAXIMUM_EXPIRY = Duration.ofDays(30);

  /**
   * Default floor on a requested expiry: none, a requested expiry in the future is honoured however
   * short (R-WDP-31: honour the request; stricter server rules are allowed, longer ones are not).
   */
  public static final Duration DEFAULT_MINIMUM_EXPIRY = Duration.ZERO;

  /** Default {@link Builder#closeTimeout}: 10 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@link Builder#maxPendingChanges}: 65,536 changes waiting for fan-out. */
  public static final int DEFAULT_MAX_PENDING_CHANGES = 65_536;

  /** Default {@link Builder#ttl}: one day. */
  public static final Duration DEFAULT_TTL = PushDelivery.DEFAULT_TTL;

  /** Default {@link Builder#coalescingWindow}: one second. */
  public static final Duration DEFAULT_COALESCING_WINDOW = Duration.ofSeconds(1);

  /** Default {@link Builder#maximumCoalescingWindow}: 30 seconds. */
  public static final Duration DEFAULT_MAXIMUM_COALESCING_WINDOW = Duration.ofSeconds(30);

  /** Default {@link Builder#maxInFlightPerOrigin}: 128 attempts to one push service origin. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN = 128;

  /**
   * Default {@link Builder#maxSlowPerOrigin}: 896 slow attempts to one origin, so that with {@link
   * #DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN} an origin needs at most 1,024 connections (the Web Push
   * transport's default).
   */
  public static final int DEFAULT_MAX_SLOW_PER_ORIGIN = 896;

  /** Default {@link Builder#maxInFlight}: 4,096 attempts engine-wide. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4_096;

  /** Default {@link Builder#attemptTimeout}: 60 seconds. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link Builder#gracePeriod}: 3 days of failures without a success (R-WDP-45). */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofDays(3);

  /** Default {@link Builder#keyRotationTimeout}: 10 minutes. */
  public static final Duration DEFAULT_KEY_ROTATION_TIMEOUT = Duration.ofMinutes(10);

  /** How often the engine retries a save that lost a race on the natural key. */
  private static final int REGISTER_RACE_ATTEMPTS = 3;

  private final DavResources resources;
  private final SubscriptionStore store;
  private final List<PushTransport> transports;
  private final RegistrationUrls urls;
  private final Clock clock;
  private final Duration defaultExpiry;
  private final Duration maximumExpiry;
  private final Duration minimumExpiry;
  private final Duration closeTimeout;
  private final RegistrationLimits limits;
  private final DeliveryQueue queue;
  private final boolean ownsQueue;
  private final @Nullable Consumer<List<PendingDelivery>> onUndelivered;
  private final @Nullable ExecutorService ownedExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final Dispatcher dispatcher;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable List<PendingDelivery> undelivered;

  private PushEngine(Builder b) {
    this.resources = requireNonNull(b.resources, "resources");
    this.store = b.store != null ? b.store : new InMemorySubscriptionStore();
    this.transports = List.copyOf(b.transports);
    for (PushTransport t : transports) {
      requireNonNull(t.descriptor(), "descriptor() of transport " + t.name());
    }
    this.urls = new RegistrationUrls(requireNonNull(b.registrationBase, "registrationBase"));
    this.clock = b.clock;
    this.defaultExpiry = b.defaultExpiry;
    this.maximumExpiry = b.maximumExpiry;
    this.minimumExpiry = b.minimumExpiry;
    this.closeTimeout = b.closeTimeout;
    this.limits = b.limits;
    this.ownsQueue = b.queue == null;
    this.queue = b.queue != null ? b.queue : new InMemoryDeliveryQueue();
    this.onUndelivered = b.onUndelivered;

    Executor executor = b.executor;
    if (executor == null) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              b.threads,
              b.threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemonThreads("davpush-engine-"));
      pool.allowCoreThreadTimeOut(true);
      this.ownedExecutor = pool;
      executor = pool;
    } else {
      this.ownedExecutor = null;
    }
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(1, daemonThreads("davpush-timer-"));
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    DoubleSupplier jitter =
        b.jitter != null ? b.jitter : () -> ThreadLocalRandom.current().nextDouble();
    byte[] topicKey = b.topicKey;
    if (topicKey == null) {
      topicKey = new byte[32];
      new SecureRandom().nextBytes(topicKey);
    }
    this.dispatcher =
        new Dispatcher(
            resources,
            store,
            transports,
            b.encoder != null ? b.encoder : PushMessageWriter.encoder(),
            urls,
            clock,
            executor,
            timer,
            b.delayer != null
                ? b.delayer
                : (task, delay) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
            queue,
            new DispatchSettings(
                b.ttl,
                b.urgency,
                b.coalescingWindow,
                b.maximumCoalescingWindow,
                b.maxInFlightPerOrigin,
                b.maxSlowPerOrigin,
                b.maxInFlight,
                b.maxPendingChanges,
                b.attemptTimeout,
                b.gracePeriod,
                b.retryPolicy,
                b.keyRotationTimeout),
            jitter,
            topicKey);
    // work a durable queue kept from an earlier run is sent without waiting for a publish
    dispatcher.start();
  }

  /**
   * A new builder.
   *
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The push properties of a resource for a principal (R-WDP-5, R-WDP-6, R-WDP-62).
   *
   * <p>Anonymous requests ({@code principal == null}) get no push properties: push is advertised
   * only to clients allowed to use it (R-WDP-62), and registering needs a principal anyway.
   *
   * @param path the server-relative path
   * @param principal the authenticated principal, or null if anonymous
   * @return empty if the resource is not push-capable, the principal is null, or the principal may
   *     not subscribe
   */
  public Optional<PushProperties> properties(String path, @Nullable String principal) {
    requireNonNull(path, "path");
    if (principal == null) {
      return Optional.empty();
    }
    Optional<DavResource> resource = resources.resource(path);
    if (resource.isEmpty() || !resources.maySubscribe(principal, resource.get().path())) {
      return Optional.empty();
    }
    DavResource r = resource.get();
    return Optional.of(new PushProperties(transports(), r.topic(), r.supportedTriggers()));
  }

  /**
   * The transports of this engine, as listed in {@code transports}: asked of each transport at
   * every call, so a rotated VAPID key shows at once (R-WDP-55).
   *
   * @return the descriptors, in the order the transports were added; unmodifiable
   */
  public List<TransportDescriptor> transports() {
    List<TransportDescriptor> d = new ArrayList<>(transports.size());
    for (PushTransport t : transports) {
      d.add(t.descriptor());
    }
    return List.copyOf(d);
  }

  /**
   * Registers (or updates) a subscription on a resource (draft-bitfire-webdav-push §3.1, §3.2).
   *
   * <p>Checks, in this order: the resource is push-capable and the principal may subscribe ({@code
   * push-not-available}); a {@link WebPushSubscription} uses {@code aes128gcm} (R-WDP-57) and some
   * transport {@linkplain PushTransport#accepts accepts} the subscription ({@code
   * invalid-subscription}; which push resources are acceptable, for example https only, is the
   * transport's policy); at least one requested trigger is supported ({@code
   * no-supported-trigger}). Nothing is stored when a check fails.
   *
   * <p>Effective triggers: {@link dev.davpush.SupportedTriggers#negotiate} (depth lowered to the
   * supported maximum, unsupported kinds dropped); on a non-collection every depth is {@code 0}
   * (digest ambiguity A-33).
   *
   * <p>Expiry (R-WDP-26, R-WDP-31, A-20): a requested expiry in the future is honoured, capped at
   * {@code now + maximumExpiry} and raised to {@code now + minimumExpiry} (zero by default, so a
   * short request is honoured); none, or one not after now, gives {@code now + defaultExpiry}. The
   * result is truncated to whole seconds (HTTP dates have second resolution).
   *
   * <p>The registration stores the resource's canonical {@link DavResource#path()}, which {@link
   * DavResources#maySubscribe} is asked about.
   *
   * <p>Identity (R-WDP-28, A-27): a live registration with the same (principal, path, {@link
   * Subscription#id()}) is updated in place: new subscription (keys), triggers and expiry; same id
   * and URL; {@code created == false}. Otherwise a new registration gets a fresh id of 128 random
   * bits ({@link java.security.SecureRandom}, 22 base64url characters) and the URL {@code
   * registrationBase.resolve(id)}; {@code created == true}. An expired registration counts as
   * absent: it is replaced by a new one with a new URL, since a client may have seen it answer 404
   * already.
   *
   * <p>Keys belong to the push resource: when the subscription differs from what the
   * principal's other registrations of the same push resource hold, those are updated to it too
   * (last write wins).
   *
   * @param path the server-relative path of the target resource
   * @param principal the authenticated principal
   * @param request the parsed {@code push-register}
   * @return the stored registration and whether it is new
   * @throws PreconditionException {@code push-not-available} if the resource is not push-capable or
   *     the principal may not subscribe; {@code invalid-subscription} if no transport accepts the
   *     subscription; {@code no-supported-trigger} if no requested trigger is supported
   * @throws RegistrationLimitException if the registration would exceed one of the {@link
   *     RegistrationLimits} (checked before anything is stored; counts only for a new registration,
   *     not for an update)
   * @throws dev.davpush.PushException if the store fails, or concurrent registrations of the same
   *     key kept conflicting
   */
  public RegistrationResult register(String path, String principal, RegisterRequest request) {
    requireNonNull(path, "path");
    requireNonNull(principal, "principal");
    requireNonNull(request, "request");
    Optional<DavResource> found = resources.resource(path);
    if (found.isEmpty()) {
      throw new PreconditionException(
          Precondition.PUSH_NOT_AVAILABLE,
          "WebDAV-Push is not available on this resource; register on a resource whose"
              + " PROPFIND shows the push properties");
    }
    DavResource resource = found.get();
    String canonical = resource.path();
    if (!resources.maySubscribe(principal, canonical)) {
      throw new PreconditionException(
          Precondition.PUSH_NOT_AVAILABLE, "this principal may not subscribe to this resource");
    }
    Subscription subscription = request.subscription();
    if (subscription.id().length() > limits.pushResourceLength()) {
      throw new RegistrationLimitException(
          RegistrationLimitException.Limit.PUSH_RESOURCE_LENGTH,
          "the push resource is "
              + subscription.id().length()
              + " characters long; this server"
              + " accepts at most "
              + limits.pushResourceLength());
    }
    for (Trigger t : request.triggers()) {
      if (t instanceof Trigger.PropertyUpdate pu
          && pu.properties().size() > limits.propertiesPerTrigger()) {
        throw new RegistrationLimitException(
            RegistrationLimitException.Limit.PROPERTIES_PER_TRIGGER,
            "a property-update trigger names "
                + pu.properties().size()
                + " properties; this"
                + " server accepts at most "
                + limits.propertiesPerTrigger());
      }
    }
    if (subscription instanceof WebPushSubscription w
        && !w.contentEncoding().equals(ContentEncoding.AES128GCM)) {
      throw new PreconditionException(
          Precondition.INVALID_SUBSCRIPTION,
          "content-encoding '"
              + w.contentEncoding()
              + "' is not supported; WebDAV-Push"
              + " requires aes128gcm (R-WDP-57)");
    }
    if (transports.stream().noneMatch(t -> t.accepts(subscription))) {
      throw new PreconditionException(
          Precondition.INVALID_SUBSCRIPTION,
          "no transport of this server accepts the subscription (transport '"
              + subscription.transport()
              + "'); see the transports property for what is"
              + " supported");
    }
    List<Trigger> triggers = resource.supportedTriggers().negotiate(request.triggers());
    if (!resource.collection()) {
      List<Trigger> zero = new ArrayList<>(triggers.size());
      for (Trigger t : triggers) {
        zero.add(t.withDepth(Depth.ZERO));
      }
      triggers = List.copyOf(zero);
    }
    if (triggers.isEmpty()) {
      throw new PreconditionException(
          Precondition.NO_SUPPORTED_TRIGGER,
          "none of the requested triggers is supported here; supported: "
              + resource.supportedTriggers());
    }
    Instant now = clock.instant();
    Instant expires = expiry(request.requestedExpiry().orElse(null), now);
    dispatcher.purgeIfDue();

    for (int attempt = 1; ; attempt++) {
      Optional<Registration> existing = store.find(principal, canonical, subscription.id());
      Registration saved;
      boolean created;
      if (existing.isPresent() && !existing.get().isExpired(now)) {
        saved =
            existing.get().toBuilder()
                .subscription(subscription)
                .triggers(triggers)
                .topic(resource.topic())
                .expires(expires)
                .build();
        created = false;
      } else {
        if (store.countByOwner(principal) - (existing.isPresent() ? 1 : 0)
            >= limits.perPrincipal()) {
          throw new RegistrationLimitException(
              RegistrationLimitException.Limit.PER_PRINCIPAL,
              "this principal already holds "
                  + limits.perPrincipal()
                  + " registrations, the"
                  + " most this server allows; unregister unused ones first");
        }
        if (store.countByResource(canonical) - (existing.isPresent() ? 1 : 0)
            >= limits.perResource()) {
          throw new RegistrationLimitException(
              RegistrationLimitException.Limit.PER_RESOURCE,
              "this resource already has "
                  + limits.perResource()
                  + " registrations, the most"
                  + " this server allows");
        }
        existing.ifPresent(old -> store.remove(old.id()));
        String id = urls.newId();
        saved =
            Registration.builder()
                .id(id)
                .registrationUrl(urls.url(id))
                .resourcePath(canonical)
                .topic(resource.topic())
                .owner(principal)
                .subscription(subscription)
                .triggers(triggers)
                .expires(expires)
                .created(now)
                .build();
        created = true;
      }
      try {
        store.save(saved);
      } catch (RegistrationConflictException conflict) {
        if (attempt < REGISTER_RACE_ATTEMPTS) {
          continue; // a concurrent request registered the same key first: update that one
        }
        throw new PushException(
            "register: the same principal, resource and push resource were registered"
                + " concurrently "
                + REGISTER_RACE_ATTEMPTS
                + " times in a row; try again",
            conflict);
      }
      shareKeys(saved);
      return new RegistrationResult(saved, created);
    }
  }

  // the principal's other registrations of the same push resource take the new keys.
  private void shareKeys(Registration saved) {
    Subscription s = saved.subscription();
    for (Registration other : store.findBySubscription(s.id())) {
      if (!other.id().equals(saved.id())
          && other.owner().equals(saved.owner())
          && !other.subscription().equals(s)) {
        try {
          store.save(other.toBuilder().subscription(s).build());
        } catch (RegistrationConflictException ignored) {
          // the other registration changed concurrently; its own writer wins
        }
      }
    }
  }

  private Instant expiry(@Nullable Instant requested, Instant now) {
    Instant e;
    if (requested == null || !requested.isAfter(now)) {
      e = now.plus(defaultExpiry);
    } else {
      Instant floor = now.plus(minimumExpiry);
      Instant cap = now.plus(maximumExpiry);
      e = requested.isBefore(floor) ? floor : requested.isAfter(cap) ? cap : requested;
    }
    return e.truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * Removes a registration by its URL (R-WDP-30).
   *
   * @param registrationUrl the absolute registration URL the request addressed (a path-only URI is
   *     compared by path)
   * @param principal the authenticated principal
   * @return {@link UnregisterResult#NOT_FOUND} if the URL is not under the registration base, or
   *     names no live registration (unknown or expired); {@link UnregisterResult#FORBIDDEN} if the
   *     registration is another principal's (R-WDP-62); else {@link UnregisterResult#REMOVED}
   */
  public UnregisterResult unregister(URI registrationUrl, String principal) {
    requireNonNull(registrationUrl, "registrationUrl");
    requireNonNull(principal, "principal");
    Optional<String> id = urls.idOf(registrationUrl);
    if (id.isEmpty()) {
      return UnregisterResult.NOT_FOUND;
    }
    Optional<Registration> r = store.find(id.get());
    if (r.isEmpty() || r.get().isExpired(clock.instant())) {
      return UnregisterResult.NOT_FOUND;
    }
    if (!r.get().owner().equals(principal)) {
      return UnregisterResult.FORBIDDEN;
    }
    return store.remove(id.get()) ? UnregisterResult.REMOVED : UnregisterResult.NOT_FOUND;
  }

  /**
   * The live registration with a URL.
   *
   * @param registrationUrl an absolute URL (a path-only URI is compared by path)
   * @return empty if the URL is not under the registration base, unknown, or expired
   */
  public Optional<Registration> registration(URI registrationUrl) {
    requireNonNull(registrationUrl, "registrationUrl");
    Instant now = clock.instant();
    return urls.idOf(registrationUrl).flatMap(store::find).filter(r -> !r.isExpired(now));
  }

  /**
   * Whether a URL lies under the registration base, so a DAV server routes its {@code DELETE} here:
   * scheme, host and port compare case-insensitively (an absent port is the scheme's default), and
   * the path is the base path plus exactly one non-empty segment (the registration id), without a
   * query. A path-only URI is compared by path.
   *
   * @param url an absolute URL
   * @return true if it is under {@link Builder#registrationBase(URI)}
   */
  public boolean isRegistrationUrl(URI url) {
    return urls.idOf(requireNonNull(url, "url")).isPresent();
  }

  /**
   * Publishes a committed change: finds the matching registrations and sends them push messages
   * asynchronously; returns at once, never blocks and never sends on the caller's thread (unless
   * the caller gave {@link Builder#executor} a direct executor).
   *
   * <p>On the executor: <b>fan-out</b> over the changed path (distance 0), its parent (1) and
   * further ancestors (2, 3, …) through {@link DavResources#parent}; every push-capable one yields
   * its topic's registrations. A deleted resource that {@code DavResources} no longer knows reaches
   * its own registrations only through {@link Change#deletedTopic()} (R-WDP-23). <b>Filter</b>: a
   * content change needs a content-update trigger whose depth covers the distance; a property
   * change a property-update trigger whose depth covers the distance and whose property list is
   * empty or names a changed property. {@code getetag}, {@code getlastmodified} and {@code
   * sync-token} never cause a property update (R-WDP-22); an empty property set means "unspecified"
   * and matches only triggers without a list. Expired registrations are never sent to (R-WDP-33).
   * {@code Push-Dont-Notify} applies only to registrations of {@link Change#principal()} (R-WDP-62;
   * none if the principal is unknown): a listed URL suppresses the registration it names (exactly,
   * or by its id as the last path segment, digest ambiguity A-12); {@code *} suppresses all of that
   * principal's registrations. A registration whose owner may no longer subscribe to its
   * resource ({@link DavResources#maySubscribe}) is skipped too (R-WDP-62), except on a deleted
   * resource.
   *
   * <p><b>Coalesce</b> (R-WDP-43): one message per push resource and topic; across changes, the
   * first of a burst goes out at once and the rest within {@link Builder#coalescingWindow} (which
   * grows with the backlog up to {@link Builder#maximumCoalescingWindow}) are merged into one
   * message at the window's end, carrying the newest sync-token and every property update. {@link
   * Change.Importance#HIGH} is never held back, {@link Change.Importance#LOW} always waits for the
   * window. <b>Queue</b>: each message becomes a {@link PendingDelivery} in the {@link
   * DeliveryQueue}. <b>Send</b> with the first transport that accepts the subscription: {@code TTL}
   * the time left until the message's deadline ({@link Builder#ttl}), {@code Urgency} from the
   * importance ({@code high}, {@code low}, or {@link Builder#urgency} for normal; R-WDP-61), an RFC
   * 8030 {@code Topic} derived so that it reveals nothing (R-WDP-60); at most {@link
   * Builder#maxInFlightPerOrigin} attempts per push-service origin and {@link Builder#maxInFlight}
   * in all. <b>Outcome</b>: any 2xx delivered; 404/410 removes every registration of that push
   * resource (R-WDP-45); 429 holds back every message to that push resource until {@code
   * Retry-After}; 429, 5xx and no answer (timeouts, reset, refused, DNS, TLS) are retried with
   * jittered exponential backoff while the TTL lasts; other answers are given up; a push resource
   * failing for longer than {@link Builder#gracePeriod} without a success loses its registrations.
   *
   * @param change the change
   * @return completes when every message for this change has an outcome; completes exceptionally at
   *     once with {@link IllegalStateException} after {@link #close()}, with {@link
   *     PushOverloadedException} when {@link Builder#maxPendingChanges} changes already wait for
   *     fan-out (counted and logged), and with a {@link dev.davpush.PushException} if the DAV
   *     server's view or the store fails during fan-out or the engine closed first
   */
  public CompletionStage<PublishResult> publish(Change change) {
    requireNonNull(change, "change");
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("PushEngine is closed; publish changes before close()"));
    }
    return dispatcher.publish(change).minimalCompletionStage();
  }

  /**
   * Sends the VAPID key-rotation message (R-WDP-55) to every distinct push resource with a live
   * registration that {@code transport} accepts, while the old key still signs, then runs {@code
   * switchKey}; from that moment PROPFIND advertises the new key ({@link #properties} asks the
   * transport every time). For Web Push: {@code engine.rotateKey(webPush, () ->
   * webPush.rotateVapidKey(next))}.
   *
   * <p>The messages have no topic and one {@code property-update} naming {@code transports}; they
   * are tried for at most {@link Builder#keyRotationTimeout} (their TTL), then the key switches
   * whatever their outcome, so a push service that hangs cannot delay a rotation for long.
   *
   * @param transport one of this engine's transports
   * @param switchKey switches the transport to its new key; run once, on an engine thread (on the
   *     caller's thread when there is no push resource to notify)
   * @return completes with the counts once the key switched; exceptionally if {@code switchKey}
   *     threw (the old key then stays) or the engine closed first
   * @throws IllegalArgumentException if the transport is not one of this engine's
   */
  public CompletionStage<PublishResult> rotateKey(PushTransport transport, Runnable switchKey) {
    requireNonNull(transport, "transport");
    requireNonNull(switchKey, "switchKey");
    if (!transports.contains(transport)) {
      throw new IllegalArgumentException(
          "rotateKey: transport '" + transport.name() + "' is not one of this engine's");
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("PushEngine is closed; rotate keys before close()"));
    }
    KeyRotation rotation = new KeyRotation();
    int n = dispatcher.queueKeyRotation(transport, rotation);
    rotation.expect(n);
    return rotation.future.thenApply(
        r -> {
          switchKey.run();
          return r;
        });
  }

  /**
   * The engine's counters and current load.
   *
   * @return a snapshot
   */
  public EngineStatistics statistics() {
    return dispatcher.statistics();
  }

  /**
   * Stops accepting changes, keeps sending what is due for at most {@code timeout}, then stops and
   * hands back every message that has no outcome yet: those waiting in a non-durable queue, those
   * in line for a busy push service, and those still waiting for an answer (a push service may
   * still accept those: delivery is at least once). A durable queue keeps its waiting messages.
   * Every stage {@link #publish} returned completes; its {@link PublishResult#undelivered()} counts
   * what was handed back. The count is logged at WARN. Idempotent: a second call returns an empty
   * list.
   *
   * @param timeout how long to keep sending; ≥ 0
   * @return the messages without an outcome; persist them or send them again after a restart
   */
  public List<PendingDelivery> shutdown(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (!closed.compareAndSet(false, true)) {
      return List.of();
    }
    List<PendingDelivery> back = dispatcher.shutdown(timeout);
    timer.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        if (!ownedExecutor.awaitTermination(1, TimeUnit.SECONDS)) {
          ownedExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (ownsQueue) {
      queue.close();
    }
    undelivered = back;
    return back;
  }

  /**
   * {@link #shutdown} with {@link Builder#closeTimeout}; what it hands back goes to {@link
   * Builder#onUndelivered} (if set) and stays readable through {@link #undelivered()}. Idempotent.
   * The store, the transports and a supplied executor or queue are not closed.
   */
  @Override
  public void close() {
    if (closed.get()) {
      return;
    }
    List<PendingDelivery> back = shutdown(closeTimeout);
    if (onUndelivered != null && !back.isEmpty()) {
      try {
        onUndelivered.accept(back);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(PushEngine.class)
            .warn("onUndelivered callback failed: {}", e.toString());
      }
    }
  }

  /**
   * What {@link #close()} or {@link #shutdown} handed back.
   *
   * @return the messages without an outcome; empty before the engine closed
   */
  public List<PendingDelivery> undelivered() {
    List<PendingDelivery> u = undelivered;
    return u == null ? List.of() : u;
  }

  /** Counts the outcomes of a key rotation's messages. */
  private static final class KeyRotation implements Dispatcher.Tracker {
    final CompletableFuture<PublishResult> future = new CompletableFuture<>();
    private int recorded;
    private int delivered;
    private int gone;
    private int failed;
    private int undelivered;
    private int expected = -1;

    @Override
    public synchronized void record(Outcome outcome) {
      switch (outcome) {
        case DELIVERED -> delivered++;
        case GONE -> gone++;
        case FAILED -> failed++;
        case UNDELIVERED -> undelivered++;
      }
      recorded++;
      finishIfDone();
    }

    synchronized void expect(int n) {
      expected = n;
      finishIfDone();
    }

    // Callers hold the lock.
    private void finishIfDone() {
      if (recorded == expected) {
        future.complete(new PublishResult(expected, 0, delivered, gone, failed, undelivered));
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Builds a {@link PushEngine}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    @Nullable DavResources resources;
    @Nullable SubscriptionStore store;
    final List<PushTransport> transports = new ArrayList<>();
    @Nullable PushMessageEncoder encoder;
    @Nullable URI registrationBase;
    Clock clock = Clock.systemUTC();
    Duration defaultExpiry = DEFAULT_EXPIRY;
    Duration maximumExpiry = DEFAULT_MAXIMUM_EXPIRY;
    Duration minimumExpiry = DEFAULT_MINIMUM_EXPIRY;
    @Nullable Executor executor;
    @Nullable DeliveryQueue queue;
    @Nullable Consumer<List<PendingDelivery>> onUndelivered;
    RegistrationLimits limits = RegistrationLimits.defaults();
    Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    Duration ttl = DEFAULT_TTL;
    Urgency urgency = Urgency.NORMAL;
    Duration coalescingWindow = DEFAULT_COALESCING_WINDOW;
    Duration maximumCoalescingWindow = DEFAULT_MAXIMUM_COALESCING_WINDOW;
    int maxInFlightPerOrigin = DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN;
    int maxSlowPerOrigin = DEFAULT_MAX_SLOW_PER_ORIGIN;
    int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    int maxPendingChanges = DEFAULT_MAX_PENDING_CHANGES;
    Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    Duration keyRotationTimeout = DEFAULT_KEY_ROTATION_TIMEOUT;
    byte @Nullable [] topicKey;
    // Package-private seams for tests (not API): wake-ups, backoff, jitter, pool size.
    @Nullable Delayer delayer;
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    @Nullable DoubleSupplier jitter;
    int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private Builder() {}

    /**
     * Sets the DAV server's view (required).
     *
     * @param resources the DAV server's view (required)
     * @return this builder
     */
    public Builder resources(DavResources resources) {
      this.resources = requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Sets the store; default a new {@link InMemorySubscriptionStore}.
     *
     * @param store the store; not closed by the engine
     * @return this builder
     */
    public Builder store(SubscriptionStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * Adds a transport (at least one required). Registration picks, and delivery uses, the first
     * transport that {@linkplain PushTransport#accepts accepts} a subscription.
     *
     * @param transport a transport; not closed by the engine
     * @return this builder
     */
    public Builder transport(PushTransport transport) {
      transports.add(requireNonNull(transport, "transport"));
      return this;
    }

    /**
     * Sets the push message encoder; default {@code PushMessageWriter.encoder()}, the {@code
     * push-message} XML document of the current draft.
     *
     * @param encoder serialises push messages
     * @return this builder
     */
    public Builder messageEncoder(PushMessageEncoder encoder) {
      this.encoder = requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * Sets the base of registration URLs (required).
     *
     * @param registrationBase absolute base URI ending in {@code /} under which registration URLs
     *     are minted (required), for example {@code https://dav.example/push/}; with a host, no
     *     query, no fragment
     * @return this builder
     * @throws IllegalArgumentException if the URI breaks one of these rules
     */
    public Builder registrationBase(URI registrationBase) {
      new RegistrationUrls(requireNonNull(registrationBase, "registrationBase"));
      this.registrationBase = registrationBase;
      return this;
    }

    /**
     * Sets the clock for expiry and retry decisions.
     *
     * @param clock the clock; default UTC system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the expiry of a registration that requests none (or one in the past).
     *
     * @param d expiry when none is requested; &gt; 0; default {@link #DEFAULT_EXPIRY}
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder defaultExpiry(Duration d) {
      this.defaultExpiry = positive(requireNonNull(d, "defaultExpiry"), "defaultExpiry");
      return this;
    }

    /**
     * Sets the cap on every expiry.
     *
     * @param d cap on any expiry; &gt; 0; default {@link #DEFAULT_MAXIMUM_EXPIRY}
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder maximumExpiry(Duration d) {
      this.maximumExpiry = positive(requireNonNull(d, "maximumExpiry"), "maximumExpiry");
      return this;
    }

    /**
     * Sets the floor on requested expiries; a shorter request is lengthened to it.
     *
     * @param d floor on requested expiries; ≥ 0; default {@link #DEFAULT_MINIMUM_EXPIRY}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minimumExpiry(Duration d) {
      requireNonNull(d, "minimumExpiry");
      if (d.isNegative()) {
        throw new IllegalArgumentException("minimumExpiry: expected >= 0, got " + d);
      }
      this.minimumExpiry = d;
      return this;
    }

    /**
     * Sets the executor for fan-out, sending and outcome handling.
     *
     * @param executor runs fan-out, encryption (the transport encrypts on the calling thread) and
     *     outcome handling; its tasks never block. Default an own pool of as many daemon threads as
     *     processors (at least 2, at most 8) named {@code davpush-engine-N}, shut down by {@link
     *     PushEngine#close()}; how much work it holds is bounded by {@link #maxPendingChanges} and
     *     {@link #maxInFlight}. A supplied executor is not shut down
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the delivery queue between coalescing and sending. The built engine gives the queue its
     * wake-up hook ({@link DeliveryQueue#onWork}) and polls it once, so deliveries a durable queue
     * kept from an earlier run are sent without waiting for the first publish.
     *
     * @param queue the queue; default a new {@link InMemoryDeliveryQueue} (closed by the engine); a
     *     supplied queue is not closed
     * @return this builder
     */
    public Builder deliveryQueue(DeliveryQueue queue) {
      this.queue = requireNonNull(queue, "queue");
      return this;
    }

    /**
     * Sets the caps that keep one principal from exhausting the server.
     *
     * @param limits the limits; default {@link RegistrationLimits#defaults()}
     * @return this builder
     */
    public Builder registrationLimits(RegistrationLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the RFC 8030 TTL of every message, which is also how long it is retried.
     *
     * @param ttl ≥ 0, whole seconds in the {@code TTL} header; default {@link #DEFAULT_TTL}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder ttl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl: expected >= 0, got " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Sets the RFC 8030 urgency of changes of {@link Change.Importance#NORMAL} importance
     * (R-WDP-61); {@code HIGH} changes are always sent {@code high}, {@code LOW} ones {@code low}.
     *
     * @param urgency default {@link Urgency#NORMAL}
     * @return this builder
     */
    public Builder urgency(Urgency urgency) {
      this.urgency = requireNonNull(urgency, "urgency");
      return this;
    }

    /**
     * Sets the coalescing window at no load: after a message to a push resource and topic, later
     * changes within this window are merged into one message at its end (R-WDP-43).
     *
     * @param window ≥ 0; zero turns coalescing across changes off; default {@link
     *     #DEFAULT_COALESCING_WINDOW}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder coalescingWindow(Duration window) {
      this.coalescingWindow = nonNegative(requireNonNull(window, "window"), "coalescingWindow");
      return this;
    }

    /**
     * Sets the coalescing window at full load: the window grows linearly with the backlog of
     * messages and reaches this at 50,000.
     *
     * @param window ≥ {@link #coalescingWindow}; default {@link #DEFAULT_MAXIMUM_COALESCING_WINDOW}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maximumCoalescingWindow(Duration window) {
      this.maximumCoalescingWindow =
          nonNegative(requireNonNull(window, "window"), "maximumCoalescingWindow");
      return this;
    }

    /**
     * Sets how many attempts may wait for an answer from one push-service origin (scheme, host,
     * port) at once, not counting slow ones (those with no answer after the origin's slow
     * threshold, between 250 ms and 2 s), which give their slot back. A transport must allow at
     * least this many plus {@link #maxSlowPerOrigin} connections or streams per origin.
     *
     * @param n ≥ 1; default {@link #DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxInFlightPerOrigin(int n) {
      this.maxInFlightPerOrigin = atLeast(n, 1, "maxInFlightPerOrigin");
      return this;
    }

    /**
     * Sets how many slow attempts one origin may have that no longer hold a slot.
     *
     * @param n ≥ 0; default {@link #DEFAULT_MAX_SLOW_PER_ORIGIN}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxSlowPerOrigin(int n) {
      this.maxSlowPerOrigin = atLeast(n, 0, "maxSlowPerOrigin");
      return this;
    }

    /**
     * Sets how many attempts may wait for an answer engine-wide, slow ones included, plus messages
     * claimed and in line for a busy origin.
     *
     * @param n ≥ 1; default {@link #DEFAULT_MAX_IN_FLIGHT}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxInFlight(int n) {
      this.maxInFlight = atLeast(n, 1, "maxInFlight");
      return this;
    }

    /**
     * Sets how many changes may wait for fan-out before {@link PushEngine#publish} refuses with
     * {@link PushOverloadedException}.
     *
     * @param n ≥ 1; default {@link #DEFAULT_MAX_PENDING_CHANGES}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxPendingChanges(int n) {
      this.maxPendingChanges = atLeast(n, 1, "maxPendingChanges");
      return this;
    }

    /**
     * Sets the engine's own bound on one attempt, on top of the transport's timeouts; an attempt
     * without an answer by then counts as no answer and is retried.
     *
     * @param timeout &gt; 0; default {@link #DEFAULT_ATTEMPT_TIMEOUT}
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive(requireNonNull(timeout, "timeout"), "attemptTimeout");
      return this;
    }

    /**
     * Sets how long a push resource may keep failing (rejected answers, 5xx, no answer) without a
     * success before every registration of it is removed (R-WDP-45).
     *
     * @param grace &gt; 0; default {@link #DEFAULT_GRACE_PERIOD}
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder gracePeriod(Duration grace) {
      this.gracePeriod = positive(requireNonNull(grace, "grace"), "gracePeriod");
      return this;
    }

    /**
     * Sets how long {@link PushEngine#rotateKey} tries the key-rotation messages before it switches
     * the key.
     *
     * @param timeout &gt; 0; default {@link #DEFAULT_KEY_ROTATION_TIMEOUT}
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder keyRotationTimeout(Duration timeout) {
      this.keyRotationTimeout = positive(requireNonNull(timeout, "timeout"), "keyRotationTimeout");
      return this;
    }

    /**
     * Sets the key from which RFC 8030 {@code Topic} header values are derived (HMAC-SHA-256).
     * Nodes of one cluster set the same key so that their messages replace each other at the push
     * service; default 32 random octets per engine.
     *
     * @param key ≥ 16 octets; copied; a secret
     * @return this builder
     * @throws IllegalArgumentException if shorter than 16 octets
     */
    public Builder topicKey(byte[] key) {
      requireNonNull(key, "key");
      if (key.length < 16) {
        throw new IllegalArgumentException("topicKey: expected >= 16 octets, got " + key.length);
      }
      this.topicKey = key.clone();
      return this;
    }

    /**
     * Sets how long {@link PushEngine#close()} keeps sending what is due before it hands back the
     * rest.
     *
     * @param timeout ≥ 0; default {@link #DEFAULT_CLOSE_TIMEOUT}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = nonNegative(requireNonNull(timeout, "timeout"), "closeTimeout");
      return this;
    }

    /**
     * Sets who receives the messages {@link PushEngine#close()} hands back (called once, on the
     * closing thread, only if there are any); default none (they stay readable through {@link
     * PushEngine#undelivered()}, and their count is logged).
     *
     * @param callback receives the messages without an outcome
     * @return this builder
     */
    public Builder onUndelivered(Consumer<List<PendingDelivery>> callback) {
      this.onUndelivered = requireNonNull(callback, "callback");
      return this;
    }

    Builder delayer(Delayer delayer) {
      this.delayer = requireNonNull(delayer, "delayer");
      return this;
    }

    Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    Builder jitter(DoubleSupplier jitter) {
      this.jitter = requireNonNull(jitter, "jitter");
      return this;
    }

    Builder threads(int threads) {
      this.threads = atLeast(threads, 1, "threads");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return the engine
     * @throws IllegalStateException if a required part is missing (the message names every missing
     *     part: resources, registrationBase, transport) or the durations are inconsistent
     *     (minimumExpiry ≤ defaultExpiry ≤ maximumExpiry and coalescingWindow ≤
     *     maximumCoalescingWindow are required)
     */
    public PushEngine build() {
      List<String> missing = new ArrayList<>();
      if (resources == null) {
        missing.add("resources(DavResources)");
      }
      if (registrationBase == null) {
        missing.add("registrationBase(URI)");
      }
      if (transports.isEmpty()) {
        missing.add("at least one transport(PushTransport)");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "PushEngine.Builder: missing " + String.join(", ", missing));
      }
      if (coalescingWindow.compareTo(maximumCoalescingWindow) > 0) {
        throw new IllegalStateException(
            "PushEngine.Builder: expected coalescingWindow <= maximumCoalescingWindow, got "
                + coalescingWindow
                + ", "
                + maximumCoalescingWindow);
      }
      if (minimumExpiry.compareTo(defaultExpiry) > 0
          || defaultExpiry.compareTo(maximumExpiry) > 0) {
        throw new IllegalStateException(
            "PushEngine.Builder: expected minimumExpiry <= defaultExpiry <= maximumExpiry, got "
                + minimumExpiry
                + ", "
                + defaultExpiry
                + ", "
                + maximumExpiry);
      }
      return new PushEngine(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + ": expected >= 0, got " + d);
      }
      return d;
    }

    private static int atLeast(int n, int min, String name) {
      if (n < min) {
        throw new IllegalArgumentException(name + ": expected >= " + min + ", got " + n);
      }
      return n;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected > 0, got " + d);
      }
      return d;
    }
  }
}
