package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.xml.internal.Names;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.SafeXml;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code 207 Multi-Status} body (RFC 4918 §13, §14.16) into one {@link DavResponse} per
 * {@code DAV:response}, client side, for WebDAV-Push discovery (R-WDP-5, R-WDP-10).
 *
 * <p>Each property is recorded with the status of its {@code DAV:propstat}, so a property in a
 * {@code 404} propstat (not supported) is visible through {@link DavResponse#status}. Lenient: the
 * draft's sample puts {@code DAV:prop} directly into {@code DAV:response} without {@code propstat}
 * (digest ambiguity A-10) — read as status {@code 200}; a {@code propstat} without {@code status}
 * counts as {@code 200}; a property listed in several propstats keeps the first; unknown elements
 * are skipped. The content of the push properties is interpreted only when asked for ({@link
 * DavResponse#transports()} …), so one peculiar property does not spoil the others.
 *
 * <p>Errors: malformed or hostile XML, exceeded limits, or a root other than {@code
 * DAV:multistatus} give {@link PushXmlException}. The default {@link XmlLimits} allow 10,000
 * elements and 1 MiB: pass larger limits for a {@code Depth: 1} listing of a big collection.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class MultistatusReader {
  private static final Pattern STATUS =
      Pattern.compile("\\s*HTTP/\\S+\\s+(\\d{3})(?:\\s.*)?", Pattern.DOTALL);

  private MultistatusReader() {}

  /**
   * Reads a multistatus with the default limits.
   *
   * @param in the response body; read to its end, not closed
   * @return the responses in document order; possibly empty
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   */
  public static List<DavResponse> read(InputStream in) {
    return read(in, XmlLimits.defaults());
  }

  /**
   * Reads a multistatus.
   *
   * @param in the response body; read to its end, not closed
   * @param limits the limits to apply
   * @return the responses in document order; possibly empty
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   */
  public static List<DavResponse> read(InputStream in, XmlLimits limits) {
    requireNonNull(in, "in");
    requireNonNull(limits, "limits");
    Node root = SafeXml.parse(in, limits);
    if (!root.is(Names.DAV, "multistatus")) {
      throw new PushXmlException(
          "expected root element {DAV:}multistatus, got " + root, root.line(), root.column());
    }
    List<DavResponse> out = new ArrayList<>();
    for (Node r : root.children(Names.DAV, "response")) {
      out.add(response(r));
    }
    return List.copyOf(out);
  }

  /**
   * Reads a multistatus from bytes with the default limits.
   *
   * @param body the response body
   * @return the responses in document order
   * @throws PushXmlException as {@link #read(InputStream)}
   */
  public static List<DavResponse> read(byte[] body) {
    return read(new ByteArrayInputStream(requireNonNull(body, "body")));
  }

  private static DavResponse response(Node r) {
    Node href = r.child(Names.DAV, "href");
    Map<PropertyName, Node> values = new LinkedHashMap<>();
    Map<PropertyName, Integer> statuses = new LinkedHashMap<>();
    for (Node c : r.children()) {
      if (c.is(Names.DAV, "propstat")) {
        Node prop = c.child(Names.DAV, "prop");
        Node st = c.child(Names.DAV, "status");
        int status = st == null ? 200 : status(st.trimmedText());
        if (prop != null) {
          collect(prop, status, values, statuses);
        }
      } else if (c.is(Names.DAV, "prop")) {
        collect(c, 200, values, statuses);
      }
    }
    Node rs = r.child(Names.DAV, "status");
    int responseStatus = rs == null ? -1 : status(rs.trimmedText());
    return new DavResponse(
        href == null ? "" : href.trimmedText(), responseStatus, values, statuses);
  }

  private static void collect(
      Node prop, int status, Map<PropertyName, Node> values, Map<PropertyName, Integer> statuses) {
    for (Node p : prop.children()) {
      PropertyName name;
      try {
        name = PropertyName.of(p.namespaceUri(), p.localName());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (statuses.containsKey(name)) {
        continue;
      }
      statuses.put(name, status);
      if (status >= 200 && status < 300) {
        values.put(name, p);
      }
    }
  }

  /** The status code of a {@code DAV:status} line, or 0 if unreadable. */
  static int status(String line) {
    Matcher m = STATUS.matcher(line);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
