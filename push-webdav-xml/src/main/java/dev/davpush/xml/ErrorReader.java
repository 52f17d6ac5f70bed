package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.Precondition;
import dev.davpush.xml.internal.Names;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.SafeXml;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads the WebDAV-Push preconditions out of a {@code DAV:error} body (RFC 4918 §16,
 * draft-bitfire-webdav-push §3.1.3), client side.
 *
 * <p>Accepts every spelling of each precondition ({@link Precondition#elementNames()}; for the
 * trigger precondition {@code no-supported-trigger}, {@code no-trigger-supported} and {@code
 * trigger-not-supported}: digest ambiguity A-1), in the current or the {@code DAV:Push} namespace;
 * other conditions and text are ignored.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class ErrorReader {
  private ErrorReader() {}

  /**
   * Reads the preconditions of an error body.
   *
   * @param body the response body
   * @return the preconditions found; empty if the error names none of them
   * @throws PushXmlException for malformed or hostile XML, exceeded limits, or a root other than
   *     {@code DAV:error}
   */
  public static Set<Precondition> read(byte[] body) {
    return fromTree(SafeXml.parse(requireNonNull(body, "body"), XmlLimits.defaults()));
  }

  /**
   * Reads the preconditions of an error body from a stream.
   *
   * @param in the response body; read to its end, not closed
   * @return the preconditions found
   * @throws PushXmlException as {@link #read(byte[])}
   */
  public static Set<Precondition> read(InputStream in) {
    return fromTree(SafeXml.parse(requireNonNull(in, "in"), XmlLimits.defaults()));
  }

  private static Set<Precondition> fromTree(Node root) {
    if (!root.is(Names.DAV, "error")) {
      throw new PushXmlException(
          "expected root element {DAV:}error, got " + root, root.line(), root.column());
    }
    Set<Precondition> found = EnumSet.noneOf(Precondition.class);
    for (Node c : root.children()) {
      if (!Names.PUSH.contains(c.namespaceUri())) {
        continue;
      }
      for (Precondition p : Precondition.values()) {
        if (p.elementNames().contains(c.localName())) {
          found.add(p);
        }
      }
    }
    return Set.copyOf(found);
  }
}
