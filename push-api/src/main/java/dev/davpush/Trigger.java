package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A kind of change that makes the server send a push message (draft-bitfire-webdav-push §3.1.1,
 * §3.1.2): a {@link ContentUpdate} or a {@link PropertyUpdate}, each with a {@link Depth}.
 *
 * <p>Used both for what a client requests ({@code trigger} in {@code push-register}) and, with the
 * depth read as a maximum, for what a resource supports ({@code supported-triggers}).
 */
public sealed interface Trigger permits Trigger.ContentUpdate, Trigger.PropertyUpdate {

  /**
   * The depth of the trigger.
   *
   * @return never null
   */
  Depth depth();

  /**
   * Returns the same trigger with another depth.
   *
   * @param depth the new depth
   * @return a trigger of the same kind
   */
  Trigger withDepth(Depth depth);

  /**
   * A content update: the resource or a member within the depth was added, changed or removed (RFC
   * 6578 §3.5 semantics; R-WDP-16).
   *
   * @param depth the depth
   */
  record ContentUpdate(Depth depth) implements Trigger {
    /**
     * Validates the depth.
     *
     * @param depth as described on the record
     */
    public ContentUpdate {
      requireNonNull(depth, "depth");
    }

    @Override
    public ContentUpdate withDepth(Depth depth) {
      return new ContentUpdate(depth);
    }
  }

  /**
   * A property update: a WebDAV property of the resource or of a member within the depth changed
   * (R-WDP-21).
   *
   * @param depth the depth
   * @param properties the properties of interest; empty means "the server picks useful ones";
   *     copied
   */
  record PropertyUpdate(Depth depth, Set<PropertyName> properties) implements Trigger {
    /**
     * Validates and copies.
     *
     * @param depth as described on the record
     * @param properties as described on the record
     */
    public PropertyUpdate {
      requireNonNull(depth, "depth");
      properties = Set.copyOf(requireNonNull(properties, "properties"));
    }

    /**
     * A property update without a property list.
     *
     * @param depth the depth
     */
    public PropertyUpdate(Depth depth) {
      this(depth, Set.of());
    }

    @Override
    public PropertyUpdate withDepth(Depth depth) {
      return new PropertyUpdate(depth, properties);
    }
  }
}
