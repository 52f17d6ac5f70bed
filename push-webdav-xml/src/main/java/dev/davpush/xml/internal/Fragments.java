package dev.davpush.xml.internal;

import dev.davpush.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import org.jspecify.annotations.Nullable;

/**
 * Opaque XML fragments: serialises a parsed element canonically and parses fragments back.
 *
 * <p>Thread safety: stateless; safe from any thread.
 */
public final class Fragments {
  private Fragments() {}

  /**
   * Serialises an element: the root declares its default namespace, descendants declare it only
   * where it changes; elements in the XML namespace (legal, if odd) use the reserved prefix {@code
   * xml} instead; attributes in the XML namespace ({@code xml:lang}, {@code xml:space}…) keep the
   * reserved prefix {@code xml}, which is never declared; other namespaced attributes get prefixes
   * {@code a0}, {@code a1}… declared on the same element; white-space-only text beside child
   * elements is dropped. Byte-stable for the same tree. Iterative, so any depth up to {@link
   * XmlLimits#MAX_DEPTH_CAP} fits a small stack.
   *
   * @param node the element
   * @return the element as one XML element, namespace declarations included
   * @throws IllegalArgumentException if a text or value holds characters XML 1.0 cannot carry
   */
  public static String serialize(Node node) {
    Out out = new Out(256);
    // iterative: a tree may be as deep as XmlLimits.MAX_DEPTH_CAP, and the caller's stack small
    Deque<Open> stack = new ArrayDeque<>();
    if (start(out, node, null)) {
      stack.push(new Open(node, inScope(node, null)));
    }
    while (!stack.isEmpty()) {
      Open top = stack.peek();
      List<Node> children = top.node.children();
      if (top.next < children.size()) {
        Node c = children.get(top.next++);
        if (start(out, c, top.defaultNamespace)) {
          stack.push(new Open(c, inScope(c, top.defaultNamespace)));
        }
      } else {
        stack.pop();
        out.raw("</").raw(qualifiedName(top.node)).raw(">");
      }
    }
    return out.toString();
  }

  /**
   * An element whose start tag is written: the default namespace in scope inside it (null if none
   * was declared) and the index of its next child to write.
   */
  private static final class Open {
    final Node node;
    final @Nullable String defaultNamespace;
    int next;

    Open(Node node, @Nullable String defaultNamespace) {
      this.node = node;
      this.defaultNamespace = defaultNamespace;
    }
  }

  /** Elements in the XML namespace use the reserved prefix; all others the default namespace. */
  private static boolean inXmlNamespace(Node n) {
    return n.namespaceUri().equals(XMLConstants.XML_NS_URI);
  }

  private static String qualifiedName(Node n) {
    return inXmlNamespace(n) ? XMLConstants.XML_NS_PREFIX + ":" + n.localName() : n.localName();
  }

  /** The default namespace in scope inside {@code n}, given the one in scope around it. */
  private static @Nullable String inScope(Node n, @Nullable String around) {
    return inXmlNamespace(n) ? around : n.namespaceUri();
  }

  /**
   * Limits for re-parsing fragments: they come from {@link #serialize} of a tree a reader already
   * accepted (under whatever {@link XmlLimits} its caller chose) or from the application itself, so
   * only the depth cap that keeps trees walkable applies.
   */
  static final XmlLimits TRUSTED =
      XmlLimits.builder()
          .maxDepth(XmlLimits.MAX_DEPTH_CAP)
          .maxTextLength(Integer.MAX_VALUE)
          .maxAttributeCount(Integer.MAX_VALUE)
          .maxInputBytes(Integer.MAX_VALUE)
          .maxElements(Integer.MAX_VALUE)
          .build();

  /**
   * Parses a fragment produced by {@link #serialize} (or any single well-formed element) with the
   * {@link #TRUSTED} limits, so that anything read with larger limits than the defaults can be
   * written back.
   *
   * @param xml the fragment
   * @return its root element
   * @throws dev.davpush.xml.PushXmlException if it is not one well-formed element or nests deeper
   *     than {@link XmlLimits#MAX_DEPTH_CAP}
   */
  public static Node parse(String xml) {
    return SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), TRUSTED);
  }

  /**
   * Writes the start tag and the text; returns false if the element was written as an empty element
   * (nothing left to close).
   */
  private static boolean start(Out out, Node n, @Nullable String inherited) {
    out.raw("<").raw(qualifiedName(n));
    if (!inXmlNamespace(n) && !n.namespaceUri().equals(inherited)) {
      out.raw(" xmlns=\"").attr(n.namespaceUri(), "namespace").raw("\"");
    }
    int prefix = 0;
    for (Node.Attribute a : n.attributes()) {
      if (a.namespaceUri().isEmpty()) {
        out.raw(" ").raw(a.localName()).raw("=\"").attr(a.value(), "attribute").raw("\"");
      } else if (a.namespaceUri().equals(XMLConstants.XML_NS_URI)) {
        // the xml prefix is bound by definition and must never be declared (Namespaces in XML §3)
        out.raw(" xml:").raw(a.localName()).raw("=\"").attr(a.value(), "attribute").raw("\"");
      } else {
        String p = "a" + prefix++;
        out.raw(" xmlns:")
            .raw(p)
            .raw("=\"")
            .attr(a.namespaceUri(), "namespace")
            .raw("\" ")
            .raw(p)
            .raw(":")
            .raw(a.localName())
            .raw("=\"")
            .attr(a.value(), "attribute")
            .raw("\"");
      }
    }
    String text = n.children().isEmpty() ? n.text() : Node.trim(n.text());
    if (text.isEmpty() && n.children().isEmpty()) {
      out.raw("/>");
      return false;
    }
    out.raw(">").text(text, "text");
    return true;
  }
}
