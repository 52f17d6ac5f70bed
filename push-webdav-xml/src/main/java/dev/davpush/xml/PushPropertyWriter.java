package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.ForeignTransportDescriptor;
import dev.davpush.P256PublicKey;
import dev.davpush.PushProperties;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.xml.internal.Fragments;
import dev.davpush.xml.internal.Out;
import dev.davpush.xml.internal.StaxOut;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the three WebDAV-Push discovery properties (draft-bitfire-webdav-push §2.1, R-WDP-5,
 * R-WDP-9, R-WDP-49, R-WDP-51) into a caller's {@link XMLStreamWriter}, server side: the caller
 * writes the surrounding {@code DAV:multistatus}, {@code DAV:response}, {@code DAV:propstat} and
 * {@code DAV:prop}; each method here writes exactly one property element.
 *
 * <p>Namespaces: if the caller bound a prefix (or the default namespace) to {@code
 * https://bitfire.at/webdav-push} or {@code DAV:}, it is used; otherwise the property element
 * declares {@code P} (or {@code D}, or a numbered variant if those letters are taken). Works with
 * repairing and non-repairing writers, the JDK's default {@code XMLOutputFactory} and Woodstox's.
 *
 * <p>Output (with {@code P} and {@code D} bound by the caller):
 *
 * <pre>{@code
 * <P:transports><P:web-push><P:vapid-public-key type="p256ecdsa">BA1H…</P:vapid-public-key></P:web-push></P:transports>
 * <P:topic>O7M1nQ7cKkKTKsoS_j6Z3w</P:topic>
 * <P:supported-triggers><P:content-update><D:depth>1</D:depth></P:content-update><P:property-update><D:depth>0</D:depth></P:property-update></P:supported-triggers>
 * }</pre>
 *
 * <p>Errors: a failure of the caller's writer is rethrown as {@link PushXmlException} (line and
 * column -1) with the writer's exception as cause.
 *
 * <p>Thread safety: stateless; the writer passed in is used by one thread at a time as usual.
 */
public final class PushPropertyWriter {
  private PushPropertyWriter() {}

  /**
   * Writes {@code transports}: each descriptor in order; {@code web-push} with its {@code
   * vapid-public-key type="p256ecdsa"} if it has one, foreign transports as their XML.
   *
   * @param w the caller's writer, positioned inside {@code DAV:prop}
   * @param transports the transports, possibly empty
   * @throws PushXmlException if the writer fails, or a foreign descriptor's XML is not well-formed
   *     or nests deeper than {@link XmlLimits#MAX_DEPTH_CAP}
   */
  public static void writeTransports(XMLStreamWriter w, List<TransportDescriptor> transports) {
    requireNonNull(w, "w");
    requireNonNull(transports, "transports");
    try {
      StaxOut out = new StaxOut(w);
      out.start(WebDavPush.NAMESPACE, "transports", "P", transports.isEmpty());
      if (transports.isEmpty()) {
        return;
      }
      for (TransportDescriptor t : transports) {
        if (t instanceof WebPushTransportDescriptor web) {
          P256PublicKey key = web.vapidPublicKey();
          out.start(WebDavPush.NAMESPACE, "web-push", "P", key == null);
          if (key != null) {
            out.start(WebDavPush.NAMESPACE, "vapid-public-key", "P", false)
                .attribute("type", "p256ecdsa")
                .text(key.toBase64Url())
                .end();
            out.end();
          }
        } else if (t instanceof ForeignTransportDescriptor f) {
          out.node(Fragments.parse(f.xml()));
        }
      }
      out.end();
    } catch (XMLStreamException e) {
      throw failed(e);
    }
  }

  /**
   * Writes {@code topic}.
   *
   * @param w the caller's writer, positioned inside {@code DAV:prop}
   * @param topic the topic
   * @throws PushXmlException if the writer fails
   * @throws IllegalArgumentException if the topic holds characters XML 1.0 cannot carry
   */
  public static void writeTopic(XMLStreamWriter w, Topic topic) {
    requireNonNull(w, "w");
    requireNonNull(topic, "topic");
    Out.checkChars(topic.value(), "topic");
    try {
      new StaxOut(w).start(WebDavPush.NAMESPACE, "topic", "P", false).text(topic.value()).end();
    } catch (XMLStreamException e) {
      throw failed(e);
    }
  }

  /**
   * Writes {@code supported-triggers}: {@code content-update} then {@code property-update}, each
   * with its maximum {@code DAV:depth}.
   *
   * @param w the caller's writer, positioned inside {@code DAV:prop}
   * @param triggers the supported triggers
   * @throws PushXmlException if the writer fails
   */
  public static void writeSupportedTriggers(XMLStreamWriter w, SupportedTriggers triggers) {
    requireNonNull(w, "w");
    requireNonNull(triggers, "triggers");
    try {
      StaxOut out = new StaxOut(w);
      out.start(WebDavPush.NAMESPACE, "supported-triggers", "P", false);
      if (triggers.contentUpdate().isPresent()) {
        kind(out, "content-update", triggers.contentUpdate().get());
      }
      if (triggers.propertyUpdate().isPresent()) {
        kind(out, "property-update", triggers.propertyUpdate().get());
      }
      out.end();
    } catch (XMLStreamException e) {
      throw failed(e);
    }
  }

  /**
   * Writes all three properties in the order {@code transports}, {@code topic}, {@code
   * supported-triggers}.
   *
   * @param w the caller's writer, positioned inside {@code DAV:prop}
   * @param properties the engine's answer for the resource
   * @throws PushXmlException if the writer fails
   */
  public static void writeProperties(XMLStreamWriter w, PushProperties properties) {
    requireNonNull(properties, "properties");
    writeTransports(w, properties.transports());
    writeTopic(w, properties.topic());
    writeSupportedTriggers(w, properties.supportedTriggers());
  }

  private static void kind(StaxOut out, String name, Depth depth) throws XMLStreamException {
    out.start(WebDavPush.NAMESPACE, name, "P", false);
    out.start(WebDavPush.DAV_NAMESPACE, "depth", "D", false).text(depth.token()).end();
    out.end();
  }

  static PushXmlException failed(XMLStreamException e) {
    return new PushXmlException("the XMLStreamWriter failed: " + e.getMessage(), -1, -1, e);
  }
}
