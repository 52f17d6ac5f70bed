package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.ForeignTransportDescriptor;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Names;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.Triggers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@code DAV:response} of a {@code 207 Multi-Status}, as {@link MultistatusReader} read it: the
 * href, the status of every property, and typed access to the properties WebDAV-Push discovery
 * needs (R-WDP-5, R-WDP-10, digest §2 and §3 for the dialects).
 *
 * <p>The typed accessors look only at properties in a {@code 2xx} propstat and are empty when the
 * property is absent or in another propstat (a {@code 404} propstat means "not supported": {@link
 * #status(PropertyName)} tells). They interpret content leniently (older names and the {@code
 * DAV:Push} namespace, {@code push-transports} with {@code transport} wrappers, {@code
 * server-public-key}, {@code D:sync-level}, {@code infinite}; unknown children skipped) and throw
 * {@link PushXmlException} with the property's line and column when the content cannot be
 * understood at all (for example a VAPID key that is not a P-256 point).
 *
 * <p>Thread safety: immutable.
 */
public final class DavResponse {
  private final String href;
  private final int responseStatus;
  private final Map<PropertyName, Node> values;
  private final Map<PropertyName, Integer> statuses;

  DavResponse(
      String href,
      int responseStatus,
      Map<PropertyName, Node> values,
      Map<PropertyName, Integer> statuses) {
    this.href = href;
    this.responseStatus = responseStatus;
    this.values = Map.copyOf(values);
    this.statuses = Map.copyOf(statuses);
  }

  /**
   * The first {@code DAV:href} of the response, exactly as sent (surrounding white space stripped,
   * percent-encoding kept).
   *
   * @return the href; empty if the response had none
   */
  public String href() {
    return href;
  }

  /**
   * The response-level {@code DAV:status}, present when the response has no propstat (for example
   * {@code 404} for a missing resource).
   *
   * @return the status code; empty if the response carries none
   */
  public OptionalInt responseStatus() {
    return responseStatus < 0 ? OptionalInt.empty() : OptionalInt.of(responseStatus);
  }

  /**
   * The status of the propstat that holds a property.
   *
   * @param name the property
   * @return the code ({@code 200} also for the sample form without propstat; {@code 0} if the
   *     status line was unreadable); empty if the response does not mention the property
   */
  public OptionalInt status(PropertyName name) {
    Integer s = statuses.get(requireNonNull(name, "name"));
    return s == null ? OptionalInt.empty() : OptionalInt.of(s);
  }

  /**
   * All properties the response mentions, with their statuses.
   *
   * @return an unmodifiable map
   */
  public Map<PropertyName, Integer> statuses() {
    return statuses;
  }

  /**
   * The text of a simple property in a {@code 2xx} propstat, stripped of surrounding white space.
   *
   * @param name the property
   * @return the text (empty string for an empty element); empty if absent or not 2xx
   */
  public Optional<String> text(PropertyName name) {
    Node n = values.get(requireNonNull(name, "name"));
    return n == null ? Optional.empty() : Optional.of(n.trimmedText());
  }

  /**
   * {@code DAV:sync-token} (RFC 6578 §6.1).
   *
   * @return the token; empty if absent, empty text, or not 2xx
   */
  public Optional<String> syncToken() {
    return text(PropertyName.SYNC_TOKEN).filter(s -> !s.isEmpty());
  }

  /**
   * The children of {@code DAV:resourcetype} (RFC 4918 §15.9), for example {@code DAV:collection}
   * or {@code urn:ietf:params:xml:ns:caldav:calendar}.
   *
   * @return the resource types; empty if absent or not 2xx
   */
  public Set<PropertyName> resourceTypes() {
    Node n = values.get(PropertyName.of("DAV:", "resourcetype"));
    if (n == null) {
      return Set.of();
    }
    Set<PropertyName> out = new LinkedHashSet<>();
    for (Node c : n.children()) {
      out.add(PropertyName.of(c.namespaceUri(), c.localName()));
    }
    return Set.copyOf(out);
  }

