package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The CalConnect CC/CD 70025 {@code subscribe} request body (draft-gajda-dav-push-00 §5.2.3.2,
 * §6.2.2; digest §2.2, R-GAJ-8): topics, the selected gateway transport with the client's opaque
 * data, and the expiry (in the past: unsubscribe, R-GAJ-6).
 *
 * <p>Thread safety: immutable.
 *
 * @param topics one or more topics; copied
 * @param transportUri the {@code transport-uri} of the selected transport
 * @param clientData the opaque {@code client-data}, forwarded unchanged (R-GAJ-19); a secret
 * @param expires the expiry, or null if the request carries none
 */
public record CalConnectSubscribe(
    List<String> topics, String transportUri, String clientData, @Nullable Instant expires) {
  /**
   * Validates and copies.
   *
   * @param topics one or more topics; copied
   * @param transportUri the {@code transport-uri} of the selected transport; not null
   * @param clientData the opaque {@code client-data}; not null; a secret
   * @param expires the expiry, or null
   * @throws NullPointerException if {@code topics}, an element of it, {@code transportUri} or
   *     {@code clientData} is null
   * @throws IllegalArgumentException if {@code topics} is empty
   */
  public CalConnectSubscribe {
    topics = List.copyOf(requireNonNull(topics, "topics"));
    requireNonNull(transportUri, "transportUri");
    requireNonNull(clientData, "clientData");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("topics: at least one topic is required");
    }
  }

  /** Hides the client data, which may hold a device token. */
  @Override
  public String toString() {
    return "CalConnectSubscribe[topics="
        + topics
        + ", transportUri="
        + transportUri
        + ", clientData=[redacted], expires="
        + expires
        + "]";
  }
}
