package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code supported-triggers} property of a push-capable resource: for each trigger kind the
 * resource supports, the <em>maximum</em> depth (draft-bitfire-webdav-push §2.1, R-WDP-9).
 *
 * <p>Thread safety: immutable.
 */
public final class SupportedTriggers {
  private final @Nullable Depth contentUpdate;
  private final @Nullable Depth propertyUpdate;

  private SupportedTriggers(@Nullable Depth contentUpdate, @Nullable Depth propertyUpdate) {
    if (contentUpdate == null && propertyUpdate == null) {
      throw new IllegalArgumentException(
          "supported-triggers: at least one of content-update and property-update is required"
              + " (R-WDP-9)");
    }
    this.contentUpdate = contentUpdate;
    this.propertyUpdate = propertyUpdate;
  }

  /**
   * Supported triggers with the given maximum depths.
   *
   * @param contentUpdate maximum depth of content updates, or null if unsupported
   * @param propertyUpdate maximum depth of property updates, or null if unsupported
   * @return the value
   * @throws IllegalArgumentException if both are null
   */
  public static SupportedTriggers of(
      @Nullable Depth contentUpdate, @Nullable Depth propertyUpdate) {
    return new SupportedTriggers(contentUpdate, propertyUpdate);
  }

  /**
   * Content updates only.
   *
   * @param maximum the maximum depth
   * @return the value
   */
  public static SupportedTriggers contentUpdate(Depth maximum) {
    return new SupportedTriggers(requireNonNull(maximum, "maximum"), null);
  }

  /**
   * The maximum depth of content updates.
   *
   * @return empty if content updates are not supported
   */
  public Optional<Depth> contentUpdate() {
    return Optional.ofNullable(contentUpdate);
  }

  /**
   * The maximum depth of property updates.
   *
   * @return empty if property updates are not supported
   */
  public Optional<Depth> propertyUpdate() {
    return Optional.ofNullable(propertyUpdate);
  }

  /**
   * The effective triggers of a registration (R-WDP-15, R-WDP-19): unsupported kinds are dropped,
   * depths are lowered to the supported maximum (digest ambiguity A-6: effective = min(requested,
   * maximum)). Duplicates of a kind keep the first.
   *
   * @param requested the triggers a client asked for; may be empty
   * @return the effective triggers in request order; empty if none is supported
   */
  public List<Trigger> negotiate(List<? extends Trigger> requested) {
    requireNonNull(requested, "requested");
    List<Trigger> effective = new ArrayList<>(2);
    boolean content = false;
    boolean property = false;
    for (Trigger t : requested) {
      if (t instanceof Trigger.ContentUpdate c && contentUpdate != null && !content) {
        effective.add(c.withDepth(c.depth().min(contentUpdate)));
        content = true;
      } else if (t instanceof Trigger.PropertyUpdate p && propertyUpdate != null && !property) {
        effective.add(p.withDepth(p.depth().min(propertyUpdate)));
        property = true;
      }
    }
    return List.copyOf(effective);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SupportedTriggers s
        && contentUpdate == s.contentUpdate
        && propertyUpdate == s.propertyUpdate;
  }

  @Override
  public int hashCode() {
    return Objects.hash(contentUpdate, propertyUpdate);
  }

  @Override
  public String toString() {
    return "SupportedTriggers[contentUpdate="
        + contentUpdate
        + ", propertyUpdate="
        + propertyUpdate
        + "]";
  }
}
