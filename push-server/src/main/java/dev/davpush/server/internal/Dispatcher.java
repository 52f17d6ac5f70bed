package dev.davpush.server.internal;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Subscription;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.Change;
import dev.davpush.server.PublishResult;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The publish pipeline of the engine (architecture, "The dispatch pipeline"): fan-out over the
 * changed resource and its ancestors, filter (trigger kind and depth, property names, expiry,
 * {@code Push-Dont-Notify}), coalesce (one message per push resource and topic), send through the
 * transport, and act on the outcome (count, remove gone subscriptions, retry with backoff).
 *
 * <p>Everything runs on the executor it is given; {@link #publish} only submits.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Dispatcher {
  /** The logger; DEBUG gets one line per delivery attempt (transport, host, status, latency). */
  static final System.Logger LOG = System.getLogger("dev.davpush.server.PushEngine");

  /** Properties that change with every content update: never a property update (R-WDP-22). */
  static final Set<PropertyName> CONTENT_BOUND =
      Set.of(PropertyName.GETETAG, PropertyName.GETLASTMODIFIED, PropertyName.SYNC_TOKEN);

  /** A guard against parent cycles in a broken {@link DavResources}. */
  static final int MAX_ANCESTORS = 1024;

  private final DavResources resources;
  private final SubscriptionStore store;
  private final List<PushTransport> transports;
  private final PushMessageEncoder encoder;
  private final RegistrationUrls urls;
  private final Clock clock;
  private final Executor executor;
  private final Delayer delayer;
  private final RetryPolicy retryPolicy;
  private final DoubleSupplier jitter;
  private final Duration ttl;

  /** How often expired registrations are swept from the store. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  private final Set<Publication> active = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable Instant> lastPurge = new AtomicReference<>();
  private final Set<RetryTask> scheduled = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  /**
   * Creates the pipeline.
   *
   * @param resources the DAV server's view
   * @param store the registrations
   * @param transports the transports, in preference order; copied
   * @param encoder serialises push messages
   * @param urls the registration-URL rules (for {@code Push-Dont-Notify})
   * @param clock the clock for expiry, deadlines and retries
   * @param executor runs fan-out, sends and outcome handling
   * @param delayer schedules retries
   * @param retryPolicy when to retry and when to give up
   * @param jitter numbers in {@code [0, 1)} for the backoff jitter
   * @param ttl the RFC 8030 TTL of every message, ≥ 0; also its delivery deadline
   */
  public Dispatcher(
      DavResources resources,
      SubscriptionStore store,
      List<PushTransport> transports,
      PushMessageEncoder encoder,
      RegistrationUrls urls,
      Clock clock,
      Executor executor,
      Delayer delayer,
      RetryPolicy retryPolicy,
      DoubleSupplier jitter,
      Duration ttl) {
    this.resources = requireNonNull(resources, "resources");
    this.store = requireNonNull(store, "store");
    this.transports = List.copyOf(requireNonNull(transports, "transports"));
    this.encoder = requireNonNull(encoder, "encoder");
    this.urls = requireNonNull(urls, "urls");
    this.clock = requireNonNull(clock, "clock");
    this.executor = requireNonNull(executor, "executor");
    this.delayer = requireNonNull(delayer, "delayer");
    this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
    this.jitter = requireNonNull(jitter, "jitter");
    this.ttl = requireNonNull(ttl, "ttl");
  }

  /**
   * Submits a change to the executor and returns at once.
   *
   * @param change the change
   * @return completes with the counts when every delivery has its final outcome; exceptionally
   *     with a {@link PushException} if the executor refuses the work or the DAV server's view or
   *     the store fails during fan-out
   */
  public CompletableFuture<PublishResult> publish(Change change) {
    requireNonNull(change, "change");
    purgeExpiredIfDue();
    Publication p = new Publication();
    active.add(p);
    p.future.whenComplete((r, e) -> active.remove(p));
    try {
      executor.execute(() -> run(change, p));
    } catch (RejectedExecutionException e) {
      p.future.completeExceptionally(
          new PushException(
              "publish: the engine's executor refused the change (overloaded or shut down)", e));
    }
    return p.future;
  }

  /**
   * Stops retrying and waits a bounded time for running publications. Scheduled retries are
   * given up at once and counted as failed; publications still without an outcome after the
   * timeout complete exceptionally with a {@link PushException}. Nothing is silently dropped:
   * every stage {@link #publish} returned completes.
   *
   * @param timeout how long to wait for running deliveries
   * @return true if everything finished within the timeout
   */
  public boolean close(Duration timeout) {
    closing = true;
    for (RetryTask t : List.copyOf(scheduled)) {
      t.abandon();
    }
    List<Publication> running = List.copyOf(active);
    boolean drained = true;
    try {
      CompletableFuture.allOf(running.stream().map(p -> p.future).toArray(CompletableFuture[]::new))
          .get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      drained = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    } catch (ExecutionException e) {
      // a publication failed; its stage already carries the failure
    }
    if (!drained) {
      abandonRemaining();
    }
    return drained;
  }

  /**
   * Completes every publication still without an outcome exceptionally with a
   * {@link PushException}; for the very end of a shutdown, after the executor stopped.
   *
   * @return how many were abandoned
   */
  public int abandonRemaining() {
    int n = 0;
    for (Publication p : List.copyOf(active)) {
      if (p.future.completeExceptionally(
          new PushException(
              "publish: the engine was closed before every delivery of this change had an"
                  + " outcome"))) {
        n++;
      }
    }
    if (n > 0) {
      int abandoned = n;
      LOG.log(
          Level.WARNING,
          () -> "closed with " + abandoned + " publication(s) still waiting for push services");
    }
    return n;
  }

  /**
   * Sweeps expired registrations from the store on the executor, at most once per
   * {@link #PURGE_INTERVAL}; a no-op while closing or when the executor refuses.
   */
  public void purgeExpiredIfDue() {
    if (closing) {
      return;
    }
    Instant now = clock.instant();
    Instant last = lastPurge.get();
    if (last != null && now.isBefore(last.plus(PURGE_INTERVAL))) {
      return;
    }
    if (!lastPurge.compareAndSet(last, now)) {
      return; // another thread is sweeping
    }
    try {
      executor.execute(
          () -> {
            try {
              int n = store.removeExpired(now);
              LOG.log(Level.DEBUG, () -> "removed " + n + " expired registration(s)");
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "removing expired registrations failed: " + e);
            }
          });
    } catch (RejectedExecutionException e) {
      // shutting down or overloaded: the next call tries again after the interval
    }
  }

  private void run(Change change, Publication p) {
    try {
      Instant now = clock.instant();
      Map<String, Match> matches = fanOut(change);
      int suppressed = 0;
      Map<GroupKey, Match> groups = new LinkedHashMap<>();
      for (Match m : matches.values()) {
        Registration r = m.registration();
        if (r.isExpired(now)) {
          suppressed++; // R-WDP-33: never send to an expired registration
          continue;
        }
        if (dontNotify(change, r)) {
          suppressed++;
          continue;
        }
        if (!m.deleted() && !resources.maySubscribe(r.owner(), r.resourcePath())) {
          suppressed++; // R-WDP-62: the owner lost access since registering
          continue;
        }
        // Coalesce: one message per push resource and topic (R-WDP-28, R-WDP-43).
        groups.putIfAbsent(new GroupKey(r.subscription().id(), r.topic()), m);
      }
      p.start(matches.size(), suppressed, groups.size());
      Instant deadline = now.plus(ttl);
      Map<String, Optional<String>> syncTokens = new HashMap<>();
      for (Match m : groups.values()) {
        PushMessage message;
        try {
          message = message(change, m, syncTokens);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "could not build a push message: " + e);
          p.failed();
          continue;
        }
        PendingDelivery d =
            new PendingDelivery(m.registration().id(), message, 1, now, deadline);
        attempt(d, m.registration(), p);
      }
    } catch (RuntimeException e) {
      p.future.completeExceptionally(
          e instanceof PushException
              ? e
              : new PushException("publish: fan-out failed: " + e, e));
    }
  }

  private Map<String, Match> fanOut(Change change) {
    Map<String, Match> matches = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    @Nullable String path = change.path();
    int distance = 0;
    while (path != null && distance <= MAX_ANCESTORS && seen.add(path)) {
      Optional<DavResource> resource = resources.resource(path);
      boolean deleted = false;
      if (resource.isEmpty() && distance == 0 && change.deletedTopic().isPresent()) {
        deleted = true;
        // R-WDP-23: the subscribed resource itself was deleted; reach its registrations by topic
        resource =
            Optional.of(
                new DavResource(
                    path,
                    change.deletedTopic().get(),
                    SupportedTriggers.of(Depth.ZERO, Depth.ZERO),
                    false));
      }
      if (resource.isPresent()) {
        DavResource res = resource.get();
        for (Registration r : store.findByTopic(res.topic())) {
          if (triggers(r, change, distance)) {
            matches.putIfAbsent(r.id(), new Match(r, res, deleted));
          }
        }
      }
      path = resources.parent(path).orElse(null);
      distance++;
    }
    return matches;
  }

  /**
   * Whether a registration's effective triggers ask for a change at a distance.
   *
   * <p>A content change needs a content-update trigger whose depth covers the distance. A
   * property change needs a property-update trigger whose depth covers the distance, and whose
   * property list is empty or names one of the changed properties; properties that change with
   * every content update ({@link #CONTENT_BOUND}) are ignored (R-WDP-22), so a change of only
   * those triggers nothing. A property change with an empty set (the server does not say which)
   * matches only triggers without a property list.
   */
  static boolean triggers(Registration r, Change change, int distance) {
    if (change.isContentUpdate()) {
      for (Trigger t : r.triggers()) {
        if (t instanceof Trigger.ContentUpdate && t.depth().covers(distance)) {
          return true;
        }
      }
      return false;
    }
    Set<PropertyName> changed = change.properties().orElse(Set.of());
    Set<PropertyName> relevant = new HashSet<>(changed);
    relevant.removeAll(CONTENT_BOUND);
    if (relevant.isEmpty() && !changed.isEmpty()) {
      return false;
    }
    for (Trigger t : r.triggers()) {
      if (t instanceof Trigger.PropertyUpdate pu && pu.depth().covers(distance)) {
        if (pu.properties().isEmpty()) {
          return true;
        }
        for (PropertyName n : pu.properties()) {
          if (relevant.contains(n)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * {@code Push-Dont-Notify} (R-WDP-39, R-WDP-62, digest ambiguities ): only the
   * registrations of the principal that made the change can be suppressed; with an unknown
   * principal nothing is. {@code *} suppresses all of that principal's registrations; a listed URL
   * suppresses the registration it denotes.
   */
  private boolean dontNotify(Change change, Registration r) {
    Optional<String> who = change.principal();
    if (who.isEmpty() || !who.get().equals(r.owner())) {
      return false;
    }
    if (change.dontNotifyAll()) {
      return true;
    }
    for (URI u : change.dontNotify()) {
      if (urls.denotes(u, r.id())) {
        return true;
      }
    }
    return false;
  }

  private PushMessage message(Change change, Match m, Map<String, Optional<String>> syncTokens) {
    Topic topic = m.registration().topic();
    if (change.isContentUpdate()) {
      String path = m.resource().path();
      Optional<String> token = syncTokens.computeIfAbsent(path, resources::syncToken);
      return PushMessage.contentUpdate(topic, token.orElse(null));
    }
    return PushMessage.builder()
        .topic(topic)
        .propertyUpdate(new PushMessage.PropertyUpdate())
        .build();
  }

  // One attempt of one pending delivery. Every path ends in exactly one final count or a retry.
  private void attempt(PendingDelivery d, @Nullable Registration known, Publication p) {
    Subscription subscription;
    PushTransport transport;
    PushDelivery delivery;
    try {
      Registration r = known != null ? known : store.find(d.registrationId()).orElse(null);
      Instant now = clock.instant();
      if (r == null || r.isExpired(now)) {
        LOG.log(Level.DEBUG, "delivery dropped: registration removed or expired before retry");
        p.failed();
        return;
      }
      subscription = r.subscription();
      transport = transportFor(subscription);
      if (transport == null) {
        LOG.log(
            Level.WARNING,
            "delivery failed: no transport accepts a subscription of transport "
                + subscription.transport());
        p.failed();
        return;
      }
      byte[] payload = encoder.encode(d.message());
      Duration remaining = Duration.between(now, d.deadline());
      delivery =
          PushDelivery.builder(subscription, payload)
              .ttl(remaining.isNegative() ? Duration.ZERO : remaining)
              .build();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "delivery failed before sending: " + e.getClass().getName());
      p.failed();
      return;
    }
    long started = System.nanoTime();
    CompletionStage<DeliveryResult> stage;
    try {
      stage = transport.send(delivery);
      if (stage == null) {
        stage =
            CompletableFuture.failedFuture(
                new IllegalStateException("the transport returned no stage"));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    Subscription sub = subscription;
    PushTransport tr = transport;
    stage.whenCompleteAsync(
        (result, error) -> outcome(d, sub, tr, result, error, started, p), this::execute);
  }

  private void outcome(
      PendingDelivery d,
      Subscription subscription,
      PushTransport transport,
      @Nullable DeliveryResult result,
      @Nullable Throwable error,
      long started,
      Publication p) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String status =
        result != null
            ? Integer.toString(result.status())
            : "no answer (" + (error == null ? "null result" : rootName(error)) + ")";
    LOG.log(
        Level.DEBUG,
        () -> "delivery transport=" + transport.name() + " host=" + host(subscription)
            + " status=" + status + " attempt=" + d.attempt() + " latency=" + millis + "ms");
    try {
      if (result instanceof DeliveryResult.Delivered) {
        p.delivered();
      } else if (result instanceof DeliveryResult.Gone) {
        try {
          store.removeBySubscription(subscription.id()); // R-WDP-45
        } finally {
          p.gone();
        }
      } else if (result instanceof DeliveryResult.RetryLater rl) {
        try {
          retry(d, rl.retryAfter(), p);
        } catch (RuntimeException e) {
          p.failed(); // no retry could be arranged: the delivery still gets its outcome
          throw e;
        }
      } else {
        p.failed(); // Rejected, or no answer at all
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "handling a delivery outcome failed: " + e.getClass().getName());
    }
  }

  private void retry(PendingDelivery d, @Nullable Duration retryAfter, Publication p) {
    if (closing || d.attempt() >= retryPolicy.maximumAttempts()) {
      p.failed();
      return;
    }
    Duration delay = retryPolicy.delay(d.attempt(), retryAfter, jitter.getAsDouble());
    Instant now = clock.instant();
    // compared as durations: a push service may send any Retry-After, and now + delay can overflow
    if (delay.compareTo(Duration.between(now, d.deadline())) > 0) {
      p.failed(); // the message's TTL would be over before the next attempt
      return;
    }
    Instant notBefore = now.plus(delay);
    RetryTask task = new RetryTask(d.next(notBefore), p);
    scheduled.add(task);
    if (closing) {
      task.abandon(); // close() may have missed it
      return;
    }
    try {
      delayer.schedule(task, delay);
    } catch (RuntimeException e) {
      task.abandon();
    }
  }

  private @Nullable PushTransport transportFor(Subscription subscription) {
    for (PushTransport t : transports) {
      if (t.accepts(subscription)) {
        return t;
      }
    }
    return null;
  }

  private void execute(Runnable r) {
    try {
      executor.execute(r);
    } catch (RejectedExecutionException e) {
      r.run(); // the pool is shutting down: finish the bookkeeping here rather than lose it
    }
  }

  /** The push service's host only: a push resource URL is a capability and never logged whole. */
  static String host(Subscription s) {
    if (s instanceof WebPushSubscription w) {
      return w.pushResource().uri().getHost();
    }
    try {
      String h = new URI(s.id()).getHost();
      return h == null ? "-" : h;
    } catch (URISyntaxException e) {
      return "-";
    }
  }

  private static String rootName(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName();
  }

  private record Match(Registration registration, DavResource resource, boolean deleted) {}

  private record GroupKey(String subscriptionId, Topic topic) {}

  /** A retry waiting in the delayer; runs at most once, or is abandoned at close. */
  private final class RetryTask implements Runnable {
    private final PendingDelivery delivery;
    private final Publication publication;
    private final AtomicBoolean claimed = new AtomicBoolean();

    RetryTask(PendingDelivery delivery, Publication publication) {
      this.delivery = delivery;
      this.publication = publication;
    }

    @Override
    public void run() {
      if (claimed.compareAndSet(false, true)) {
        scheduled.remove(this);
        execute(() -> attempt(delivery, null, publication));
      }
    }

    void abandon() {
      if (claimed.compareAndSet(false, true)) {
        scheduled.remove(this);
        publication.failed();
      }
    }
  }

  /** The running tally of one publish. */
  private static final class Publication {
    final CompletableFuture<PublishResult> future = new CompletableFuture<>();
    private volatile int matched;
    private volatile int suppressed;
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    void start(int matched, int suppressed, int deliveries) {
      this.matched = matched;
      this.suppressed = suppressed;
      remaining.set(deliveries);
      if (deliveries == 0) {
        finish();
      }
    }

    void delivered() {
      delivered.incrementAndGet();
      done();
    }

    void gone() {
      gone.incrementAndGet();
      done();
    }

    void failed() {
      failed.incrementAndGet();
      done();
    }

    private void done() {
      if (remaining.decrementAndGet() == 0) {
        finish();
      }
    }

    private void finish() {
      future.complete(
          new PublishResult(matched, suppressed, delivered.get(), gone.get(), failed.get()));
    }
  }
}
