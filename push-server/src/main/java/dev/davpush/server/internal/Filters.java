package dev.davpush.server.internal;

import dev.davpush.PropertyName;
import dev.davpush.Registration;
import dev.davpush.Trigger;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The filter stage of the pipeline (architecture, "The dispatch pipeline", stage 2): pure functions
 * deciding whether a registration gets a message for a change.
 *
 * <p>Thread safety: stateless.
 */
public final class Filters {
  /** Properties that change with every content update: never a property update (R-WDP-22). */
  public static final Set<PropertyName> CONTENT_BOUND =
      Set.of(PropertyName.GETETAG, PropertyName.GETLASTMODIFIED, PropertyName.SYNC_TOKEN);

  private Filters() {}

  /**
   * Whether a registration's effective triggers ask for a change at a distance.
   *
   * <p>A content change needs a content-update trigger whose depth covers the distance. A property
   * change needs a property-update trigger whose depth covers the distance, and whose property list
   * is empty or names one of the changed properties; properties that change with every content
   * update ({@link #CONTENT_BOUND}) are ignored (R-WDP-22), so a change of only those triggers
   * nothing. A property change with an empty set (the server does not say which) matches only
   * triggers without a property list.
   *
   * @param r the registration
   * @param content true for a content change, false for a property change
   * @param properties the changed properties of a property change; null or empty when the server
   *     does not say which
   * @param distance 0 for the changed resource itself, 1 for its parent, and so on
   * @return true if the registration asked for this change
   */
  public static boolean triggers(
      Registration r, boolean content, @Nullable Set<PropertyName> properties, int distance) {
    if (content) {
      for (Trigger t : r.triggers()) {
        if (t instanceof Trigger.ContentUpdate && t.depth().covers(distance)) {
          return true;
        }
      }
      return false;
    }
    Set<PropertyName> changed = properties == null ? Set.of() : properties;
    Set<PropertyName> relevant = new HashSet<>(changed);
    relevant.removeAll(CONTENT_BOUND);
    if (relevant.isEmpty() && !changed.isEmpty()) {
      return false;
    }
    for (Trigger t : r.triggers()) {
      if (t instanceof Trigger.PropertyUpdate pu && pu.depth().covers(distance)) {
        if (pu.properties().isEmpty()) {
          return true;
        }
        for (PropertyName n : pu.properties()) {
          if (relevant.contains(n)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * {@code Push-Dont-Notify} (R-WDP-39, R-WDP-62, digest ambiguities ): only the
   * registrations of the principal that made the change can be suppressed; with an unknown
   * principal nothing is. {@code *} suppresses all of that principal's registrations; a listed URL
   * suppresses the registration it denotes.
   *
   * @param principal who made the change, if known
   * @param all whether the request sent {@code Push-Dont-Notify: *}
   * @param dontNotify the registration URLs the request listed
   * @param r a matched registration
   * @param urls the engine's registration-URL rules
   * @return true if the change's request asked not to notify this registration
   */
  public static boolean suppressedByDontNotify(
      Optional<String> principal,
      boolean all,
      Set<URI> dontNotify,
      Registration r,
      RegistrationUrls urls) {
    if (principal.isEmpty() || !principal.get().equals(r.owner())) {
      return false;
    }
    if (all) {
      return true;
    }
    for (URI u : dontNotify) {
      if (urls.denotes(u, r.id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Never send to an expired registration (R-WDP-33).
   *
   * @param r the registration
   * @param now the current instant
   * @return true if it expired at or before {@code now}
   */
  public static boolean expired(Registration r, Instant now) {
    return r.isExpired(now);
  }
}
