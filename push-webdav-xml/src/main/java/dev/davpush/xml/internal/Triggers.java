package dev.davpush.xml.internal;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reading helpers shared by the trigger and supported-trigger readers. */
public final class Triggers {
  private Triggers() {}

  /**
   * The depth inside a {@code content-update} or {@code property-update}: {@code D:depth} or the
   * older {@code D:sync-level}, values {@code 0}, {@code 1}, {@code infinity} or {@code infinite}.
   *
   * @param parent the trigger element
   * @param fallback the depth to report when the element has no depth child
   * @return the depth, {@code fallback} if the element has no depth child, or null if the depth is
   *     present but not understood
   */
  public static @Nullable Depth depth(Node parent, Depth fallback) {
    Node d = parent.child(Names.DAV_OR_PUSH, "depth", "sync-level");
    if (d == null) {
      return fallback;
    }
    String t = d.trimmedText();
    return switch (t) {
      case "0" -> Depth.ZERO;
      case "1" -> Depth.ONE;
      case "infinity", "infinite", "Infinity", "INFINITY" -> Depth.INFINITY;
      default -> null;
    };
  }

  /**
   * The names of the children of a {@code D:prop} child of {@code parent}.
   *
   * @param parent the trigger element
   * @return in document order; empty if there is no {@code D:prop} or it is empty
   */
  public static Set<PropertyName> propertyNames(Node parent) {
    Node prop = parent.child(Names.DAV, "prop");
    if (prop == null) {
      return Set.of();
    }
    Set<PropertyName> names = new LinkedHashSet<>();
    for (Node c : prop.children()) {
      try {
        names.add(PropertyName.of(c.namespaceUri(), c.localName()));
      } catch (IllegalArgumentException e) {
        // a name the model cannot hold is ignored, like an unsupported property (R-WDP-21)
      }
    }
    return names;
  }
}
