package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.Out;
import dev.davpush.xml.internal.SafeXml;
import dev.davpush.xml.internal.StaxOut;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The CalConnect CC/CD 70025 dialect (draft-gajda-dav-push-00, namespace {@code
 * urn:ietf:params:xml:ns:dav-push}; digest §2): discovery properties and the {@code subscribe}
 * body, read and written, and the {@code invalid-topics} error (R-GAJ-8).
 *
 * <p>No deployment of this protocol is known (digest ambiguity A-29); the readers accept the
 * inconsistent spellings of the text, the writers use the definitions' names. {@code expires} is
 * written as RFC 3339 UTC with whole seconds (the draft's JSON form) and read as RFC 3339 or an
 * HTTP date.
 *
 * <p>Thread safety: stateless.
 */
public final class CalConnect {
  /** The namespace {@value}. */
  public static final String NAMESPACE = "urn:ietf:params:xml:ns:dav-push";

  /** {@code push-subscribe-URL}. */
  public static final PropertyName PUSH_SUBSCRIBE_URL =
      PropertyName.of(NAMESPACE, "push-subscribe-URL");

  /** {@code supported-transport-set}. */
  public static final PropertyName SUPPORTED_TRANSPORT_SET =
      PropertyName.of(NAMESPACE, "supported-transport-set");

  /** {@code topic} (of this namespace, not WebDAV-Push's). */
  public static final PropertyName TOPIC = PropertyName.of(NAMESPACE, "topic");

  /** {@code push-version}. */
  public static final PropertyName PUSH_VERSION = PropertyName.of(NAMESPACE, "push-version");

  private static final List<String> NS = List.of(NAMESPACE);

  private CalConnect() {}

  /**
   * Writes the discovery properties that are set, each as one property element, in the order {@code
   * push-subscribe-URL}, {@code supported-transport-set}, {@code topic}, {@code push-version}.
   *
   * @param w the caller's writer, inside {@code DAV:prop}
   * @param discovery the values
   * @throws PushXmlException if the writer fails, or transport data is not well-formed XML or nests
   *     deeper than {@link XmlLimits#MAX_DEPTH_CAP}
   */
  public static void writeDiscovery(XMLStreamWriter w, CalConnectDiscovery discovery) {
    requireNonNull(w, "w");
    requireNonNull(discovery, "discovery");
    try {
      StaxOut out = new StaxOut(w);
      if (discovery.subscribeUrl() != null) {
        out.start(NAMESPACE, "push-subscribe-URL", "G", false);
        out.start(WebDavPush.DAV_NAMESPACE, "href", "D", false)
            .text(discovery.subscribeUrl())
            .end();
        out.end();
      }
      if (!discovery.transports().isEmpty()) {
        out.start(NAMESPACE, "supported-transport-set", "G", false);
        for (CalConnectTransport t : discovery.transports()) {
          if (t.isClientProvided()) {
            out.start(NAMESPACE, "transport", "G", true);
            continue;
          }
          out.start(NAMESPACE, "transport", "G", false);
          if (t.transportUri() != null) {
            out.start(NAMESPACE, "transport-uri", "G", false).text(t.transportUri()).end();
          }
          if (t.transportData() != null) {
            out.start(NAMESPACE, "transport-data", "G", false);
            String data = t.transportData();
            if (data.strip().startsWith("<")) {
              Node wrapper = Fragments.parse("<w>" + data + "</w>");
              for (Node c : wrapper.children()) {
                out.node(c);
              }
            } else {
              out.text(data);
            }
            out.end();
          }
          if (t.refreshInterval() != null) {
            out.start(NAMESPACE, "refresh-interval", "G", false)
                .text(Long.toString(t.refreshInterval().getSeconds()))
                .end();
          }
          out.end();
        }
        out.end();
      }
      if (discovery.topic() != null) {
        out.start(NAMESPACE, "topic", "G", false).text(discovery.topic()).end();
      }
      if (discovery.version() != null) {
        out.start(NAMESPACE, "push-version", "G", false).text(discovery.version()).end();
      }
    } catch (XMLStreamException e) {
      throw PushPropertyWriter.failed(e);
    }
  }

  /**
   * Writes a {@code subscribe} body: byte-stable UTF-8 without declaration, prefix {@code P} for
   * the dialect's namespace.
   *
   * @param subscribe the request
   * @return the bytes
   * @throws IllegalArgumentException if a value holds characters XML 1.0 cannot carry
   */
  public static byte[] writeSubscribe(CalConnectSubscribe subscribe) {
    requireNonNull(subscribe, "subscribe");
    Out out = new Out(384);
    out.raw("<P:subscribe xmlns:D=\"DAV:\" xmlns:P=\"").raw(NAMESPACE).raw("\">");
    for (String t : subscribe.topics()) {
      out.raw("<P:topic>").text(t, "topic").raw("</P:topic>");
    }
    out.raw("<P:selected-transport><P:transport-uri>")
        .text(subscribe.transportUri(), "transport-uri")
        .raw("</P:transport-uri><P:client-data>")
        .text(subscribe.clientData(), "client-data")
        .raw("</P:client-data></P:selected-transport>");
    Instant e = subscribe.expires();
    if (e != null) {
      out.raw("<P:expires>").raw(e.truncatedTo(ChronoUnit.SECONDS).toString()).raw("</P:expires>");
    }
    out.raw("</P:subscribe>");
    return out.utf8();
  }

  /**
   * Reads a {@code subscribe} body with the default limits.
   *
   * @param in the body; read to its end, not closed
   * @return the request; an {@code expires} that is neither RFC 3339 nor an HTTP date is null
   * @throws PushXmlException for malformed or hostile XML, a wrong root, no {@code topic}, or no
   *     {@code selected-transport} with {@code transport-uri}
   */
  public static CalConnectSubscribe readSubscribe(InputStream in) {
    Node root = SafeXml.parse(requireNonNull(in, "in"), XmlLimits.defaults());
    if (!root.is(NAMESPACE, "subscribe")) {
      throw new PushXmlException(
          "expected root element {" + NAMESPACE + "}subscribe, got " + root,
          root.line(),
          root.column());
    }
    List<String> topics = new ArrayList<>();
    for (Node t : root.children(NS, "topic")) {
      if (!t.trimmedText().isEmpty()) {
        topics.add(t.trimmedText());
      }
    }
    if (topics.isEmpty()) {
      throw new PushXmlException("subscribe holds no topic", root.line(), root.column());
    }
    Node sel = root.child(NS, "selected-transport", "transport");
    Node uri = sel == null ? null : sel.child(NS, "transport-uri");
    if (sel == null || uri == null || uri.trimmedText().isEmpty()) {
      throw new PushXmlException(
          "subscribe holds no selected-transport with transport-uri", root.line(), root.column());
    }
    Node data = sel.child(NS, "client-data");
    Instant expires = null;
    Node e = root.child(NS, "expires");
    if (e != null) {
      Optional<Instant> t = HttpDates.parseRfc3339(e.trimmedText());
      expires = t.or(() -> HttpDates.parse(e.trimmedText())).orElse(null);
    }
    return new CalConnectSubscribe(
        topics, uri.trimmedText(), data == null ? "" : data.trimmedText(), expires);
  }

  /**
   * Writes the {@code DAV:error} body naming the topics a {@code subscribe} was refused for
   * (R-GAJ-8): {@code <D:error
   * …><P:invalid-topics><P:topic>…</P:topic></P:invalid-topics></D:error>}.
   *
   * @param topics the invalid topics, at least one
   * @return UTF-8 bytes without declaration
   * @throws IllegalArgumentException if no topic is given or one holds characters XML cannot carry
   */
  public static byte[] writeInvalidTopics(Collection<String> topics) {
    requireNonNull(topics, "topics");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("topics: at least one topic is required");
    }
    Out out = new Out(256);
    out.raw("<D:error xmlns:D=\"DAV:\" xmlns:P=\"").raw(NAMESPACE).raw("\"><P:invalid-topics>");
    for (String t : topics) {
      out.raw("<P:topic>").text(requireNonNull(t, "topic"), "topic").raw("</P:topic>");
    }
    out.raw("</P:invalid-topics></D:error>");
    return out.utf8();
  }
}
