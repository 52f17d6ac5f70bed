package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Watches one collection: registers a given push subscription on it, keeps the registration
 * refreshed, turns each delivered message body into a {@link PushEvent} for a callback, and
 * unregisters on {@link #close()}. The reusable part of a "watch" command: whatever receives the
 * push service's deliveries calls {@link #deliver(byte[])}.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} is idempotent.
 */
public final class PushWatcher implements AutoCloseable {
  /** How long {@link #close()} waits for the {@code DELETE} of the registration: 10 seconds. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final DavPushClient client;
  private final Consumer<PushEvent> onEvent;
  private final Consumer<Throwable> onError;
  private final RefreshHandle refresh;
  private volatile PushReceiver receiver;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PushWatcher(
      DavPushClient client,
      UserAgentKeyPair keys,
      PushRegistration registration,
      Consumer<PushEvent> onEvent,
      Consumer<Throwable> onError) {
    this.client = client;
    this.onEvent = onEvent;
    this.onError = onError;
    this.receiver = PushReceiver.of(keys, List.of(registration));
    this.refresh =
        client.scheduleRefresh(
            registration,
            new RefreshListener() {
              @Override
              public void refreshed(RegistrationResult result) {
                receiver = receiver.with(result.registration());
              }

              @Override
              public void failed(Throwable error, java.util.Optional<java.time.Instant> next) {
                onError.accept(error);
              }
            });
  }

  /**
   * Discovers the collection, registers the subscription on it and starts watching.
   *
   * @param client the client (not closed by the watcher)
   * @param collection the collection to watch
   * @param subscription the subscription whose deliveries will be handed to {@link #deliver}
   * @param keys the subscription's key pair
   * @param triggers the triggers to request
   * @param onEvent receives every decoded message, on the thread that calls {@link #deliver}
   * @param onError receives failures: undecryptable or unreadable deliveries, failed refreshes
   * @return the running watcher; fails as {@link DavPushClient#register(PushDiscovery,
   *     WebPushSubscription, List, java.time.Instant)} does, or with {@link DavPushClientException}
   *     if the collection does not offer Web Push
   */
  public static CompletableFuture<PushWatcher> start(
      DavPushClient client,
      java.net.URI collection,
      WebPushSubscription subscription,
      UserAgentKeyPair keys,
      List<Trigger> triggers,
      Consumer<PushEvent> onEvent,
      Consumer<Throwable> onError) {
    requireNonNull(client, "client");
    requireNonNull(subscription, "subscription");
    requireNonNull(keys, "keys");
    requireNonNull(triggers, "triggers");
    requireNonNull(onEvent, "onEvent");
    requireNonNull(onError, "onError");
    return client
        .discover(collection)
        .thenCompose(d -> start(client, d, subscription, keys, triggers, onEvent, onError));
  }

  /**
   * Registers the subscription on an already discovered collection and starts watching: for a
   * caller that needed the discovery first, to subscribe at its push service with the server's
   * {@link PushDiscovery#vapidKey()} (R-WDP-52).
   *
   * @param client the client (not closed by the watcher)
   * @param target the discovered collection
   * @param subscription the subscription whose deliveries will be handed to {@link #deliver}
   * @param keys the subscription's key pair
   * @param triggers the triggers to request
   * @param onEvent receives every decoded message, on the thread that calls {@link #deliver}
   * @param onError receives failures: undecryptable or unreadable deliveries, failed refreshes
   * @return the running watcher; fails with {@link DavPushClientException} if the collection does
   *     not offer Web Push, or as {@link DavPushClient#register(PushDiscovery, WebPushSubscription,
   *     List, java.time.Instant)} does
   */
  public static CompletableFuture<PushWatcher> start(
      DavPushClient client,
      PushDiscovery target,
      WebPushSubscription subscription,
      UserAgentKeyPair keys,
      List<Trigger> triggers,
      Consumer<PushEvent> onEvent,
      Consumer<Throwable> onError) {
    requireNonNull(client, "client");
    requireNonNull(target, "target");
    requireNonNull(subscription, "subscription");
    requireNonNull(keys, "keys");
    requireNonNull(triggers, "triggers");
    requireNonNull(onEvent, "onEvent");
    requireNonNull(onError, "onError");
    if (!target.supportsWebPush()) {
      return CompletableFuture.failedFuture(
          new DavPushClientException(
              target.resource()
                  + ": no WebDAV-Push with Web Push here (no topic or no web-push transport)"));
    }
    return client
        .register(target, subscription, triggers, null)
        .thenApply(r -> new PushWatcher(client, keys, r.registration(), onEvent, onError));
  }

  /**
   * Hands over one delivered message body: decrypts, reads and maps it, then calls the event
   * callback (or the error callback if it cannot be read). Never throws for a bad body.
   *
   * @param body the body exactly as the push service delivered it
   */
  public void deliver(byte[] body) {
    requireNonNull(body, "body");
    PushEvent e;
    try {
      e = receiver.receive(body);
    } catch (RuntimeException ex) {
      onError.accept(ex);
      return;
    }
    onEvent.accept(e);
  }

  /**
   * The registration as it now stands (refreshed by the watcher).
   *
   * @return the registration
   */
  public PushRegistration registration() {
    return refresh.current();
  }

  /**
   * Stops refreshing and unregisters, waiting at most {@link #CLOSE_TIMEOUT}. A failed {@code
   * DELETE} goes to the error callback (the registration then expires on its own). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    refresh.cancel();
    try {
      client.unregister(refresh.current()).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      onError.accept(DavPushClient.unwrap(e.getCause() == null ? e : e.getCause()));
    } catch (TimeoutException e) {
      onError.accept(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
