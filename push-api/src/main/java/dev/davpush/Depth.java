package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * The depth of a trigger (RFC 4918 §14.4 {@code DAV:depth}, draft-bitfire-webdav-push §3.1.1):
 * {@code 0} the resource itself, {@code 1} plus its internal members, {@code infinity} plus all
 * members. Ordered from narrowest to widest.
 *
 * <p>Thread safety: immutable.
 */
public enum Depth {
  /** The resource itself. */
  ZERO("0"),
  /** The resource and its internal members. */
  ONE("1"),
  /** The resource and all its members at any level. */
  INFINITY("infinity");

  private final String token;

  Depth(String token) {
    this.token = token;
  }

  /**
   * The text of the {@code DAV:depth} element.
   *
   * @return {@code "0"}, {@code "1"} or {@code "infinity"}
   */
  public String token() {
    return token;
  }

  /**
   * Parses the current spelling; readers of older drafts map {@code infinite} themselves.
   *
   * @param text {@code 0}, {@code 1} or {@code infinity}, surrounding whitespace ignored
   * @return the depth
   * @throws IllegalArgumentException for any other text
   */
  public static Depth parse(String text) {
    requireNonNull(text, "text");
    String t = text.strip();
    for (Depth d : values()) {
      if (d.token.equals(t)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "depth: expected 0, 1 or infinity, got '" + abbreviate(t) + "'");
  }

  /**
   * The narrower of two depths.
   *
   * @param other the other depth
   * @return {@code this} or {@code other}, whichever is narrower
   */
  public Depth min(Depth other) {
    return compareTo(requireNonNull(other, "other")) <= 0 ? this : other;
  }

  /**
   * Whether a change {@code distance} levels below the subscribed resource is covered.
   *
   * @param distance 0 for the resource itself, 1 for an internal member, and so on; ≥ 0
   * @return whether this depth covers it
   */
  public boolean covers(int distance) {
    if (distance < 0) {
      throw new IllegalArgumentException("distance: expected >= 0, got " + distance);
    }
    return switch (this) {
      case ZERO -> distance == 0;
      case ONE -> distance <= 1;
      case INFINITY -> true;
    };
  }

  @Override
  public String toString() {
    return token;
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
