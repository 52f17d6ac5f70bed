package dev.davpush.client;

import java.time.Instant;
import java.util.Optional;

/**
 * Hears about the refreshes {@link DavPushClient#scheduleRefresh} makes. Called on the client's
 * scheduler thread; keep the work short (persist the new {@link PushRegistration}, update your
 * {@code Push-Dont-Notify} list).
 *
 * <p>Thread safety: called from one thread at a time per schedule.
 */
public interface RefreshListener {
  /**
   * A refresh succeeded. Persist {@code result.registration()}: its expiry changed, and if {@link
   * RegistrationResult.Kind#REPLACED} its registration URL too.
   *
   * @param result the outcome
   */
  void refreshed(RegistrationResult result);

  /**
   * A refresh failed.
   *
   * @param error the failure ({@link DavTransportException}, {@link DavStatusException}, a {@link
   *     RegistrationRefusedException} …)
   * @param nextAttempt when the schedule tries again; empty if it gave up (the server refused the
   *     registration with a precondition, or the collection answered {@code 404}/{@code 410}):
   *     poll, and discover and register again when the application sees fit
   */
  default void failed(Throwable error, Optional<Instant> nextAttempt) {}
}
