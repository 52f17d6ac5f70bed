package dev.davpush;

/**
 * The transport-specific part of a registration: what a client puts inside {@code subscription}
 * (draft-bitfire-webdav-push §3.1). {@link WebPushSubscription} is the one the draft defines; other
 * transports implement this interface.
 *
 * <p>Implementations are immutable values whose {@code toString()} hides secrets.
 */
public interface Subscription {
  /**
   * The name of the transport this subscription belongs to, as advertised in {@code transports}.
   *
   * @return for example {@code web-push}
   */
  String transport();

  /**
   * The transport-specific unique identifier (R-WDP-27); equal identifiers on the same resource and
   * principal denote the same registration (R-WDP-28). For Web Push, the push resource URI. This is
   * a secret for logging purposes.
   *
   * @return a non-empty identifier
   */
  String id();
}
