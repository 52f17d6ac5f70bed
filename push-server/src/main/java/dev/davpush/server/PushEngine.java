package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushProperties;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.PreconditionException;
import dev.davpush.PushException;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.internal.Delayer;
import dev.davpush.server.internal.Dispatcher;
import dev.davpush.server.internal.RegistrationUrls;
import dev.davpush.server.internal.RetryPolicy;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.xml.PushMessageWriter;
import java.net.URI;
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
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The WebDAV-Push engine a DAV server embeds: discovery, registration, and publishing of changes.
 * Built once with {@link #builder()}, shared by all request threads.
 *
 * <p>Policies, in one place:
 *
 * <ul>
 *   <li><b>Discovery</b> ({@link #properties}): push properties are shown only to an
 *       authenticated principal that may subscribe (R-WDP-62 "advertise push only to clients
 *       allowed to use it"); anonymous requests get none.
 *   <li><b>Registration</b> ({@link #register}): one registration per (principal, resource, push
 *       resource) (R-WDP-28, digest ambiguity A-27); requested triggers are downgraded, never
 *       refused, while one of them is supported (R-WDP-15, R-WDP-19, A-6); on a non-collection
 *       every depth becomes {@code 0}; expiry policy see {@link #register}.
 *   <li><b>Publishing</b> ({@link #publish}): asynchronous on the engine's executor; fan-out,
 *       filter, coalesce, send, outcome (architecture, "The dispatch pipeline").
 *   <li><b>Housekeeping</b>: at most once an hour, triggered by {@link #register} or
 *       {@link #publish}, expired registrations are removed from the store
 *       ({@link SubscriptionStore#removeExpired}) on the engine's executor.
 * </ul>
 *
 * <p>Logging goes to {@link System.Logger} {@code dev.davpush.server.PushEngine} (this module has
 * no third-party dependency): DEBUG one line per delivery attempt with transport, push service
 * host, status, attempt and latency; never a push resource URL, key, secret or payload.
 *
 * <p>Thread safety: safe for concurrent use. {@link #close()} is idempotent.
 */
public final class PushEngine implements AutoCloseable {
  /** Default expiry when the client requests none: 7 days. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
  /** Default cap on any expiry: 30 days. */
  public static final Duration DEFAULT_MAXIMUM_EXPIRY = Duration.ofDays(30);
  /** Default floor on a requested expiry: 3 days (R-WDP-31 asks servers to allow at least 3). */
  public static final Duration DEFAULT_MINIMUM_EXPIRY = Duration.ofDays(3);

  /** How long {@link #close()} waits for running deliveries by default: 10 seconds. */
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  /** Changes the default executor queues at most before {@link #publish} fails fast. */
  static final int DEFAULT_QUEUE_CAPACITY = 65_536;
  /** How often the engine retries a save that lost a race on the natural key. */
  private static final int REGISTER_RACE_ATTEMPTS = 3;

  private final DavResources resources;
  private final SubscriptionStore store;
  private final List<PushTransport> transports;
  private final List<TransportDescriptor> descriptors;
  private final RegistrationUrls urls;
  private final Clock clock;
  private final Duration defaultExpiry;
  private final Duration maximumExpiry;
  private final Duration minimumExpiry;
  private final Duration drainTimeout;
  private final @Nullable ExecutorService ownedExecutor;
  private final @Nullable ScheduledThreadPoolExecutor ownedRetryTimer;
  private final Dispatcher dispatcher;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PushEngine(Builder b) {
    this.resources = requireNonNull(b.resources, "resources");
    this.store = b.store != null ? b.store : new InMemorySubscriptionStore();
    this.transports = List.copyOf(b.transports);
    List<TransportDescriptor> d = new ArrayList<>(transports.size());
    for (PushTransport t : transports) {
      d.add(requireNonNull(t.descriptor(), "descriptor() of transport " + t.name()));
    }
    this.descriptors = List.copyOf(d);
    this.urls = new RegistrationUrls(requireNonNull(b.registrationBase, "registrationBase"));
    this.clock = b.clock;
    this.defaultExpiry = b.defaultExpiry;
    this.maximumExpiry = b.maximumExpiry;
    this.minimumExpiry = b.minimumExpiry;
    this.drainTimeout = b.drainTimeout;

    Executor executor = b.executor;
    if (executor == null) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              b.threads,
              b.threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(DEFAULT_QUEUE_CAPACITY),
              daemonThreads("davpush-engine-"),
              new ThreadPoolExecutor.AbortPolicy());
      pool.allowCoreThreadTimeOut(true);
      this.ownedExecutor = pool;
      executor = pool;
    } else {
      this.ownedExecutor = null;
    }
    Delayer delayer = b.delayer;
    if (delayer == null) {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemonThreads("davpush-engine-retry-"));
      timer.setRemoveOnCancelPolicy(true);
      this.ownedRetryTimer = timer;
      delayer = (task, delay) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      this.ownedRetryTimer = null;
    }
    DoubleSupplier jitter = b.jitter != null ? b.jitter : () -> ThreadLocalRandom.current().nextDouble();
    this.dispatcher =
        new Dispatcher(
            resources,
            store,
            transports,
            b.encoder != null ? b.encoder : PushMessageWriter.encoder(),
            urls,
            clock,
            executor,
            delayer,
            b.retryPolicy,
            jitter,
            b.ttl);
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
   * @return empty if the resource is not push-capable, the principal is null, or the principal
   *     may not subscribe
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
    return Optional.of(new PushProperties(descriptors, r.topic(), r.supportedTriggers()));
  }

  /**
   * The transports of this engine, as listed in {@code transports}.
   *
   * @return the descriptors, in the order the transports were added; unmodifiable
   */
  public List<TransportDescriptor> transports() {
    return descriptors;
  }

  /**
   * Registers (or updates) a subscription on a resource (draft-bitfire-webdav-push §3.1, §3.2).
   *
   * <p>Checks, in this order: the resource is push-capable and the principal may subscribe
   * ({@code push-not-available}); a {@link WebPushSubscription} uses {@code aes128gcm}
   * (R-WDP-57) and some transport {@linkplain PushTransport#accepts accepts} the subscription
   * ({@code invalid-subscription}; which push resources are acceptable, for example https only,
   * is the transport's policy); at least one requested trigger is supported
   * ({@code no-supported-trigger}). Nothing is stored when a check fails.
   *
   * <p>Effective triggers: {@link dev.davpush.SupportedTriggers#negotiate} (depth lowered to the
   * supported maximum, unsupported kinds dropped); on a non-collection every depth is {@code 0}
   * (digest ambiguity A-33).
   *
   * <p>Expiry (R-WDP-26, R-WDP-31, A-20): a requested expiry in the future is clamped into
   * {@code [now + minimumExpiry, now + maximumExpiry]}; none, or one not after now, gives
   * {@code now + defaultExpiry}. The result is truncated to whole seconds (HTTP dates have
   * second resolution).
   *
   * <p>The registration stores the resource's canonical {@link DavResource#path()}, which
   * {@link DavResources#maySubscribe} is asked about.
   *
   * <p>Identity (R-WDP-28, A-27): a live registration with the same (principal, path,
   * {@link Subscription#id()}) is updated in place: new subscription (keys), triggers and expiry;
   * same id and URL; {@code created == false}. Otherwise a new registration gets a fresh id of
   * 128 random bits ({@link java.security.SecureRandom}, 22 base64url characters) and the URL
   * {@code registrationBase.resolve(id)}; {@code created == true}. An expired registration counts
   * as absent: it is replaced by a new one with a new URL, since a client may have seen it
   * answer 404 already.
   *
   * <p>Keys belong to the push resource: when the subscription differs from what the
   * principal's other registrations of the same push resource hold, those are updated to it too
   * (last write wins).
   *
   * @param path the server-relative path of the target resource
   * @param principal the authenticated principal
   * @param request the parsed {@code push-register}
   * @return the stored registration and whether it is new
   * @throws PreconditionException {@code push-not-available} if the resource is not push-capable
   *     or the principal may not subscribe; {@code invalid-subscription} if no transport accepts
   *     the subscription; {@code no-supported-trigger} if no requested trigger is supported
   * @throws dev.davpush.PushException if the store fails, or concurrent registrations of the
   *     same key kept conflicting
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
    if (subscription instanceof WebPushSubscription w
        && !w.contentEncoding().equals(ContentEncoding.AES128GCM)) {
      throw new PreconditionException(
          Precondition.INVALID_SUBSCRIPTION,
          "content-encoding '" + w.contentEncoding() + "' is not supported; WebDAV-Push"
              + " requires aes128gcm (R-WDP-57)");
    }
    if (transports.stream().noneMatch(t -> t.accepts(subscription))) {
      throw new PreconditionException(
          Precondition.INVALID_SUBSCRIPTION,
          "no transport of this server accepts the subscription (transport '"
              + subscription.transport() + "'); see the transports property for what is"
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
    dispatcher.purgeExpiredIfDue();

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
                + " concurrently " + REGISTER_RACE_ATTEMPTS + " times in a row; try again",
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
   * @param registrationUrl the absolute registration URL the request addressed (a path-only URI
   *     is compared by path)
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
   * Whether a URL lies under the registration base, so a DAV server routes its {@code DELETE}
   * here: scheme, host and port compare case-insensitively (an absent port is the scheme's
   * default), and the path is the base path plus exactly one non-empty segment (the registration
   * id), without a query. A path-only URI is compared by path.
   *
   * @param url an absolute URL
   * @return true if it is under {@link Builder#registrationBase(URI)}
   */
  public boolean isRegistrationUrl(URI url) {
    return urls.idOf(requireNonNull(url, "url")).isPresent();
  }

  /**
   * Publishes a committed change: finds the matching registrations and sends them push messages
   * asynchronously; returns at once, never sends on the caller's thread (unless the caller gave
   * {@link Builder#executor} a direct executor).
   *
   * <p>On the executor: <b>fan-out</b> over the changed path (distance 0), its parent (1) and
   * further ancestors (2, 3, …) through {@link DavResources#parent}; every push-capable one
   * yields its topic's registrations. A deleted resource that {@code DavResources} no longer
   * knows reaches its own registrations only through {@link Change#deletedTopic()} (R-WDP-23). <b>Filter</b>: a content change needs a content-update
   * trigger whose depth covers the distance; a property change a property-update trigger whose
   * depth covers the distance and whose property list is empty or names a changed property.
   * {@code getetag}, {@code getlastmodified} and {@code sync-token} never cause a property update
   * (R-WDP-22); an empty property set means "unspecified" and matches only triggers without a
   * list. Expired registrations are never sent to (R-WDP-33). {@code Push-Dont-Notify} applies
   * only to registrations of {@link Change#principal()} (R-WDP-62; none if the principal is
   * unknown): a listed URL suppresses the registration it names (exactly, or by its id as the
   * last path segment, digest ambiguity A-12); {@code *} suppresses all of that principal's
   * registrations. A registration whose owner may no longer subscribe to its resource
   * ({@link DavResources#maySubscribe}) is skipped too (R-WDP-62), except on a deleted resource. <b>Coalesce</b>: one message per push resource and topic. The message
   * has the registration's topic and a content update with the {@link DavResources#syncToken}
   * of the subscribed resource, or an empty property update. <b>Send</b> with the first
   * transport that accepts the subscription, TTL {@link PushDelivery#DEFAULT_TTL}.
   * <b>Outcome</b>: delivered counts; gone removes every registration of that push resource
   * (R-WDP-45); retry-later is retried with exponential backoff and jitter, never earlier than
   * {@code Retry-After}, at most 5 attempts and not after the TTL; rejected or no answer counts as
   * failed.
   *
   * @param change the change
   * @return completes when every delivery started for this change has an outcome; completes
   *     exceptionally with {@link IllegalStateException} after {@link #close()}, and with a
   *     {@link dev.davpush.PushException} if the executor refuses the work, the DAV server's view
   *     or the store fails during fan-out, or close gave up waiting
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
   * Stops accepting changes, waits a bounded time for pending deliveries; idempotent.
   *
   * <p>Retries waiting for their backoff are given up (counted as failed in their
   * {@link PublishResult}); deliveries awaiting a push service's answer get up to 10 seconds.
   * Every stage {@link #publish} returned completes, exceptionally if its deliveries did not
   * finish in time. The engine's own threads are then stopped; a caller-supplied executor, the
   * store and the transports are not closed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    dispatcher.close(drainTimeout);
    if (ownedRetryTimer != null) {
      ownedRetryTimer.shutdownNow();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!ownedExecutor.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          ownedExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    dispatcher.abandonRemaining(); // a publish racing close(): its stage still completes
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
    // Package-private seams for tests (not API): retries, jitter, drain, pool size, TTL.
    @Nullable Delayer delayer;
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    @Nullable DoubleSupplier jitter;
    Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    Duration ttl = PushDelivery.DEFAULT_TTL;

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
     * Sets the push message encoder; default {@code PushMessageWriter.encoder()}, the
     * {@code push-message} XML document of the current draft.
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
     * @param executor runs fan-out and outcome handling; default an own pool of 2 to 8 daemon
     *     threads named {@code davpush-engine-N} with a queue of 65,536 changes, shut down by
     *     {@link PushEngine#close()}; a supplied executor is not shut down
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
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

    Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    Builder ttl(Duration ttl) {
      this.ttl = requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return the engine
     * @throws IllegalStateException if a required part is missing (the message names every
     *     missing part: resources, registrationBase, transport) or the durations
     *     are inconsistent (minimumExpiry ≤ defaultExpiry ≤ maximumExpiry is required)
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
      if (minimumExpiry.compareTo(defaultExpiry) > 0
          || defaultExpiry.compareTo(maximumExpiry) > 0) {
        throw new IllegalStateException(
            "PushEngine.Builder: expected minimumExpiry <= defaultExpiry <= maximumExpiry, got "
                + minimumExpiry + ", " + defaultExpiry + ", " + maximumExpiry);
      }
      return new PushEngine(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected > 0, got " + d);
      }
      return d;
    }
  }
}
