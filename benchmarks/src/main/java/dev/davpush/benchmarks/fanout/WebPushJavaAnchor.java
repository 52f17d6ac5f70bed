package dev.davpush.benchmarks.fanout;

import dev.davpush.webpush.crypto.VapidKeyPair;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.PushService;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The anchor: webpush-java 5.1.2's {@link PushService} sending the same payload to the same push
 * resources from a few submitting threads, each waiting for its answer before the next message (the
 * way its {@code send} is meant to be used; {@code sendAsync} starts a new HttpAsyncClient per
 * message either way).
 *
 * <p>webpush-java has no timeout of its own: {@code send} waits for ever on a push resource that
 * never answers. Each wait here is bounded by {@code perRequest} and then cancelled (which closes
 * that message's client), and no new message is started after the deadline.
 *
 * <p>Thread safety: {@link #sendAll} may be called from one thread at a time.
 */
final class WebPushJavaAnchor {
  /** One subscription as webpush-java takes it: endpoint and base64url keys. */
  record Target(String endpoint, String p256dh, String auth) {}

  /** What happened; {@code statuses} counts answers by HTTP status. */
  record Outcome(
      int started,
      int timedOut,
      int errors,
      Map<Integer, Integer> statuses,
      boolean finished,
      long startNanos,
      long elapsedNanos) {}

  private final PushService service;

  /**
   * {@code sendAsync}, {@code HttpResponse.getStatusLine} and {@code StatusLine.getStatusCode},
   * looked up reflectively: HttpClient 4 and jose4j, in its signatures, are runtime-only
   * dependencies of webpush-java.
   */
  private final Method sendAsync;

  private final Method statusLine;
  private final Method statusCode;

  WebPushJavaAnchor(VapidKeyPair vapid) throws Exception {
    // webpush-java needs a globally registered BouncyCastle provider; only the anchor adds it
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    service =
        new PushService(
            vapid.publicKey().toBase64Url(), vapid.privateKeyBase64Url(), EngineSetup.SUBJECT);
    sendAsync = PushService.class.getMethod("sendAsync", Notification.class, Encoding.class);
    statusLine = Class.forName("org.apache.http.HttpResponse").getMethod("getStatusLine");
    statusCode = Class.forName("org.apache.http.StatusLine").getMethod("getStatusCode");
  }

  private Future<?> sendAsync(Notification n) throws Exception {
    try {
      return (Future<?>) sendAsync.invoke(service, n, Encoding.AES128GCM);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  private int status(Object response) throws ReflectiveOperationException {
    return (Integer) statusCode.invoke(statusLine.invoke(response));
  }

  /**
   * Sends one message on the calling thread and waits for the answer.
   *
   * @return the HTTP status
   */
  int sendOne(Target target, byte[] payload, Duration perRequest) throws Exception {
    Future<?> f =
        sendAsync(new Notification(target.endpoint(), target.p256dh(), target.auth(), payload));
    try {
      return status(f.get(perRequest.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      f.cancel(true);
      throw e;
    }
  }

  Outcome sendAll(
      List<Target> targets, byte[] payload, int threads, Duration perRequest, long deadlineNanos)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < targets.size(); ) {
                  if (System.nanoTime() - deadlineNanos > 0) {
                    return;
                  }
                  Target target = targets.get(i);
                  started.incrementAndGet();
                  Future<?> f = null;
                  try {
                    Notification n =
                        new Notification(
                            target.endpoint(), target.p256dh(), target.auth(), payload);
                    f = sendAsync(n);
                    long wait = Math.min(perRequest.toNanos(), deadlineNanos - System.nanoTime());
                    Object r = f.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
                    statuses.computeIfAbsent(status(r), k -> new AtomicInteger()).incrementAndGet();
                  } catch (TimeoutException e) {
                    timedOut.incrementAndGet();
                    if (f != null) {
                      f.cancel(true);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "webpush-java-submitter-" + (t + 1));
      workers[t].setDaemon(true);
      workers[t].start();
    }
    boolean finished = true;
    for (Thread w : workers) {
      w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) + 1000));
      if (w.isAlive()) {
        finished = false;
        w.interrupt();
      }
    }
    finished &= started.get() == targets.size();
    Map<Integer, Integer> s = new TreeMap<>();
    statuses.forEach((k, v) -> s.put(k, v.get()));
    return new Outcome(
        started.get(), timedOut.get(), errors.get(), s, finished, start, System.nanoTime() - start);
  }
}
