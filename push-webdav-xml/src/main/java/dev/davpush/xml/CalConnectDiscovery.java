package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The CalConnect CC/CD 70025 (draft-gajda-dav-push-00) discovery properties of a resource
 * (§5.2.3.1, §6.2.1; digest §2.2, R-GAJ-7): where to subscribe, the gateway transports, the
 * resource's topic and the protocol version.
 *
 * <p>Read leniently by {@link DavResponse#calConnectDiscovery()}: both {@code push-subscribe-URL}
 * (definition) and {@code subscribe-URL} (example), both {@code push-version} (DTD) and {@code
 * version} (example) — digest ambiguity A-29. Written by {@link CalConnect#writeDiscovery} with the
 * definition's names.
 *
 * <p>Thread safety: immutable.
 *
 * @param subscribeUrl the {@code DAV:href} inside {@code push-subscribe-URL}, as sent, or null
 * @param transports the {@code supported-transport-set}; copied; empty if absent
 * @param topic the {@code topic}, or null
 * @param version the {@code push-version}, or null
 */
public record CalConnectDiscovery(
    @Nullable String subscribeUrl,
    List<CalConnectTransport> transports,
    @Nullable String topic,
    @Nullable String version) {
  /**
   * Copies.
   *
   * @param subscribeUrl the {@code DAV:href} inside {@code push-subscribe-URL}, or null
   * @param transports the {@code supported-transport-set}; copied; empty if absent
   * @param topic the {@code topic}, or null
   * @param version the {@code push-version}, or null
   * @throws NullPointerException if {@code transports} or an element of it is null
   */
  public CalConnectDiscovery {
    transports = List.copyOf(requireNonNull(transports, "transports"));
  }

  static Optional<CalConnectDiscovery> fromProperties(Map<PropertyName, Node> values) {
    Node sub = first(values, "push-subscribe-URL", "subscribe-URL");
    Node set = first(values, "supported-transport-set");
    Node topic = first(values, "topic");
    Node version = first(values, "push-version", "version");
    if (sub == null && set == null && topic == null && version == null) {
      return Optional.empty();
    }
    String url = null;
    if (sub != null) {
      Node href = sub.child(List.of(WebDavPush.DAV_NAMESPACE), "href");
      url = href != null ? href.trimmedText() : sub.trimmedText();
      url = url.isEmpty() ? null : url;
    }
    List<CalConnectTransport> transports = new ArrayList<>();
    if (set != null) {
      List<String> ns = List.of(CalConnect.NAMESPACE);
      for (Node t : set.children(ns, "transport")) {
        String uri = Node.nonEmptyText(t.child(ns, "transport-uri"));
        Node data = t.child(ns, "transport-data");
        String dataText = null;
        if (data != null) {
          if (data.children().isEmpty()) {
            dataText = Node.nonEmptyText(data);
          } else {
            StringBuilder sb = new StringBuilder();
            for (Node c : data.children()) {
              sb.append(Fragments.serialize(c));
            }
            dataText = sb.toString();
          }
        }
        Duration refresh = Node.nonNegativeSeconds(t.child(ns, "refresh-interval"));
        transports.add(new CalConnectTransport(uri, dataText, refresh));
      }
    }
    return Optional.of(
        new CalConnectDiscovery(
            url, transports, Node.nonEmptyText(topic), Node.nonEmptyText(version)));
  }

  private static @Nullable Node first(Map<PropertyName, Node> values, String... locals) {
    for (String l : locals) {
      Node n = values.get(PropertyName.of(CalConnect.NAMESPACE, l));
      if (n != null) {
        return n;
      }
    }
    return null;
  }
}
