package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One push subscription of an {@link EmbeddedPushService} (RFC 8030 §4): a push resource URL, the
 * user agent's key material (RFC 8291 §3.1–3.2), an optional VAPID restriction (RFC 8292 §4), and
 * everything the service received on that push resource.
 *
 * <p>Received requests queue up in arrival order; {@link #awaitMessage(Duration)} takes them one by
 * one, {@link #received()} shows them all. The test can script the service's next answers with
 * {@link #answerWith(int, String)} and end the subscription with {@link #unsubscribe()}.
 *
 * <p>{@link #toString()} shows the push resource's origin only (the path is a capability URL).
 *
 * <p>Thread safety: thread-safe; the service's request threads record into it while the test thread
 * reads and scripts.
 */
public final class PushServiceSubscription {
  /**
   * The status answered to every request after {@link #unsubscribe()}: {@code 410 Gone}, as
   * deployed push services answer for unsubscribed endpoints (digest ambiguity A-16).
   */
  public static final int GONE_STATUS = 410;

  private final PushResource pushResource;
  private final UserAgentKeyPair keys;
  private final @Nullable P256PublicKey vapidKey;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<ReceivedPush> all = new ArrayList<>();
  private final ArrayDeque<ScriptedAnswer> script = new ArrayDeque<>();
  private int delivered;
  private boolean unsubscribed;

  PushServiceSubscription(
      PushResource pushResource, UserAgentKeyPair keys, @Nullable P256PublicKey vapidKey) {
    this.pushResource = requireNonNull(pushResource, "pushResource");
    this.keys = requireNonNull(keys, "keys");
    this.vapidKey = vapidKey;
  }

  /**
   * The push resource: {@code http://127.0.0.1:<port>/push/<id>} where {@code <id>} is 22 base64url
   * characters (128 random bits, RFC 8030 §8.3). A capability URL: keep it out of logs.
   *
   * @return the push resource
   */
  public PushResource pushResource() {
    return pushResource;
  }

  /**
   * The user agent's key material: P-256 ECDH key pair and 16-byte auth secret, generated fresh for
   * this subscription. The service decrypts every push with it.
   *
   * @return the key pair
   */
  public UserAgentKeyPair keys() {
    return keys;
  }

  /**
   * The VAPID public key this subscription is restricted to (RFC 8292 §4), if any.
   *
   * @return the key, or empty for an unrestricted subscription
   */
  public Optional<P256PublicKey> vapidKey() {
    return Optional.ofNullable(vapidKey);
  }

  /**
   * The subscription as a WebDAV-Push client registers it ({@code web-push-subscription}): push
   * resource, {@code aes128gcm}, the user agent's public key and auth secret.
   *
   * @return the subscription value
   */
  public WebPushSubscription toWebPushSubscription() {
    return WebPushSubscription.of(pushResource, keys.publicKey(), keys.authSecret());
  }

  /**
   * Waits for the next received request that no earlier call returned, accepted or not. Blocks on a
   * condition (no polling) until one arrives or the timeout passes.
   *
   * @param timeout how long to wait; zero or negative does not wait
   * @return the next request in arrival order, or empty if none arrived in time
   * @throws PushServiceException if the waiting thread is interrupted (the interrupt flag is
   *     restored)
   */
  public Optional<ReceivedPush> awaitMessage(Duration timeout) {
    requireNonNull(timeout, "timeout");
    long remaining = toNanos(timeout);
    lock.lock();
    try {
      while (delivered >= all.size()) {
        if (remaining <= 0) {
          return Optional.empty();
        }
        remaining = arrived.awaitNanos(remaining);
      }
      return Optional.of(all.get(delivered++));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PushServiceException("interrupted while waiting for a push message", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the quiet period and reports whether no request arrived during it. Requests that
   * arrived before the call do not count, and nothing is taken from the {@link #awaitMessage}
   * queue. Returns {@code false} as soon as a request arrives.
   *
   * @param quiet how long nothing must arrive; zero or negative checks nothing and returns true
   * @return true if no request arrived within {@code quiet}
   * @throws PushServiceException if the waiting thread is interrupted (the interrupt flag is
   *     restored)
   */
  public boolean expectNothing(Duration quiet) {
    requireNonNull(quiet, "quiet");
    long remaining = toNanos(quiet);
    lock.lock();
    try {
      int before = all.size();
      while (all.size() == before) {
        if (remaining <= 0) {
          return true;
        }
        remaining = arrived.awaitNanos(remaining);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PushServiceException("interrupted while waiting for quiet", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Every request received so far, accepted or not, in arrival order.
   *
   * @return an immutable snapshot
   */
  public List<ReceivedPush> received() {
    lock.lock();
    try {
      return List.copyOf(all);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Scripts the answer to the next {@code POST} on this push resource; equivalent to {@code
   * answerWith(status, null)}.
   *
   * @param status an HTTP status, 200–599 (typically 404, 410, 413, 429 or 5xx)
   * @throws IllegalArgumentException if the status is outside 200–599
   */
  public void answerWith(int status) {
    answerWith(status, null);
  }

  /**
   * Scripts the answer to the next {@code POST} on this push resource. Each call queues one answer;
   * each {@code POST} takes one, first in first out; when none is queued the service answers by the
   * rules ({@code 201} with a {@code Location}, or the status of a violation). A scripted answer
   * overrides the violation status, but the request is still fully validated and its violations
   * recorded. After {@link #unsubscribe()} every request gets {@link #GONE_STATUS} and scripted
   * answers are not used.
   *
   * <p>A scripted {@code 201} or {@code 202} carries a {@code Location} of a push message resource,
   * as an accepted push does (RFC 8030 §5).
   *
   * @param status an HTTP status, 200–599 (typically 404, 410, 413, 429 or 5xx)
   * @param retryAfter the {@code Retry-After} header value to send (delay seconds such as {@code
   *     "5"} or an IMF-fixdate), or null for none; sent as given, so malformed values can be tested
   * @throws IllegalArgumentException if the status is outside 200–599, or retryAfter is blank or
   *     holds a control character
   */
  public void answerWith(int status, @Nullable String retryAfter) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException(
          "answerWith: expected a status between 200 and 599, got " + status);
    }
    if (retryAfter != null) {
      if (retryAfter.isBlank()) {
        throw new IllegalArgumentException("answerWith: retryAfter must not be blank");
      }
      for (int i = 0; i < retryAfter.length(); i++) {
        char c = retryAfter.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException(
              "answerWith: retryAfter holds a control character at index " + i);
        }
      }
    }
    lock.lock();
    try {
      script.addLast(new ScriptedAnswer(status, retryAfter));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the scripted answers no {@code POST} has taken yet, so that later requests are answered
   * by the rules again.
   *
   * @return how many answers were dropped, ≥ 0
   */
  public int clearAnswers() {
    lock.lock();
    try {
      int n = script.size();
      script.clear();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the subscription as a user agent unsubscribing would: from now on every request to the
   * push resource is still recorded and validated, and answered {@link #GONE_STATUS 410 Gone}
   * (deployed push services answer 410 for unsubscribed endpoints; RFC 8030 §7.3 names 404 for
   * expired ones — script {@code answerWith(404)} to test that). Idempotent.
   */
  public void unsubscribe() {
    lock.lock();
    try {
      unsubscribed = true;
      script.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@link #unsubscribe()} was called.
   *
   * @return true once unsubscribed
   */
  public boolean isUnsubscribed() {
    lock.lock();
    try {
      return unsubscribed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Decides the answer override for the next POST: {@code 410} when unsubscribed, else the next
   * scripted answer (consumed), else null.
   */
  @Nullable ScriptedAnswer takeOverride() {
    lock.lock();
    try {
      if (unsubscribed) {
        return new ScriptedAnswer(GONE_STATUS, null);
      }
      return script.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  void record(ReceivedPush push) {
    lock.lock();
    try {
      all.add(push);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static long toNanos(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The push resource's origin with the path redacted, and whether it is restricted. */
  @Override
  public String toString() {
    return "PushServiceSubscription["
        + pushResource
        + ", restricted="
        + (vapidKey != null)
        + ", unsubscribed="
        + isUnsubscribed()
        + "]";
  }

  /** A scripted status and optional {@code Retry-After}. */
  record ScriptedAnswer(int status, @Nullable String retryAfter) {}
}
