package dev.davpush.client;

/**
 * The state of push for one collection, as far as the client can tell; the input of {@link
 * PollingAdvisor}. {@link PollingAdvisor#assess} derives it from what the client saw.
 *
 * <p>Thread safety: immutable.
 */
public enum PushState {
  /** Registered, and a push message arrived since: push works. */
  ACTIVE,
  /** Registered, no message yet and nothing that says push is broken. */
  REGISTERED_UNCONFIRMED,
  /**
   * Registered, but polling found a change that no push message announced: push is failing (lost
   * registration, push service trouble, a server that does not send).
   */
  FAILING,
  /** No live registration: never registered, expired, or removed. */
  EXPIRED,
  /** The server refused the registration with a {@code 403} precondition. */
  REFUSED,
  /** The server does not offer WebDAV-Push on the collection. */
  NOT_OFFERED
}
