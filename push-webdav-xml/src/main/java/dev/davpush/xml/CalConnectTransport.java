package dev.davpush.xml;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One {@code transport} of the CalConnect CC/CD 70025 {@code supported-transport-set}
 * (draft-gajda-dav-push-00 §6.2.1, digest §2.2, R-GAJ-15): a push gateway's transport. A transport
 * with no parts signals that clients may bring their own transport.
 *
 * <p>Thread safety: immutable.
 *
 * @param transportUri the {@code transport-uri}, or null for the client-provided form
 * @param transportData the {@code transport-data} content as an XML fragment (its children, or its
 *     text if it has none), or null
 * @param refreshInterval the {@code refresh-interval} in whole seconds (R-GAJ-16), or null
 */
public record CalConnectTransport(
    @Nullable String transportUri,
    @Nullable String transportData,
    @Nullable Duration refreshInterval) {
  /**
   * Validates.
   *
   * @param transportUri the {@code transport-uri}, or null
   * @param transportData the {@code transport-data} content, or null: if it starts with {@code <}
   *     after white space, one or more well-formed elements (written as elements by {@link
   *     CalConnect#writeDiscovery}), otherwise plain text (written as text)
   * @param refreshInterval whole non-negative seconds, or null
   * @throws IllegalArgumentException if {@code refreshInterval} is negative or has a fraction of a
   *     second
   */
  public CalConnectTransport {
    if (refreshInterval != null
        && (refreshInterval.isNegative() || refreshInterval.getNano() != 0)) {
      throw new IllegalArgumentException(
          "refreshInterval: expected whole non-negative seconds, got " + refreshInterval);
    }
  }

  /**
   * Whether this is the child-less form: "the client may provide its own transport" (R-GAJ-15).
   *
   * @return true if no part is set
   */
  public boolean isClientProvided() {
    return transportUri == null && transportData == null && refreshInterval == null;
  }
}
