package dev.davpush;

import static java.util.Objects.requireNonNull;

/**
 * The RFC 8030 §5.3 {@code Urgency} of a push message. A closed set.
 *
 * <p>Thread safety: immutable.
 */
public enum Urgency {
  /** On power and Wi-Fi. */
  VERY_LOW("very-low"),
  /** On power or Wi-Fi. */
  LOW("low"),
  /** Neither power nor Wi-Fi required; the default when the header is absent. */
  NORMAL("normal"),
  /** Even on low battery. */
  HIGH("high");

  private final String token;

  Urgency(String token) {
    this.token = token;
  }

  /**
   * The header value.
   *
   * @return {@code very-low}, {@code low}, {@code normal} or {@code high}
   */
  public String token() {
    return token;
  }

  /**
   * Parses a header value.
   *
   * @param text one of the four tokens, exactly
   * @return the urgency
   * @throws IllegalArgumentException for anything else
   */
  public static Urgency parse(String text) {
    requireNonNull(text, "text");
    for (Urgency u : values()) {
      if (u.token.equals(text)) {
        return u;
      }
    }
    throw new IllegalArgumentException(
        "Urgency: expected very-low, low, normal or high, got '" + Depth.abbreviate(text) + "'");
  }
}
