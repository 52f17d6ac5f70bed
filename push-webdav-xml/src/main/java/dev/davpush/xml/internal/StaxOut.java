package dev.davpush.xml.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes elements into a caller's {@link XMLStreamWriter}, repairing or not: reuses the prefix the
 * caller bound to a namespace, and otherwise declares one on the element itself.
 *
 * <p>Thread safety: not thread-safe, like the {@link XMLStreamWriter} it wraps.
 */
public final class StaxOut {
  private final XMLStreamWriter w;

  /**
   * Wraps a writer.
   *
   * @param w the caller's writer; not closed or flushed by this class
   */
  public StaxOut(XMLStreamWriter w) {
    this.w = w;
  }

  /**
   * Starts an element (or writes an empty one) in {@code ns}, preferring {@code prefix}.
   *
   * @param ns the namespace URI; empty for no namespace
   * @param local the local name
   * @param preferredPrefix the prefix to declare if the caller bound none to {@code ns}; a digit is
   *     appended while it is bound to another namespace
   * @param empty true for an empty element (no {@link #end()} follows)
   * @return this writer
   * @throws XMLStreamException if the writer fails
   */
  public StaxOut start(String ns, String local, String preferredPrefix, boolean empty)
      throws XMLStreamException {
    NamespaceContext ctx = w.getNamespaceContext();
    String bound =
        ns.equals(XMLConstants.XML_NS_URI)
            ? XMLConstants.XML_NS_PREFIX
            : ctx == null ? null : ctx.getPrefix(ns);
    if (bound != null && !(bound.isEmpty() && ns.isEmpty())) {
      if (empty) {
        w.writeEmptyElement(bound, local, ns);
      } else {
        w.writeStartElement(bound, local, ns);
      }
      return this;
    }
    if (ns.isEmpty()) {
      // no namespace: only safe if the default namespace is not bound to something else
      String def = ctx == null ? null : ctx.getNamespaceURI("");
      if (empty) {
        w.writeEmptyElement("", local, "");
      } else {
        w.writeStartElement("", local, "");
      }
      if (def != null && !def.isEmpty()) {
        w.writeDefaultNamespace("");
      }
      return this;
    }
    String prefix = preferredPrefix;
    for (int i = 1; ctx != null && taken(ctx, prefix, ns); i++) {
      prefix = preferredPrefix + i;
    }
    if (empty) {
      w.writeEmptyElement(prefix, local, ns);
    } else {
      w.writeStartElement(prefix, local, ns);
    }
    w.writeNamespace(prefix, ns);
    return this;
  }

  private static boolean taken(NamespaceContext ctx, String prefix, String ns) {
    String uri = ctx.getNamespaceURI(prefix);
    return uri != null && !uri.isEmpty() && !uri.equals(ns);
  }

  /**
   * Writes an attribute without namespace on the element just started.
   *
   * @param local the attribute name
   * @param value the value, escaped by the writer
   * @return this writer
   * @throws XMLStreamException if the writer fails
   */
  public StaxOut attribute(String local, String value) throws XMLStreamException {
    w.writeAttribute(local, value);
    return this;
  }

  /**
   * Writes character data.
   *
   * @param s the text, escaped by the writer
   * @return this writer
   * @throws XMLStreamException if the writer fails
   */
  public StaxOut text(String s) throws XMLStreamException {
    w.writeCharacters(s);
    return this;
  }

  /**
   * Ends the innermost open element.
   *
   * @return this writer
   * @throws XMLStreamException if the writer fails
   */
  public StaxOut end() throws XMLStreamException {
    w.writeEndElement();
    return this;
  }

  /**
   * Writes a parsed element tree (an opaque foreign fragment): each element in its namespace
   * (reusing a prefix the caller bound, else declaring one), its attributes, its text (trimmed when
   * it has child elements) and its children. Iterative, so the depth of the tree (at most {@link
   * dev.davpush.xml.XmlLimits#MAX_DEPTH_CAP}) does not matter for the stack.
   *
   * @param root the tree
   * @throws XMLStreamException if the writer fails
   */
  public void node(Node root) throws XMLStreamException {
    Deque<Open> stack = new ArrayDeque<>();
    if (open(root)) {
      stack.push(new Open(root));
    }
    while (!stack.isEmpty()) {
      Open top = stack.peek();
      List<Node> children = top.node.children();
      if (top.next < children.size()) {
        Node c = children.get(top.next++);
        if (open(c)) {
          stack.push(new Open(c));
        }
      } else {
        stack.pop();
        w.writeEndElement();
      }
    }
  }

  /** An element whose start tag is written, with the index of its next child to write. */
  private static final class Open {
    final Node node;
    int next;

    Open(Node node) {
      this.node = node;
    }
  }

  /** Starts the element and writes attributes and text; false if it was written empty. */
  private boolean open(Node n) throws XMLStreamException {
    boolean empty = n.children().isEmpty() && n.text().isEmpty();
    start(n.namespaceUri(), n.localName(), "T", empty);
    for (Node.Attribute a : n.attributes()) {
      if (a.namespaceUri().isEmpty()) {
        w.writeAttribute(a.localName(), a.value());
      } else if (a.namespaceUri().equals(XMLConstants.XML_NS_URI)) {
        // bound by definition; declaring it is an error in some writers
        w.writeAttribute(
            XMLConstants.XML_NS_PREFIX, XMLConstants.XML_NS_URI, a.localName(), a.value());
      } else {
        NamespaceContext ctx = w.getNamespaceContext();
        String p = ctx == null ? null : ctx.getPrefix(a.namespaceUri());
        if (p == null || p.isEmpty()) {
          p = "a";
          for (int i = 1; ctx != null && taken(ctx, p, a.namespaceUri()); i++) {
            p = "a" + i;
          }
          w.writeNamespace(p, a.namespaceUri());
        }
        w.writeAttribute(p, a.namespaceUri(), a.localName(), a.value());
      }
    }
    if (empty) {
      return false;
    }
    String text = n.children().isEmpty() ? n.text() : Node.trim(n.text());
    if (!text.isEmpty()) {
      w.writeCharacters(text);
    }
    return true;
  }
}
