package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code CS:transport} of Apple's {@code CS:push-transports} property (caldav-pubsubdiscovery
 * -02 §3.1, digest §3, R-APPLE-2): {@code type="APSD"} with subscription URL, APNs topic (bundle
 * id), environment and refresh interval; older servers list {@code type="XMPP"} with an {@code
 * xmpp-server}.
 *
 * <p>Thread safety: immutable.
 *
 * @param type the {@code type} attribute, for example {@code APSD} or {@code XMPP}
 * @param subscriptionUrl the {@code DAV:href} inside {@code subscription-url}, as sent, or null
 * @param apsBundleId the {@code apsbundleid} (APNs topic), or null
 * @param env the {@code env}, {@code PRODUCTION} or {@code SANDBOX}, or null
 * @param refreshInterval the {@code refresh-interval} in whole seconds, or null
 * @param xmppServer the {@code xmpp-server} ({@code host[:port]}) of an XMPP transport, or null
 */
public record ApplePushTransport(
    String type,
    @Nullable String subscriptionUrl,
    @Nullable String apsBundleId,
    @Nullable String env,
    @Nullable Duration refreshInterval,
    @Nullable String xmppServer) {
  /**
   * Validates.
   *
   * @param type the {@code type} attribute, for example {@code APSD} or {@code XMPP}; not null
   * @param subscriptionUrl the {@code DAV:href} inside {@code subscription-url}, or null
   * @param apsBundleId the {@code apsbundleid} (APNs topic), or null
   * @param env the {@code env}, {@code PRODUCTION} or {@code SANDBOX}, or null
   * @param refreshInterval whole non-negative seconds, or null
   * @param xmppServer the {@code xmpp-server} ({@code host[:port]}), or null
   * @throws NullPointerException if {@code type} is null
   * @throws IllegalArgumentException if {@code refreshInterval} is negative or has a fraction of a
   *     second
   */
  public ApplePushTransport {
    requireNonNull(type, "type");
    if (refreshInterval != null
        && (refreshInterval.isNegative() || refreshInterval.getNano() != 0)) {
      throw new IllegalArgumentException(
          "refreshInterval: expected whole non-negative seconds, got " + refreshInterval);
    }
  }

  /**
   * An APSD (Apple Push Notification service) transport.
   *
   * @param subscriptionUrl where clients subscribe (R-APPLE-5)
   * @param apsBundleId the APNs topic
   * @param env {@code PRODUCTION} or {@code SANDBOX}
   * @param refreshInterval how often clients must re-subscribe; whole seconds
   * @return the transport
   */
  public static ApplePushTransport apsd(
      String subscriptionUrl, String apsBundleId, String env, Duration refreshInterval) {
    return new ApplePushTransport(
        "APSD",
        requireNonNull(subscriptionUrl, "subscriptionUrl"),
        requireNonNull(apsBundleId, "apsBundleId"),
        requireNonNull(env, "env"),
        requireNonNull(refreshInterval, "refreshInterval"),
        null);
  }

  /**
   * The refresh interval.
   *
   * @return empty if the transport states none
   */
  public Optional<Duration> refresh() {
    return Optional.ofNullable(refreshInterval);
  }
}