  /**
   * The WebDAV-Push {@code topic} (R-WDP-8); the presence of a topic is what tells that a resource
   * supports push (digest ambiguity A-23).
   *
   * @return the topic; empty if absent or not 2xx
   * @throws PushXmlException if the topic is empty, longer than 1024 characters, or holds control
   *     characters
   */
  public Optional<Topic> topic() {
    Node n = property(Names.PUSH, "topic");
    if (n == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Topic.of(n.trimmedText()));
    } catch (IllegalArgumentException e) {
      throw new PushXmlException("topic: " + e.getMessage(), n.line(), n.column(), e);
    }
  }

  /**
   * The WebDAV-Push {@code transports} (R-WDP-7, R-WDP-49, R-WDP-51; any number: digest ambiguity
   * A-3), also read from the legacy {@code push-transports} with {@code transport} wrappers. {@code
   * web-push} becomes a {@link WebPushTransportDescriptor} with the {@code vapid-public-key} (or
   * legacy {@code server-public-key}); any other transport a {@link ForeignTransportDescriptor}
   * holding its XML.
   *
   * @return the transports in document order; empty if the property is absent or not 2xx
   * @throws PushXmlException if a VAPID key is not base64url of a P-256 point on the curve
   */
  public Optional<List<TransportDescriptor>> transports() {
    Node n = property(Names.PUSH, "transports", "push-transports");
    if (n == null) {
      return Optional.empty();
    }
    List<TransportDescriptor> out = new ArrayList<>();
    for (Node c : n.children()) {
      if (c.is(Names.PUSH, "transport")) {
        for (Node inner : c.children()) {
          out.add(transport(inner));
        }
      } else {
        out.add(transport(c));
      }
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * The WebDAV-Push {@code supported-triggers} (R-WDP-9): the maximum depth per trigger kind. A
   * kind without depth reads as {@code 1} for content updates and {@code 0} for property updates
   * (the first 2025 drafts had an empty {@code content-update}); a kind whose depth is not
   * understood is skipped.
   *
   * @return the supported triggers; empty if absent or not 2xx
   * @throws PushXmlException if the property lists no understood trigger
   */
  public Optional<SupportedTriggers> supportedTriggers() {
    Node n = property(Names.PUSH, "supported-triggers");
    if (n == null) {
      return Optional.empty();
    }
    Depth content = null;
    Depth property = null;
    for (Node c : n.children()) {
      if (content == null && c.is(Names.PUSH, "content-update")) {
        content = Triggers.depth(c, Depth.ONE);
      } else if (property == null && c.is(Names.PUSH, "property-update")) {
        property = Triggers.depth(c, Depth.ZERO);
      }
    }
    if (content == null && property == null) {
      throw new PushXmlException(
          "supported-triggers lists no understood trigger (R-WDP-9)", n.line(), n.column());
    }
    return Optional.of(SupportedTriggers.of(content, property));
  }

  /**
   * Apple's {@code CS:push-transports} (caldav-pubsubdiscovery §3.1, R-APPLE-1/2).
   *
   * @return the transports in document order; empty if absent or not 2xx
   */
  public Optional<List<ApplePushTransport>> applePushTransports() {
    Node n = values.get(ApplePush.PUSH_TRANSPORTS);
    if (n == null) {
      return Optional.empty();
    }
    return Optional.of(ApplePush.readTransports(n));
  }

  /**
   * Apple's {@code CS:pushkey} (caldav-pubsubdiscovery §3.2, R-APPLE-3): an opaque string.
   *
   * @return the push key; empty if absent, empty, or not 2xx
   */
  public Optional<String> applePushKey() {
    return text(ApplePush.PUSHKEY).filter(s -> !s.isEmpty());
  }

  /**
   * The CalConnect CC/CD 70025 (draft-gajda-dav-push) discovery properties (digest §2, R-GAJ-7).
   *
   * @return the properties; empty if none of {@code push-subscribe-URL}/{@code subscribe-URL},
   *     {@code supported-transport-set}, {@code topic}, {@code push-version}/{@code version} is
   *     present with 2xx
   */
  public Optional<CalConnectDiscovery> calConnectDiscovery() {
    return CalConnectDiscovery.fromProperties(values);
  }

  private @Nullable Node property(List<String> namespaces, String... locals) {
    for (String ns : namespaces) {
      for (String l : locals) {
        Node n = values.get(PropertyName.of(ns, l));
        if (n != null) {
          return n;
        }
      }
    }
    return null;
  }

  private static TransportDescriptor transport(Node t) {
    if (t.is(Names.PUSH, "web-push")) {
      Node key = t.child(Names.PUSH, "vapid-public-key", "server-public-key");
      if (key == null || key.trimmedText().isEmpty()) {
        return new WebPushTransportDescriptor(null);
      }
      try {
        return new WebPushTransportDescriptor(P256PublicKey.fromBase64Url(key.trimmedText()));
      } catch (IllegalArgumentException e) {
        throw new PushXmlException(
            "vapid-public-key: " + e.getMessage(), key.line(), key.column(), e);
      }
    }
    return new ForeignTransportDescriptor(t.namespaceUri(), t.localName(), Fragments.serialize(t));
  }

  @Override
  public String toString() {
    return "DavResponse[href=" + href + ", properties=" + statuses + "]";
  }
}
