package dev.davpush.server;

/**
 * The outcome of {@link PushEngine#unregister}: maps to 204, 404 and 403 (R-WDP-30, R-WDP-62).
 *
 * <p>Thread safety: immutable.
 */
public enum UnregisterResult {
  /** The registration existed and was removed: {@code 204}. */
  REMOVED,
  /** No such registration, or it expired: {@code 404}. */
  NOT_FOUND,
  /** The registration belongs to another principal: {@code 403}. */
  FORBIDDEN
}
