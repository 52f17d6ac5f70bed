package dev.davpush.testkit;

import java.util.Locale;

/**
 * The areas the kit groups requirements into: one {@code @Nested} class of the JUnit kit each, and
 * a value of the command line's {@code --only} and {@code --skip}.
 *
 * <p>Thread safety: immutable.
 */
public enum Area {
  /** OPTIONS and the push properties of a collection (draft §2, §5, §6.2). */
  DISCOVERY,
  /** {@code push-register}: answers, Location, Expires, updates, depth downgrades (§3.1, §3.2). */
  REGISTRATION,
  /** Push messages after changes, and their content (§3.1.1, §4, §4.1, §4.3). */
  NOTIFICATION,
  /** {@code Push-Dont-Notify} (§4.2). */
  SUPPRESSION,
  /** Removal, expiry and undeliverable subscriptions (§3.3, §3.4, §4.4). */
  LIFECYCLE,
  /** The outgoing push request's HTTP form (§6.4; RFC 8030). */
  PUSH_REQUEST,
  /** Message encryption (§6; RFC 8291, RFC 8188). */
  ENCRYPTION,
  /** VAPID (§6.2; RFC 8292). */
  VAPID,
  /** Authentication, authorisation and transport security (§7). */
  SECURITY,
  /**
   * How the server copes with its push service: {@code Retry-After}, 5xx, a hanging service (the
   * kit's own best practices, {@code BP-} IDs).
   */
  PUSH_SERVICE,
  /**
   * Whether the server accepts registrations the way deployed clients send them (older drafts,
   * DAVx⁵ up to 4.5.19): the kit's own {@code CI-} entries at level {@link Level#INTEROP}, never a
   * MUST or SHOULD failure.
   */
  CLIENT_INTEROP;

  /**
   * The spelling of the command line and the reports.
   *
   * @return for example {@code push-request}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The area with a given label.
   *
   * @param label for example {@code push-request}; case-insensitive, {@code _} and {@code -} alike
   * @return the area
   * @throws IllegalArgumentException if no area has that label
   */
  public static Area fromLabel(String label) {
    String norm = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Area a : values()) {
      if (a.name().equals(norm)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no area '" + label + "'");
  }
}
