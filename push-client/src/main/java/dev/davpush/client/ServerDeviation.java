package dev.davpush.client;

import static java.util.Objects.requireNonNull;

/**
 * Something a server did that the draft does not allow, which the client worked around instead of
 * failing: a relative {@code Location} resolved against the request URL (R-WDP-25), a missing or
 * unreadable {@code Expires} (R-WDP-26), a new registration URL for an update (R-WDP-28), a
 * property the client could not read. Reported on results and to {@link
 * DavPushClient.Builder#onDeviation}; never contains credentials or push resource URLs.
 *
 * <p>Thread safety: immutable.
 *
 * @param requirement the digest requirement the server broke, for example {@code R-WDP-25}
 * @param description what happened and what the client did about it
 */
public record ServerDeviation(String requirement, String description) {
  /**
   * Validates.
   *
   * @param requirement as described on the record
   * @param description as described on the record
   */
  public ServerDeviation {
    requireNonNull(requirement, "requirement");
    requireNonNull(description, "description");
  }
}
