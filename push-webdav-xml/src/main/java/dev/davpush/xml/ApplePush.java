package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.StaxOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * Apple's push discovery dialect (CalendarServer caldav-pubsubdiscovery -02, digest §3): the
 * properties {@code CS:push-transports} (on calendar and address-book homes, R-APPLE-1/2) and
 * {@code CS:pushkey} (on homes and collections, R-APPLE-3) in namespace {@code
 * http://calendarserver.org/ns/}. Reading is done by {@link DavResponse#applePushTransports()} and
 * {@link DavResponse#applePushKey()}; this class writes them into a caller's {@link
 * XMLStreamWriter} (prefix {@code CS} declared unless the caller bound one).
 *
 * <p>Thread safety: stateless.
 */
public final class ApplePush {
  /** The CalendarServer namespace {@value}. */
  public static final String NAMESPACE = "http://calendarserver.org/ns/";

  /** {@code CS:push-transports}. */
  public static final PropertyName PUSH_TRANSPORTS = PropertyName.of(NAMESPACE, "push-transports");

  /** {@code CS:pushkey}. */
  public static final PropertyName PUSHKEY = PropertyName.of(NAMESPACE, "pushkey");

  private ApplePush() {}

  /**
   * Writes {@code CS:push-transports}.
   *
   * @param w the caller's writer, inside {@code DAV:prop}
   * @param transports the transports (the DTD allows one; several are written if given)
   * @throws PushXmlException if the writer fails
   */
  public static void writePushTransports(XMLStreamWriter w, List<ApplePushTransport> transports) {
    requireNonNull(w, "w");
    requireNonNull(transports, "transports");
    try {
      StaxOut out = new StaxOut(w);
      out.start(NAMESPACE, "push-transports", "CS", false);
      for (ApplePushTransport t : transports) {
        out.start(NAMESPACE, "transport", "CS", false).attribute("type", t.type());
        if (t.subscriptionUrl() != null) {
          out.start(NAMESPACE, "subscription-url", "CS", false);
          out.start(WebDavPush.DAV_NAMESPACE, "href", "D", false).text(t.subscriptionUrl()).end();
          out.end();
        }
        simple(out, "apsbundleid", t.apsBundleId());
        simple(out, "env", t.env());
        simple(
            out,
            "refresh-interval",
            t.refreshInterval() == null ? null : Long.toString(t.refreshInterval().getSeconds()));
        simple(out, "xmpp-server", t.xmppServer());
        out.end();
      }
      out.end();
    } catch (XMLStreamException e) {
      throw PushPropertyWriter.failed(e);
    }
  }

  /**
   * Writes {@code CS:pushkey}.
   *
   * @param w the caller's writer, inside {@code DAV:prop}
   * @param pushKey the opaque key
   * @throws PushXmlException if the writer fails
   */
  public static void writePushKey(XMLStreamWriter w, String pushKey) {
    requireNonNull(w, "w");
    requireNonNull(pushKey, "pushKey");
    try {
      new StaxOut(w).start(NAMESPACE, "pushkey", "CS", false).text(pushKey).end();
    } catch (XMLStreamException e) {
      throw PushPropertyWriter.failed(e);
    }
  }

  private static void simple(StaxOut out, String name, @Nullable String value)
      throws XMLStreamException {
    if (value != null) {
      out.start(NAMESPACE, name, "CS", false).text(value).end();
    }
  }

  static List<ApplePushTransport> readTransports(Node property) {
    List<String> cs = List.of(NAMESPACE);
    List<ApplePushTransport> out = new ArrayList<>();
    for (Node t : property.children(cs, "transport")) {
      String type = t.attribute("type");
      Node sub = t.child(cs, "subscription-url");
      Node href = sub == null ? null : sub.child(List.of(WebDavPush.DAV_NAMESPACE), "href");
      String url = href != null ? href.trimmedText() : sub != null ? sub.trimmedText() : null;
      Duration refresh = Node.nonNegativeSeconds(t.child(cs, "refresh-interval"));
      out.add(
          new ApplePushTransport(
              type == null ? "" : type.strip(),
              url == null || url.isEmpty() ? null : url,
              Node.nonEmptyText(t.child(cs, "apsbundleid")),
              Node.nonEmptyText(t.child(cs, "env")),
              refresh,
              Node.nonEmptyText(t.child(cs, "xmpp-server"))));
    }
    return List.copyOf(out);
  }
}
