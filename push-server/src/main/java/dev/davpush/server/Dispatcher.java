package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.Registration;
import dev.davpush.Subscription;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Urgency;
import dev.davpush.server.internal.Coalescer;
import dev.davpush.server.internal.Delayer;
import dev.davpush.server.internal.DispatchSettings;
import dev.davpush.server.internal.Filters;
import dev.davpush.server.internal.Origins;
import dev.davpush.server.internal.Outcomes;
import dev.davpush.server.internal.RegistrationUrls;
import dev.davpush.server.internal.RfcTopic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.xml.WebDavPush;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch pipeline of the engine (architecture, "The dispatch pipeline"): fan-out, filter,
 * coalesce, queue, send, outcome. The pure decisions live in the stages of {@code
 * dev.davpush.server.internal} ({@link Filters}, {@link Coalescer}, {@link Outcomes}, {@link
 * RfcTopic}); this package-private class holds the I/O and the timing around them, so the internal
 * package never depends on this one.
 *
 * <p>Sending is bounded three ways: attempts in flight per push-service origin ({@code
 * maxInFlightPerOrigin}); attempts engine-wide ({@code maxInFlight}); and an attempt that has had
 * no answer for longer than its origin's slow threshold (eight times the origin's smoothed latency,
 * between {@link #MIN_SLOW_AFTER} and {@link #MAX_SLOW_AFTER}) gives its origin slot back while it
 * keeps waiting, up to {@code maxSlowPerOrigin} such attempts per origin. So a hanging push
 * resource holds a slot only briefly, and one origin never holds up another. Deliveries waiting for
 * a slot wait in the delivery queue or, once claimed, in their origin's line in memory, never in
 * the HTTP client's connection pool.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class Dispatcher {
  /** The engine's logger: DEBUG one line per attempt, WARN once per message given up. */
  static final Logger LOG = LoggerFactory.getLogger("dev.davpush.server.PushEngine");

  /** A guard against parent cycles in a broken {@link DavResources}. */
  static final int MAX_ANCESTORS = 1024;

  /** How often expired registrations and stale bookkeeping are swept. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  /** The shortest slow threshold of an origin. */
  static final Duration MIN_SLOW_AFTER = Duration.ofMillis(250);

  /** The longest slow threshold of an origin, and the threshold before any answer was seen. */
  static final Duration MAX_SLOW_AFTER = Duration.ofSeconds(2);

  /**
   * The largest payload sent with a sync-token: RFC 8291 with one 4096-octet record leaves 3993
   * octets of plaintext. A longer message is sent without its sync-token (R-WDP-36 is a SHOULD).
   */
  public static final int MAX_PAYLOAD = 3993;

  /** The most deliveries claimed from the queue in one go. */
  private static final int POLL_BATCH = 256;

  /**
   * While deliveries are in flight or wait for their origin, the engine claims more only once this
   * many slots of {@code maxInFlight} are free: a quarter of {@link #POLL_BATCH}, at most an eighth
   * of {@code maxInFlight}, at least one.
   */
  private final int pollLowWater;

  private final DavResources resources;
  private final SubscriptionStore store;
  private final List<PushTransport> transports;
  private final PushMessageEncoder encoder;
  private final RegistrationUrls urls;
  private final Clock clock;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final Delayer delayer;
  private final DeliveryQueue queue;
  private final DispatchSettings settings;
  private final DoubleSupplier jitter;
  private final Coalescer coalescer;
  private final RfcTopic rfcTopic;
  private final String keyPrefix;
  private final AtomicLong keySeq = new AtomicLong();

  private final AtomicInteger pendingChanges = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger parked = new AtomicInteger();
  private final Map<String, Origin> origins = new ConcurrentHashMap<>();
  private final Map<String, Instant> rateLimitedUntil = new ConcurrentHashMap<>();
  private final Map<String, TokenAt> tokens = new ConcurrentHashMap<>();
  private final AtomicLong publishEpoch = new AtomicLong();
  private final Set<Attempt> attempts = ConcurrentHashMap.newKeySet();
  private final Object attachLock = new Object();
  private final Map<String, List<Tracker>> attachments = new HashMap<>();
  private final Set<Publication> active = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable Instant> lastPurge = new AtomicReference<>();
  private final AtomicBoolean pumpRequested = new AtomicBoolean();

  /**
   * Counts what may make work due ({@link #pumpNewWork}); {@link #drainedAt} is its value when a
   * claim last came back short, that is when the queue had nothing more due. Until the count moves
   * on, the pump after each answer does not claim: during a fan-out the engine often has every
   * offered delivery in hand and free slots, and would otherwise send the queue an empty claim per
   * answer (a statement each, with a durable queue). Work that becomes due with time has a wake-up
   * armed for it ({@code nextDue()}), which counts.
   */
  private final AtomicLong workSignals = new AtomicLong();

  private volatile long drainedAt = -1;
  private final java.util.concurrent.locks.ReentrantLock pumpLock =
      new java.util.concurrent.locks.ReentrantLock();
  private final Object wakeLock = new Object();
  private @Nullable Instant wakeAt;
  private final Object idle = new Object();
  private volatile boolean closing;
  private volatile boolean stopped;

  private final LongAdder changesPublished = new LongAdder();
  private final LongAdder changesRefused = new LongAdder();
  private final LongAdder queued = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder gone = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder givenUp = new LongAdder();
  private final LongAdder removedAfterGrace = new LongAdder();
  private final LongAdder handedBack = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();
  private final AtomicLong lastStoreFailureLog = new AtomicLong();
  private final AtomicLong lastRefusalLog = new AtomicLong();
  private final AtomicLong lastDropLog = new AtomicLong();

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
   * @param timer schedules slow thresholds; its tasks are short
   * @param delayer schedules wake-ups for work that becomes due later (retries, coalescing
   *     windows); its tasks are short and hand work to {@code executor}
   * @param queue the delivery queue
   * @param settings limits and policies
   * @param jitter numbers in {@code [0, 1)} for the backoff jitter
   * @param topicKey the key of the RFC 8030 {@code Topic} derivation, ≥ 16 octets
   */
  public Dispatcher(
      DavResources resources,
      SubscriptionStore store,
      List<PushTransport> transports,
      PushMessageEncoder encoder,
      RegistrationUrls urls,
      Clock clock,
      Executor executor,
      ScheduledExecutorService timer,
      Delayer delayer,
      DeliveryQueue queue,
      DispatchSettings settings,
      DoubleSupplier jitter,
      byte[] topicKey) {
    this.resources = requireNonNull(resources, "resources");
    this.store = requireNonNull(store, "store");
    this.transports = List.copyOf(requireNonNull(transports, "transports"));
    this.encoder = requireNonNull(encoder, "encoder");
    this.urls = requireNonNull(urls, "urls");
    this.clock = requireNonNull(clock, "clock");
    this.executor = requireNonNull(executor, "executor");
    this.timer = requireNonNull(timer, "timer");
    this.delayer = requireNonNull(delayer, "delayer");
    this.queue = requireNonNull(queue, "queue");
    this.settings = requireNonNull(settings, "settings");
    this.pollLowWater = Math.max(1, Math.min(POLL_BATCH / 4, settings.maxInFlight() / 8));
    this.jitter = requireNonNull(jitter, "jitter");
    this.coalescer = new Coalescer(settings.coalescingWindow(), settings.maximumCoalescingWindow());
    this.rfcTopic = new RfcTopic(topicKey);
    byte[] prefix = new byte[6];
    new SecureRandom().nextBytes(prefix);
    this.keyPrefix = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(prefix);
  }

  // ---------------------------------------------------------------- publish: fan-out to queue

  /**
   * Accepts a change and returns at once; fan-out runs on the executor.
   *
   * @param change the change
   * @return completes with the counts when every message for this change has an outcome; already
   *     failed with {@link PushOverloadedException} when too many changes wait for fan-out, or with
   *     a {@link PushException} if the executor refuses the work or the DAV server's view or the
   *     store fails during fan-out
   */
  public CompletableFuture<PublishResult> publish(Change change) {
    requireNonNull(change, "change");
    publishEpoch.incrementAndGet(); // sync-tokens read before this change may be stale now
    purgeIfDue();
    if (pendingChanges.incrementAndGet() > settings.maxPendingChanges()) {
      pendingChanges.decrementAndGet();
      return refused(new PushOverloadedException(settings.maxPendingChanges()));
    }
    Publication p = new Publication();
    active.add(p);
    p.future.whenComplete((r, e) -> active.remove(p));
    try {
      executor.execute(
          () -> {
            try {
              fanOut(change, p);
            } finally {
              pendingChanges.decrementAndGet();
              signalIdle();
            }
          });
    } catch (RejectedExecutionException e) {
      pendingChanges.decrementAndGet();
      active.remove(p);
      return refused(
          new PushException(
              "publish: the engine's executor refused the change (overloaded or shut down)", e));
    }
    changesPublished.increment();
    return p.future;
  }

  private CompletableFuture<PublishResult> refused(PushException e) {
    changesRefused.increment();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last > TimeUnit.SECONDS.toNanos(1) && lastRefusalLog.compareAndSet(last, now)) {
      LOG.warn(
          "publish refused ({} changes refused since start): {}",
          changesRefused.sum(),
          e.getMessage());
    }
    return CompletableFuture.failedFuture(e);
  }

  private void fanOut(Change change, Publication p) {
    try {
      Instant now = clock.instant();
      Map<String, Match> matches = matches(change);
      int suppressed = 0;
      Map<GroupKey, Match> groups = new LinkedHashMap<>();
      for (Match m : matches.values()) {
        Registration r = m.registration();
        if (Filters.expired(r, now)
            || Filters.suppressedByDontNotify(
                change.principal(), change.dontNotifyAll(), change.dontNotify(), r, urls)
            || !m.deleted() && !resources.maySubscribe(r.owner(), r.resourcePath())) {
          suppressed++; // R-WDP-33, R-WDP-39, R-WDP-62
          continue;
        }
        // one message per push resource and topic (R-WDP-28, R-WDP-43)
        groups.putIfAbsent(new GroupKey(r.subscription().id(), r.topic()), m);
      }
      p.start(matches.size(), suppressed, groups.size());
      Map<String, Optional<String>> syncTokens = new HashMap<>();
      Urgency urgency = urgency(change.importance());
      int backlog = queue.size();
      List<PendingDelivery> page =
          new ArrayList<>(Math.min(groups.size(), DeliveryQueue.OFFER_PAGE));
      for (Match m : groups.values()) {
        Registration r = m.registration();
        PushMessage message;
        try {
          message = message(change, m, syncTokens);
        } catch (RuntimeException e) {
          LOG.warn("could not build a push message: {}", e.toString());
          p.record(Tracker.Outcome.FAILED);
          continue;
        }
        Instant notBefore =
            coalescer.notBefore(
                r.subscription().id(), r.topic(), holdback(change.importance()), now, backlog);
        PendingDelivery d =
            PendingDelivery.builder()
                .registrationId(r.id())
                .subscriptionId(r.subscription().id())
                .message(message)
                .urgency(urgency)
                .notBefore(notBefore)
                .deadline(now.plus(settings.ttl()))
                .idempotencyKey(newKey())
                .build();
        page.add(d);
        if (page.size() == DeliveryQueue.OFFER_PAGE) {
          enqueueAll(page, p);
          page.clear();
          pumpNewWork(); // the first pages go out while the rest are queued
        }
      }
      enqueueAll(page, p);
      pumpNewWork();
    } catch (RuntimeException e) {
      p.future.completeExceptionally(
          e instanceof PushException ? e : new PushException("publish: fan-out failed: " + e, e));
    }
  }

  private static Coalescer.Holdback holdback(Change.Importance importance) {
    return switch (importance) {
      case HIGH -> Coalescer.Holdback.NONE;
      case LOW -> Coalescer.Holdback.FULL;
      case NORMAL -> Coalescer.Holdback.EDGE;
    };
  }

  private Urgency urgency(Change.Importance importance) {
    return switch (importance) {
      case HIGH -> Urgency.HIGH;
      case LOW -> Urgency.LOW;
      case NORMAL -> settings.urgency();
    };
  }

  /**
   * Queues a page of a fan-out with one {@link DeliveryQueue#offerAll} call; if that fails, offers
   * each again on its own, so each failure is counted and logged per delivery. One the failed call
   * had queued merges if it still waits; if the engine claimed it meanwhile, it is sent twice.
   */
  private void enqueueAll(List<PendingDelivery> page, Tracker t) {
    if (page.isEmpty()) {
      return;
    }
    if (page.size() > 1) {
      synchronized (attachLock) {
        List<PendingDelivery> waiting = null;
        try {
          waiting = queue.offerAll(page);
        } catch (RuntimeException e) {
          // the queue may hold a part of the page, and the engine may have claimed some of it
          // meanwhile: offered again, those are sent twice (at least once)
          LOG.warn(
              "the delivery queue failed to take a page of {} deliveries; offering each again"
                  + " (any it had taken and the engine already claimed may be sent twice): {}",
              page.size(),
              e.toString());
        }
        if (waiting != null && waiting.size() == page.size()) {
          for (PendingDelivery w : waiting) {
            attachments.computeIfAbsent(w.idempotencyKey(), k -> new ArrayList<>(1)).add(t);
          }
          queued.add(page.size());
          return;
        }
      }
    }
    for (PendingDelivery d : page) {
      enqueue(d, t);
    }
  }

  private void enqueue(PendingDelivery d, Tracker t) {
    synchronized (attachLock) {
      try {
        PendingDelivery waiting = queue.offer(d);
        attachments.computeIfAbsent(waiting.idempotencyKey(), k -> new ArrayList<>(1)).add(t);
        queued.increment();
        return;
      } catch (DeliveryQueueFullException e) {
        dropped.increment();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last > TimeUnit.SECONDS.toNanos(1) && lastDropLog.compareAndSet(last, now)) {
          LOG.warn("delivery dropped ({} dropped since start): {}", dropped.sum(), e.getMessage());
        }
      } catch (RuntimeException e) {
        dropped.increment();
        LOG.warn("delivery dropped: the delivery queue failed: {}", e.toString());
      }
    }
    t.record(Tracker.Outcome.FAILED);
  }

  private String newKey() {
    return keyPrefix + Long.toString(keySeq.incrementAndGet(), 36);
  }

  private Map<String, Match> matches(Change change) {
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
          if (Filters.triggers(
              r, change.isContentUpdate(), change.properties().orElse(null), distance)) {
            matches.putIfAbsent(r.id(), new Match(r, res, deleted));
          }
        }
      }
      path = resources.parent(path).orElse(null);
      distance++;
    }
    return matches;
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

  // ---------------------------------------------------------------- key rotation (R-WDP-55)

  /**
   * Queues the key-rotation message for every distinct push resource with a live registration that
   * a transport accepts.
   *
   * @param transport the transport whose key changes
   * @param tracker receives one outcome per message
   * @return how many messages were queued (the tracker expects that many)
   */
  public int queueKeyRotation(PushTransport transport, Tracker tracker) {
    Instant now = clock.instant();
    PushMessage message = PushMessage.keyRotation(WebDavPush.TRANSPORTS);
    Instant deadline = now.plus(settings.keyRotationTimeout());
    int n = 0;
    String after = null;
    while (true) {
      List<Registration> page = store.distinctSubscriptions(after, now, 500);
      for (Registration r : page) {
        after = r.subscription().id();
        if (!transport.accepts(r.subscription())) {
          continue;
        }
        n++;
        enqueue(
            PendingDelivery.builder()
                .registrationId(r.id())
                .subscriptionId(r.subscription().id())
                .message(message)
                .notBefore(now)
                .deadline(deadline)
                .idempotencyKey(newKey())
                .build(),
            tracker);
      }
      if (page.size() < 500) {
        break;
      }
    }
    pumpNewWork();
    return n;
  }

  // ---------------------------------------------------------------- send

  /**
   * Starts the pipeline on its queue: gives the queue the wake-up hook ({@link
   * DeliveryQueue#onWork}), then looks at the queue once on the executor, so that deliveries a
   * durable queue kept from an earlier run (retries, work adopted from a node that died) are sent
   * without waiting for a publish. Called once, when the engine is built.
   */
  public void start() {
    try {
      queue.onWork(this::wake);
    } catch (RuntimeException e) {
      LOG.warn("the delivery queue refused the wake-up hook: {}", e.toString());
    }
    executeQuietly(this::pumpNewWork);
  }

  /** The queue's wake-up hook: a pump on the executor, nothing once stopped. */
  private void wake() {
    if (!stopped) {
      executeQuietly(this::pumpNewWork);
    }
  }

  /**
   * A pump after something that may have made work due: an offer, a wake-up for {@code nextDue()},
   * the queue's hook, the start. Unlike the pump after each answer, it always claims (see {@link
   * #drainedAt}).
   */
  private void pumpNewWork() {
    workSignals.incrementAndGet();
    pump();
  }

  /** Claims due deliveries and starts what the limits allow; safe to call from any thread. */
  public void pump() {
    pumpRequested.set(true);
    while (pumpRequested.get() && pumpLock.tryLock()) {
      try {
        pumpRequested.set(false);
        pumpOnce();
      } catch (RuntimeException e) {
        LOG.warn("the delivery queue failed; retrying in a second: {}", e.toString());
        armWake(clock.instant().plusSeconds(1));
      } finally {
        pumpLock.unlock();
      }
    }
  }

  private void pumpOnce() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    long signals = workSignals.get();
    while (true) {
      int busy = inFlight.get() + parked.get();
      int room = settings.maxInFlight() - busy;
      if (room <= 0 || busy > 0 && room < pollLowWater) {
        // full, or nearly: the next release() pumps again; a wake-up for work already due would
        // only spin. Claiming again only once pollLowWater slots are free keeps a busy engine from
        // claiming one delivery per release (a claim from a durable queue is a statement).
        return;
      }
      int asked = Math.min(room, POLL_BATCH);
      List<PendingDelivery> batch = queue.poll(now, asked);
      for (PendingDelivery d : batch) {
        route(d, now);
      }
      if (batch.size() < asked) {
        // nothing more is due now (a queue that returned fewer for another reason still has
        // them due: nextDue() below arms a wake-up for them); an offer meanwhile pumps again
        drainedAt = signals;
        break;
      }
    }
    queue.nextDue().ifPresent(this::armWake);
  }

  private void armWake(Instant at) {
    Duration delay;
    synchronized (wakeLock) {
      if (stopped || wakeAt != null && !wakeAt.isAfter(at)) {
        return; // an earlier wake-up is armed; it re-arms for the rest
      }
      wakeAt = at;
      delay = Duration.between(clock.instant(), at);
    }
    try {
      delayer.schedule(
          () -> {
            synchronized (wakeLock) {
              if (at.equals(wakeAt)) {
                wakeAt = null;
              }
            }
            executeQuietly(this::pumpNewWork);
          },
          delay.isNegative() ? Duration.ZERO : delay);
    } catch (RuntimeException e) {
      synchronized (wakeLock) {
        wakeAt = null; // shutting down
      }
    }
  }

  private void route(PendingDelivery d, Instant now) {
    Instant limited = rateLimitedUntil.get(d.subscriptionId());
    if (limited != null) {
      if (limited.isAfter(now)) {
        // 429 for this push resource: hold every message to it until Retry-After passed
        reschedule(d.toBuilder().notBefore(limited).build());
        return;
      }
      rateLimitedUntil.remove(d.subscriptionId(), limited);
    }
    Origin o = origins.computeIfAbsent(Origins.origin(d.subscriptionId()), Origin::new);
    boolean start;
    synchronized (o) {
      start = o.active < settings.maxInFlightPerOrigin();
      if (start) {
        o.active++;
        inFlight.incrementAndGet();
      } else {
        o.line.add(d);
        parked.incrementAndGet();
      }
    }
    if (start) {
      executeOrSend(d, o);
    }
  }

  private void executeOrSend(PendingDelivery d, Origin o) {
    try {
      executor.execute(() -> send(d, o));
    } catch (RejectedExecutionException e) {
      send(d, o); // the pool is shutting down: finish here rather than lose it
    }
  }

  private void send(PendingDelivery d, Origin o) {
    Attempt a = new Attempt(d, o);
    attempts.add(a);
    if (stopped) {
      a.finishOnce();
      release(a);
      return;
    }
    Instant now = clock.instant();
    PushDelivery delivery;
    PushTransport transport;
    Registration reg;
    try {
      reg = store.find(d.registrationId()).orElse(null);
    } catch (RuntimeException e) {
      storeFailed(a, now, e);
      return;
    }
    try {
      if (reg == null || reg.isExpired(now)) {
        giveUpUnsent(a, "registration removed or expired");
        return;
      }
      if (!now.isBefore(d.deadline())) {
        giveUpUnsent(a, "TTL over before the attempt");
        return;
      }
      Subscription subscription = reg.subscription();
      transport = transportFor(subscription);
      if (transport == null) {
        giveUpUnsent(
            a, "no transport accepts a subscription of transport " + subscription.transport());
        return;
      }
      delivery =
          PushDelivery.builder(subscription, payload(freshest(d.message(), reg.resourcePath())))
              .ttl(Duration.between(now, d.deadline()))
              .urgency(d.urgency())
              .topic(rfcTopic.of(d.subscriptionId(), d.message()))
              .build();
    } catch (RuntimeException e) {
      giveUpUnsent(a, "could not prepare the message: " + e.getClass().getSimpleName());
      return;
    }
    a.transport = transport.name();
    a.started = System.nanoTime();
    CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    try {
      CompletionStage<DeliveryResult> stage = transport.send(delivery);
      if (stage == null) {
        result.completeExceptionally(new IllegalStateException("the transport returned no stage"));
      } else {
        stage.whenComplete(
            (r, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(r);
              }
            });
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    result.orTimeout(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      a.slowTimer =
          timer.schedule(() -> markSlow(a), o.slowAfter().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // shutting down: the attempt keeps its slot
    }
    result.whenComplete(
        (r, e) -> {
          try {
            executor.execute(() -> outcome(a, r, e));
          } catch (RejectedExecutionException rejected) {
            outcome(a, r, e);
          }
        });
  }

  /**
   * The message with the resource's current sync-token: fan-outs of changes published close
   * together can run in any order on several threads, so the token read at fan-out may be older
   * than one a later change already merged in. Reading it again just before sending gives the
   * newest (R-WDP-36). A token read is shared by the messages of the same path until the next
   * {@link #publish} (a token changes only with a change the server publishes).
   */
  private PushMessage freshest(PushMessage message, String path) {
    if (message.contentUpdate().isEmpty()) {
      return message;
    }
    long epoch = publishEpoch.get();
    TokenAt t = tokens.get(path);
    if (t == null || t.epoch() != epoch) {
      t = new TokenAt(resources.syncToken(path), epoch);
      if (tokens.size() > 10_000) {
        tokens.clear();
      }
      tokens.put(path, t);
    }
    Optional<String> fresh = t.token();
    if (fresh.isEmpty() || fresh.equals(message.contentUpdate().get().syncTokenValue())) {
      return message;
    }
    return message.toBuilder().contentUpdate(new PushMessage.ContentUpdate(fresh.get())).build();
  }

  private record TokenAt(Optional<String> token, long epoch) {}

  private byte[] payload(PushMessage message) {
    byte[] payload = encoder.encode(message);
    if (payload.length > MAX_PAYLOAD && message.contentUpdate().isPresent()) {
      // R-WDP-36 is a SHOULD: a message without its sync-token beats no message at all
      PushMessage shorter =
          message.toBuilder().contentUpdate(new PushMessage.ContentUpdate(null)).build();
      LOG.debug("sync-token dropped: the message would exceed {} octets", MAX_PAYLOAD);
      payload = encoder.encode(shorter);
    }
    return payload;
  }

  private void markSlow(Attempt a) {
    Origin o = a.origin;
    synchronized (o) {
      if (a.done || a.slow || o.slow >= settings.maxSlowPerOrigin()) {
        return;
      }
      a.slow = true;
      o.active--;
      o.slow++;
    }
    startParked(o);
  }

  private void outcome(Attempt a, @Nullable DeliveryResult result, @Nullable Throwable error) {
    if (!a.finishOnce()) {
      return; // abandoned at shutdown
    }
    Instant now = clock.instant();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - a.started);
    if (result != null) {
      a.origin.observe(millis);
    }
    Outcomes.Decision decision;
    try {
      decision =
          Outcomes.decide(
              result, error, a.delivery, now, settings.retryPolicy(), jitter.getAsDouble());
    } catch (RuntimeException e) {
      decision = new Outcomes.Decision(Outcomes.Kind.GIVE_UP, null, e.toString(), true, false);
    }
    Outcomes.Decision dec = decision;
    LOG.debug(
        "delivery transport={} host={} status={} attempt={} latency={}ms",
        a.transport,
        a.origin.host,
        dec.reason(),
        a.delivery.attempt(),
        millis);
    try {
      apply(a, dec, now);
    } finally {
      release(a);
    }
  }

  private void apply(Attempt a, Outcomes.Decision dec, Instant now) {
    PendingDelivery d = a.delivery;
    try {
      switch (dec.kind()) {
        case DELIVERED -> {
          delivered.increment();
          safely(() -> store.recordSuccess(d.subscriptionId(), now));
          finish(d, Tracker.Outcome.DELIVERED);
        }
        case GONE -> {
          gone.increment();
          safely(() -> store.removeBySubscription(d.subscriptionId())); // R-WDP-45
          finish(d, Tracker.Outcome.GONE);
        }
        case RETRY -> {
          if (dec.failure() && removedAfterGrace(d, now)) {
            finish(d, Tracker.Outcome.FAILED);
            return;
          }
          if (dec.rateLimited()) {
            rateLimitedUntil.merge(
                d.subscriptionId(), requireNonNull(dec.retryAt()), (x, y) -> x.isAfter(y) ? x : y);
          }
          retries.increment();
          reschedule(d.next(requireNonNull(dec.retryAt())));
        }
        case GIVE_UP -> {
          givenUp.increment();
          LOG.warn(
              "delivery given up: transport={} host={} attempts={} reason={}",
              a.transport,
              a.origin.host,
              d.attempt(),
              dec.reason());
          if (dec.failure()) {
            removedAfterGrace(d, now);
          }
          finish(d, Tracker.Outcome.FAILED);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("handling a delivery outcome failed: {}", e.toString());
      finish(d, Tracker.Outcome.FAILED);
    }
  }

  // Given up without an attempt (no registration, no transport, TTL over): no slot was used yet.
  private void giveUpUnsent(Attempt a, String reason) {
    a.finishOnce();
    givenUp.increment();
    LOG.warn(
        "delivery given up: host={} attempts={} reason={}",
        a.origin.host,
        a.delivery.attempt() - 1,
        reason);
    finish(a.delivery, Tracker.Outcome.FAILED);
    release(a);
  }

  // The store failed while the delivery was prepared (a database away): nothing was sent, so the
  // delivery waits again, same attempt, after the retry policy's initial backoff; given up only
  // once its TTL is over. No slot was used yet.
  private void storeFailed(Attempt a, Instant now, RuntimeException e) {
    PendingDelivery d = a.delivery;
    storeFailures.increment();
    Instant at = now.plus(settings.retryPolicy().initialBackoff());
    if (!at.isBefore(d.deadline())) {
      giveUpUnsent(
          a, "the subscription store failed and the TTL is over: " + e.getClass().getSimpleName());
      return;
    }
    a.finishOnce();
    long t = System.nanoTime();
    long last = lastStoreFailureLog.get();
    if (t - last > TimeUnit.SECONDS.toNanos(1) && lastStoreFailureLog.compareAndSet(last, t)) {
      LOG.warn(
          "the subscription store failed while a delivery to host {} was prepared; it waits"
              + " again, next try at {} ({} such failures since start): {}",
          a.origin.host,
          at,
          storeFailures.sum(),
          e.toString());
    }
    try {
      reschedule(d.toBuilder().notBefore(at).build());
    } finally {
      release(a);
    }
  }

  private boolean removedAfterGrace(PendingDelivery d, Instant now) {
    try {
      Instant since = store.recordFailure(d.subscriptionId(), now);
      if (Duration.between(since, now).compareTo(settings.gracePeriod()) > 0) {
        int n = store.removeBySubscription(d.subscriptionId());
        removedAfterGrace.add(n);
        LOG.warn(
            "removed {} registration(s) of a push resource on host {}: failing since {} without a"
                + " success (grace period {})",
            n,
            Origins.host(d.subscriptionId()),
            since,
            settings.gracePeriod());
        return true;
      }
    } catch (RuntimeException e) {
      LOG.warn("recording a delivery failure failed: {}", e.toString());
    }
    return false;
  }

  private void reschedule(PendingDelivery next) {
    try {
      PendingDelivery waiting;
      synchronized (attachLock) {
        waiting = queue.reschedule(next);
        if (!waiting.idempotencyKey().equals(next.idempotencyKey())) {
          List<Tracker> moved = attachments.remove(next.idempotencyKey());
          if (moved != null) {
            attachments
                .computeIfAbsent(waiting.idempotencyKey(), k -> new ArrayList<>())
                .addAll(moved);
          }
        }
      }
      armWake(waiting.notBefore());
    } catch (RuntimeException e) {
      LOG.warn("a retry could not be queued; the message is given up: {}", e.toString());
      givenUp.increment();
      finish(next, Tracker.Outcome.FAILED);
    }
  }

  private void finish(PendingDelivery d, Tracker.Outcome outcome) {
    safely(() -> queue.acknowledge(d));
    List<Tracker> ts;
    synchronized (attachLock) {
      ts = attachments.remove(d.idempotencyKey());
    }
    if (ts != null) {
      for (Tracker t : ts) {
        t.record(outcome);
      }
    }
  }

  private void release(Attempt a) {
    attempts.remove(a);
    if (a.slowTimer != null) {
      a.slowTimer.cancel(false);
    }
    Origin o = a.origin;
    synchronized (o) {
      if (a.slow) {
        o.slow--;
      } else {
        o.active--;
      }
    }
    inFlight.decrementAndGet();
    startParked(o);
    signalIdle();
    if (workSignals.get() != drainedAt) {
      pump(); // a claim may find work; none can since the queue was last found drained
    }
  }

  private void startParked(Origin o) {
    while (!stopped) {
      PendingDelivery next;
      synchronized (o) {
        if (o.active >= settings.maxInFlightPerOrigin() || o.line.isEmpty()) {
          return;
        }
        next = o.line.poll();
        o.active++;
        inFlight.incrementAndGet();
      }
      parked.decrementAndGet();
      executeOrSend(next, o);
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

  // ---------------------------------------------------------------- housekeeping and shutdown

  /**
   * Sweeps expired registrations and stale bookkeeping on the executor, at most once per {@link
   * #PURGE_INTERVAL}; a no-op while closing or when the executor refuses.
   */
  public void purgeIfDue() {
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
    executeQuietly(
        () -> {
          try {
            int n = store.removeExpired(now);
            LOG.debug("removed {} expired registration(s)", n);
          } catch (RuntimeException e) {
            LOG.warn("removing expired registrations failed: {}", e.toString());
          }
          coalescer.forgetBefore(now.minus(settings.maximumCoalescingWindow()));
          rateLimitedUntil.values().removeIf(until -> until.isBefore(now));
        });
  }

  /**
   * The counters and the current load.
   *
   * @return a snapshot
   */
  public EngineStatistics statistics() {
    int waiting;
    try {
      waiting = queue.size();
    } catch (RuntimeException e) {
      waiting = -1;
    }
    return new EngineStatistics(
        changesPublished.sum(),
        changesRefused.sum(),
        queued.sum(),
        dropped.sum(),
        delivered.sum(),
        gone.sum(),
        retries.sum(),
        givenUp.sum(),
        removedAfterGrace.sum(),
        handedBack.sum(),
        storeFailures.sum(),
        inFlight.get(),
        waiting);
  }

  /**
   * Stops accepting changes, keeps sending what is due for at most {@code timeout}, then stops and
   * hands back every message without an outcome: those waiting in a queue that is not durable,
   * those in line for a busy origin, and those still waiting for an answer (a push service may
   * still accept them: at least once). Retries scheduled beyond the moment the engine runs out of
   * due work are not waited for. Every stage {@link #publish} returned completes.
   *
   * @param timeout how long to keep sending
   * @return the messages without an outcome
   */
  public List<PendingDelivery> shutdown(Duration timeout) {
    closing = true;
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    synchronized (idle) {
      while (!drained()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          idle.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    stopped = true;
    List<PendingDelivery> back = new ArrayList<>();
    for (Origin o : origins.values()) {
      synchronized (o) {
        back.addAll(o.line);
        parked.addAndGet(-o.line.size());
        o.line.clear();
      }
    }
    for (Attempt a : List.copyOf(attempts)) {
      if (a.finishOnce()) {
        back.add(a.delivery);
        inFlight.decrementAndGet();
      }
    }
    if (!queue.durable()) {
      try {
        back.addAll(queue.drain());
      } catch (RuntimeException e) {
        LOG.warn("draining the delivery queue failed: {}", e.toString());
      }
    }
    for (PendingDelivery d : back) {
      List<Tracker> ts;
      synchronized (attachLock) {
        ts = attachments.remove(d.idempotencyKey());
      }
      if (ts != null) {
        for (Tracker t : ts) {
          t.record(Tracker.Outcome.UNDELIVERED);
        }
      }
    }
    handedBack.add(back.size());
    // trackers of messages left in a durable queue, or of fan-outs cut short
    List<Tracker> rest = new ArrayList<>();
    synchronized (attachLock) {
      for (List<Tracker> ts : attachments.values()) {
        rest.addAll(ts);
      }
      attachments.clear();
    }
    for (Tracker t : rest) {
      t.record(Tracker.Outcome.UNDELIVERED);
    }
    for (Publication p : List.copyOf(active)) {
      p.future.completeExceptionally(
          new PushException("publish: the engine was closed before this change was fanned out"));
    }
    if (!back.isEmpty()) {
      LOG.warn(
          "closed with {} message(s) without an outcome; handed back{}",
          back.size(),
          queue.durable() ? " (waiting ones stay in the durable queue)" : "");
    }
    return List.copyOf(back);
  }

  /**
   * Whether nothing is left to do now: no fan-out running, nothing in flight or in line, and
   * nothing due in the queue.
   */
  private boolean drained() {
    if (pendingChanges.get() > 0 || inFlight.get() > 0 || parked.get() > 0) {
      return false;
    }
    try {
      Optional<Instant> due = queue.nextDue();
      return due.isEmpty() || due.get().isAfter(clock.instant());
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void signalIdle() {
    if (closing) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  private void executeQuietly(Runnable r) {
    try {
      executor.execute(r);
    } catch (RejectedExecutionException e) {
      // shutting down or overloaded: the work is retried by the next trigger
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("store or queue call failed: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------- helpers and small types

  private record Match(Registration registration, DavResource resource, boolean deleted) {}

  private record GroupKey(String subscriptionId, Topic topic) {}

  /** Per push-service origin: attempts in flight, slow ones, and the line of those waiting. */
  static final class Origin {
    final String host;
    int active;
    int slow;
    final ArrayDeque<PendingDelivery> line = new ArrayDeque<>();
    private volatile double latencyMillis = -1;

    Origin(String origin) {
      int s = origin.indexOf("://");
      int c = origin.lastIndexOf(':');
      this.host = s < 0 ? origin : origin.substring(s + 3, c > s + 3 ? c : origin.length());
    }

    void observe(long millis) {
      double l = latencyMillis;
      latencyMillis = l < 0 ? millis : 0.8 * l + 0.2 * millis;
    }

    Duration slowAfter() {
      double l = latencyMillis;
      if (l < 0) {
        return MAX_SLOW_AFTER;
      }
      long ms =
          (long) Math.min(MAX_SLOW_AFTER.toMillis(), Math.max(MIN_SLOW_AFTER.toMillis(), 8 * l));
      return Duration.ofMillis(ms);
    }
  }

  /** One attempt in flight. */
  private static final class Attempt {
    final PendingDelivery delivery;
    final Origin origin;
    final AtomicBoolean finished = new AtomicBoolean();
    volatile boolean done;
    boolean slow; // guarded by origin
    String transport = "-";
    long started = System.nanoTime();
    volatile @Nullable ScheduledFuture<?> slowTimer;

    Attempt(PendingDelivery delivery, Origin origin) {
      this.delivery = delivery;
      this.origin = origin;
    }

    boolean finishOnce() {
      if (finished.compareAndSet(false, true)) {
        synchronized (origin) {
          done = true;
        }
        return true;
      }
      return false;
    }
  }

  /** Receives the outcome of each message it is attached to. */
  public interface Tracker {
    /** A message's final outcome as a tracker sees it. */
    enum Outcome {
      /** Accepted by the push service. */
      DELIVERED,
      /** 404/410. */
      GONE,
      /** Rejected, given up, or dropped. */
      FAILED,
      /** Handed back at shutdown. */
      UNDELIVERED
    }

    /**
     * Records an outcome.
     *
     * @param outcome the outcome
     */
    void record(Outcome outcome);
  }

  /** The running tally of one publish. */
  private static final class Publication implements Tracker {
    final CompletableFuture<PublishResult> future = new CompletableFuture<>();
    private volatile int matched;
    private volatile int suppressed;
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger undelivered = new AtomicInteger();

    // called by the fan-out before it queues the first message
    void start(int matched, int suppressed, int deliveries) {
      this.matched = matched;
      this.suppressed = suppressed;
      remaining.set(deliveries);
      if (deliveries == 0) {
        finish();
      }
    }

    @Override
    public void record(Outcome outcome) {
      switch (outcome) {
        case DELIVERED -> delivered.incrementAndGet();
        case GONE -> gone.incrementAndGet();
        case FAILED -> failed.incrementAndGet();
        case UNDELIVERED -> undelivered.incrementAndGet();
      }
      if (remaining.decrementAndGet() == 0) {
        finish();
      }
    }

    private void finish() {
      future.complete(
          new PublishResult(
              matched, suppressed, delivered.get(), gone.get(), failed.get(), undelivered.get()));
    }
  }
}
