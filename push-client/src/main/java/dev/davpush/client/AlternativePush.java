package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.xml.ApplePushTransport;
import dev.davpush.xml.CalConnectDiscovery;
import dev.davpush.xml.CalConnectTransport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A push mechanism other than WebDAV-Push that a resource also advertises, reported beside Web Push
 * so that an application can choose (the CalConnect TC PUSH framework: one standard protocol,
 * proprietary ones within the same discovery). This client registers only WebDAV-Push; it reads
 * these so an application with an APNs or a CalConnect gateway integration can use them.
 *
 * <p>Thread safety: immutable.
 */
public sealed interface AlternativePush {
  /**
   * The shortest refresh interval the mechanism states, if any.
   *
   * @return whole seconds; empty if none is stated
   */
  Optional<Duration> refreshInterval();

  /**
   * Apple's CalendarServer push ({@code CS:push-transports}, {@code CS:pushkey};
   * caldav-pubsubdiscovery, digest §3).
   *
   * @param transports the transports (APSD, XMPP …), in document order; copied
   * @param pushKey the {@code CS:pushkey} of the resource, or null
   */
  record Apple(List<ApplePushTransport> transports, @Nullable String pushKey)
      implements AlternativePush {
    /**
     * Copies.
     *
     * @param transports as described on the record
     * @param pushKey as described on the record
     */
    public Apple {
      transports = List.copyOf(requireNonNull(transports, "transports"));
    }

    @Override
    public Optional<Duration> refreshInterval() {
      return transports.stream()
          .map(ApplePushTransport::refresh)
          .flatMap(Optional::stream)
          .min(Duration::compareTo);
    }
  }

  /**
   * CalConnect CC/CD 70025 push discovery ({@code urn:ietf:params:xml:ns:dav-push}; digest §2).
   *
   * @param discovery the discovery properties as read
   */
  record CalConnect(CalConnectDiscovery discovery) implements AlternativePush {
    /**
     * Validates.
     *
     * @param discovery as described on the record
     */
    public CalConnect {
      requireNonNull(discovery, "discovery");
    }

    @Override
    public Optional<Duration> refreshInterval() {
      return discovery.transports().stream()
          .map(CalConnectTransport::refreshInterval)
          .flatMap(d -> d == null ? java.util.stream.Stream.empty() : java.util.stream.Stream.of(d))
          .min(Duration::compareTo);
    }
  }
}
