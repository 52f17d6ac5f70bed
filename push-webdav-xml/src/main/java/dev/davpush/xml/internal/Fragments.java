package dev.davpush.xml.internal;

import dev.davpush.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;

/** Opaque XML fragments: serialises a parsed element canonically and parses fragments back. */
public final class Fragments {
  private Fragments() {}

  /**
   * Serialises an element: the root declares its default namespace, descendants declare it only
   * where it changes; attributes in the XML namespace ({@code xml:lang}, {@code xml:space}…) keep
   * the reserved prefix {@code xml}, which is never declared; other namespaced attributes get
   * prefixes {@code a0}, {@code a1}… declared on the same element; white-space-only
   * text beside child elements is dropped. Byte-stable for the same tree.
   */
  public static String serialize(Node node) {
    Out out = new Out(256);
    write(out, node, null);
    return out.toString();
  }

  /**
   * Limits for re-parsing fragments: they come from {@link #serialize} of a tree a reader already
   * accepted (under whatever {@link XmlLimits} its caller chose) or from the application itself,
   * so only the depth cap that keeps trees walkable applies.
   */
  static final XmlLimits TRUSTED = XmlLimits.builder()
      .maxDepth(XmlLimits.MAX_DEPTH_CAP)
      .maxTextLength(Integer.MAX_VALUE)
      .maxAttributeCount(Integer.MAX_VALUE)
      .maxInputBytes(Integer.MAX_VALUE)
      .maxElements(Integer.MAX_VALUE)
      .build();

  /**
   * Parses a fragment produced by {@link #serialize} (or any single well-formed element) with
   * the {@link #TRUSTED} limits, so that anything read with larger limits than the defaults can
   * be written back.
   *
   * @throws dev.davpush.xml.PushXmlException if it is not one well-formed element or nests
   *     deeper than {@link XmlLimits#MAX_DEPTH_CAP}
   */
  public static Node parse(String xml) {
    return SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), TRUSTED);
  }

  private static void write(Out out, Node n, String inherited) {
    out.raw("<").raw(n.localName());
    if (!n.namespaceUri().equals(inherited)) {
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
        out.raw(" xmlns:").raw(p).raw("=\"").attr(a.namespaceUri(), "namespace").raw("\" ")
            .raw(p).raw(":").raw(a.localName()).raw("=\"").attr(a.value(), "attribute").raw("\"");
      }
    }
    String text = n.children().isEmpty() ? n.text() : Node.trim(n.text());
    if (text.isEmpty() && n.children().isEmpty()) {
      out.raw("/>");
      return;
    }
    out.raw(">").text(text, "text");
    for (Node c : n.children()) {
      write(out, c, n.namespaceUri());
    }
    out.raw("</").raw(n.localName()).raw(">");
  }
}
