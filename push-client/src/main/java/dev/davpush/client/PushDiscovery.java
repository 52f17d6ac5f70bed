package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What discovery found out about one resource (draft-bitfire-webdav-push §2, R-WDP-4 … R-WDP-10):
 * whether {@code OPTIONS} lists {@code webdav-push}, the {@code transports}, {@code topic} and
 * {@code supported-triggers} properties, the {@code DAV:sync-token}, and the alternative push
 * mechanisms (Apple, CalConnect) the resource advertises beside it.
 *
 * <p>A property in a {@code 404} propstat, or absent, reads as "not supported", never as an error.
 * Properties of the older drafts (namespace {@code DAV:Push}, {@code push-transports}, {@code
 * server-public-key}, digest §1.7) are read too; {@link #legacyDraft()} tells when they were.
 *
 * <p>Thread safety: immutable.
 */
public final class PushDiscovery {
  private final URI resource;
  private final @Nullable Boolean complianceClass;
  private final @Nullable Topic topic;
  private final List<TransportDescriptor> transports;
  private final @Nullable SupportedTriggers supportedTriggers;
  private final @Nullable String syncToken;
  private final Set<PropertyName> resourceTypes;
  private final boolean legacyDraft;
  private final List<AlternativePush> alternatives;
  private final List<ServerDeviation> deviations;

  PushDiscovery(
      URI resource,
      @Nullable Boolean complianceClass,
      @Nullable Topic topic,
      List<TransportDescriptor> transports,
      @Nullable SupportedTriggers supportedTriggers,
      @Nullable String syncToken,
      Set<PropertyName> resourceTypes,
      boolean legacyDraft,
      List<AlternativePush> alternatives,
      List<ServerDeviation> deviations) {
    this.resource = requireNonNull(resource, "resource");
    this.complianceClass = complianceClass;
    this.topic = topic;
    this.transports = List.copyOf(transports);
    this.supportedTriggers = supportedTriggers;
    this.syncToken = syncToken;
    this.resourceTypes = Set.copyOf(resourceTypes);
    this.legacyDraft = legacyDraft;
    this.alternatives = List.copyOf(alternatives);
    this.deviations = List.copyOf(deviations);
  }

  PushDiscovery withComplianceClass(boolean advertised) {
    return new PushDiscovery(
        resource,
        advertised,
        topic,
        transports,
        supportedTriggers,
        syncToken,
        resourceTypes,
        legacyDraft,
        alternatives,
        deviations);
  }

  /**
   * The absolute URL of the resource (the {@code DAV:href} resolved against the request URL).
   *
   * @return the URL
   */
  public URI resource() {
    return resource;
  }

  /**
   * Whether {@code OPTIONS} listed {@code webdav-push} in its {@code DAV} header (R-WDP-4).
   *
   * @return empty when no {@code OPTIONS} was made (members of a {@code Depth: 1} listing) or it
   *     was not answered with a 2xx
   */
  public Optional<Boolean> complianceClassAdvertised() {
    return Optional.ofNullable(complianceClass);
  }

  /**
   * Whether a client can register for WebDAV-Push with Web Push here: the resource has a {@code
   * topic} and lists {@code web-push} among its {@code transports} (digest ambiguity A-23: the
   * topic is what tells).
   *
   * @return true if registration can be tried
   */
  public boolean supportsWebPush() {
    return topic != null && webPush().isPresent();
  }

  /**
   * The {@code topic} (R-WDP-8); push messages name it, {@link PushReceiver} maps it back to this
   * resource.
   *
   * @return empty if the resource does not support push
   */
  public Optional<Topic> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * The {@code transports} (R-WDP-7), Web Push and any foreign ones, in document order.
   *
   * @return possibly empty
   */
  public List<TransportDescriptor> transports() {
    return transports;
  }

  /**
   * The Web Push transport, if listed.
   *
   * @return the first {@code web-push} of {@link #transports()}
   */
  public Optional<WebPushTransportDescriptor> webPush() {
    return transports.stream()
        .filter(WebPushTransportDescriptor.class::isInstance)
        .map(WebPushTransportDescriptor.class::cast)
        .findFirst();
  }

  /**
   * The server's VAPID public key (R-WDP-51): create the push subscription restricted to it
   * (R-WDP-52).
   *
   * @return empty if the server does not sign or does not offer Web Push
   */
  public Optional<P256PublicKey> vapidKey() {
    return webPush().flatMap(WebPushTransportDescriptor::vapidKey);
  }

  /**
   * The {@code supported-triggers} (R-WDP-9).
   *
   * @return empty if absent
   */
  public Optional<SupportedTriggers> supportedTriggers() {
    return Optional.ofNullable(supportedTriggers);
  }

  /**
   * The resource's {@code DAV:sync-token} at discovery time (RFC 6578).
   *
   * @return empty if the resource has none
   */
  public Optional<String> syncToken() {
    return Optional.ofNullable(syncToken);
  }

  /**
   * The children of {@code DAV:resourcetype}.
   *
   * @return for example {@code DAV:collection} and {@code CALDAV:calendar}
   */
  public Set<PropertyName> resourceTypes() {
    return resourceTypes;
  }

  /**
   * Whether the push properties came in a form of the drafts before 2024-11-13 (namespace {@code
   * DAV:Push}, digest §1.7).
   *
   * @return true if a legacy form was read
   */
  public boolean legacyDraft() {
    return legacyDraft;
  }

  /**
   * Other push mechanisms the resource advertises (Apple, CalConnect).
   *
   * @return possibly empty
   */
  public List<AlternativePush> alternatives() {
    return alternatives;
  }

  /**
   * The shortest refresh interval any advertised mechanism states; input to {@link PollingAdvisor}.
   *
   * @return empty if none states one
   */
  public Optional<Duration> refreshInterval() {
    return alternatives.stream()
        .map(AlternativePush::refreshInterval)
        .flatMap(Optional::stream)
        .min(Duration::compareTo);
  }

  /**
   * Properties the client could not read and skipped.
   *
   * @return possibly empty
   */
  public List<ServerDeviation> deviations() {
    return deviations;
  }

  @Override
  public String toString() {
    return "PushDiscovery[resource="
        + resource
        + ", webdav-push="
        + complianceClass
        + ", topic="
        + topic
        + ", transports="
        + transports
        + ", supportedTriggers="
        + supportedTriggers
        + ", legacy="
        + legacyDraft
        + ", alternatives="
        + alternatives.size()
        + "]";
  }
}
