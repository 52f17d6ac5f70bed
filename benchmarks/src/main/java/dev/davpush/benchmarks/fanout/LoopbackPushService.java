package dev.davpush.benchmarks.fanout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.xml.PushMessageReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A push service on {@code 127.0.0.1} (JDK {@code com.sun.net.httpserver}, HTTP/1.1, plain http, a
 * fixed handler pool) that only answers: each push resource {@code /push/<phase>/<i>} behaves as
 * its {@link Behaviour} says and counts what it receives. Phases keep the figures of one library's
 * run apart from another's on the same server.
 *
 * <p>It decrypts only in phases given the user agents' keys (the coalescing scenario); otherwise it
 * reads the body and counts. A hanging push resource holds the exchange without answering until
 * {@link #close()}; it takes no handler thread while it hangs.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class LoopbackPushService implements AutoCloseable {
  /** What a push resource answers. */
  enum Behaviour {
    /** {@code 201 Created}. */
    CREATED,
    /** Reads the request, never answers. */
    HANG,
    /** {@code 503 Service Unavailable}, no {@code Retry-After}. */
    UNAVAILABLE
  }

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final Queue<HttpExchange> held = new ConcurrentLinkedQueue<>();
  private final AtomicLong arrivalSequence = new AtomicLong();

  LoopbackPushService(int handlerThreads) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    AtomicInteger n = new AtomicInteger();
    handlers =
        Executors.newFixedThreadPool(
            handlerThreads,
            r -> {
              Thread t = new Thread(r, "loopback-push-service-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(handlers);
    server.createContext("/push/", this::handle);
    server.start();
  }

  /**
   * A new set of push resources {@code 0..n-1}.
   *
   * @param name the phase's URL segment, unique per server
   * @param behaviour what push resource {@code i} answers
   * @param keys the user agents' keys to decrypt with, or null to count only
   */
  Phase newPhase(
      String name, int n, IntFunction<Behaviour> behaviour, UserAgentKeyPair @Nullable [] keys) {
    Phase p = new Phase(name, n, behaviour, keys);
    if (phases.putIfAbsent(name, p) != null) {
      throw new IllegalArgumentException("phase " + name + " exists");
    }
    return p;
  }

  /** How many exchanges hang, unanswered, right now. */
  int held() {
    return held.size();
  }

  /**
   * Ends every exchange held so far without an answer (the client sees its connection closed), as a
   * push service that gives up on its hanging requests would.
   *
   * @return how many exchanges were ended
   */
  int releaseHeld() {
    int n = 0;
    for (HttpExchange ex; (ex = held.poll()) != null; n++) {
      ex.close();
    }
    return n;
  }

  private void handle(HttpExchange ex) throws IOException {
    long arrival = System.nanoTime();
    long sequence = arrivalSequence.incrementAndGet();
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    String path = ex.getRequestURI().getRawPath(); // /push/<phase>/<i>
    int slash = path.indexOf('/', 6);
    Phase p = slash < 0 ? null : phases.get(path.substring(6, slash));
    int i = -1;
    if (p != null) {
      try {
        i = Integer.parseInt(path.substring(slash + 1));
      } catch (NumberFormatException e) {
        i = -1;
      }
    }
    if (p == null || i < 0 || i >= p.n || !"POST".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    p.requests.incrementAndGet(i);
    p.firstArrival.compareAndSet(i, 0, arrival);
    switch (p.behaviour[i]) {
      case HANG -> {
        p.hung.incrementAndGet();
        held.add(ex);
      }
      case UNAVAILABLE -> {
        p.unavailable.incrementAndGet();
        ex.sendResponseHeaders(503, -1);
        ex.close();
      }
      case CREATED -> {
        if (p.keys != null) {
          p.record(p.keys, i, sequence, body);
        }
        ex.getResponseHeaders().set("Location", "/message/" + p.name + "/" + i);
        ex.sendResponseHeaders(201, -1);
        long answered = System.nanoTime();
        ex.close();
        p.created(i, answered);
      }
    }
  }

  /** Closes every held exchange, then stops the server. */
  @Override
  public void close() {
    releaseHeld();
    server.stop(0);
    handlers.shutdownNow();
  }

  /**
   * One run's push resources and what they received.
   *
   * <p>Thread safety: safe for concurrent use.
   */
  final class Phase {
    final String name;
    final int n;
    final Behaviour[] behaviour;
    final UserAgentKeyPair @Nullable [] keys;

    /** Requests per push resource, answered or not. */
    final AtomicIntegerArray requests;

    /** {@code 201}s per push resource. */
    final AtomicIntegerArray created;

    /** {@link System#nanoTime()} when the first request for a push resource arrived; 0 if none. */
    final AtomicLongArray firstArrival;

    /** {@link System#nanoTime()} of the first {@code 201} per push resource; 0 if none. */
    final AtomicLongArray firstCreated;

    final AtomicInteger hung = new AtomicInteger();
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicLong lastCreatedNanos = new AtomicLong();
    final int healthy;
    private final CountDownLatch allHealthyCreated;
    private final Semaphore createdPermits = new Semaphore(0);

    /** Coalescing phases: per push resource, decrypted sync-tokens with arrival sequence. */
    private final List<List<Received>> received;

    Phase(
        String name,
        int n,
        IntFunction<Behaviour> behaviourOf,
        UserAgentKeyPair @Nullable [] keys) {
      this.name = name;
      this.n = n;
      this.behaviour = new Behaviour[n];
      int h = 0;
      for (int i = 0; i < n; i++) {
        behaviour[i] = behaviourOf.apply(i);
        if (behaviour[i] == Behaviour.CREATED) {
          h++;
        }
      }
      this.healthy = h;
      this.keys = keys;
      this.requests = new AtomicIntegerArray(n);
      this.created = new AtomicIntegerArray(n);
      this.firstArrival = new AtomicLongArray(n);
      this.firstCreated = new AtomicLongArray(n);
      this.allHealthyCreated = new CountDownLatch(h);
      this.received = new ArrayList<>(keys == null ? 0 : n);
      if (keys != null) {
        for (int i = 0; i < n; i++) {
          received.add(new ArrayList<>());
        }
      }
    }

    /** The URL of push resource {@code i}. */
    PushResource pushResource(int i) {
      return PushResource.parse(url(i));
    }

    String url(int i) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/push/" + name + "/" + i;
    }

    private void created(int i, long answered) {
      created.incrementAndGet(i);
      lastCreatedNanos.accumulateAndGet(answered, Math::max);
      if (firstCreated.compareAndSet(i, 0, answered)) {
        allHealthyCreated.countDown();
      }
      createdPermits.release();
    }

    private void record(UserAgentKeyPair[] keys, int i, long sequence, byte[] body) {
      String token;
      try {
        PushMessage m = PushMessageReader.read(keys[i].decrypt(body));
        token = m.contentUpdate().flatMap(PushMessage.ContentUpdate::syncTokenValue).orElse("");
      } catch (RuntimeException e) {
        token = "undecryptable: " + e.getClass().getSimpleName();
      }
      List<Received> list = received.get(i);
      synchronized (list) {
        list.add(new Received(sequence, token));
      }
    }

    /** Waits until every healthy push resource got at least one {@code 201}. */
    boolean awaitAllHealthy(long deadlineNanos) throws InterruptedException {
      return allHealthyCreated.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Waits for {@code count} more {@code 201}s (of any push resource). */
    boolean awaitCreated(int count, long deadlineNanos) throws InterruptedException {
      return createdPermits.tryAcquire(
          count, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Healthy push resources with at least one {@code 201}. */
    int healthyDelivered() {
      int d = 0;
      for (int i = 0; i < n; i++) {
        if (behaviour[i] == Behaviour.CREATED && created.get(i) > 0) {
          d++;
        }
      }
      return d;
    }

    /** The decrypted messages of push resource {@code i}, in arrival order. */
    List<Received> received(int i) {
      List<Received> list = received.get(i);
      synchronized (list) {
        List<Received> copy = new ArrayList<>(list);
        copy.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return copy;
      }
    }
  }

  /** A decrypted message: arrival sequence (server-wide) and its sync-token. */
  record Received(long sequence, String syncToken) {}
}
