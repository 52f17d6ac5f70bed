package dev.davpush.xml.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One element of a parsed document: qualified name, attributes, the concatenation of its direct
 * text children, its child elements and where its start tag was. Immutable once the parser has
 * finished; readers navigate it to be lenient about order and unknown elements.
 *
 * <p>Thread safety: safe to read from several threads once the parser has returned it (it is not
 * modified afterwards); not while it is being built.
 */
public final class Node {
  /**
   * One attribute (namespace declarations are not attributes).
   *
   * <p>Thread safety: immutable.
   *
   * @param namespaceUri the namespace URI, empty for none
   * @param localName the local name
   * @param value the normalised value
   */
  public record Attribute(String namespaceUri, String localName, String value) {}

  private final String namespaceUri;
  private final String localName;
  private final List<Attribute> attributes;
  private final int line;
  private final int column;
  private final List<Node> children = new ArrayList<>(4);
  private @Nullable StringBuilder textBuilder;
  private String text = "";

  Node(String namespaceUri, String localName, List<Attribute> attributes, int line, int column) {
    this.namespaceUri = namespaceUri;
    this.localName = localName;
    this.attributes = attributes;
    this.line = line;
    this.column = column;
  }

  /**
   * Builds a node by hand (for writers and tests); its position is unknown (-1).
   *
   * @param namespaceUri the namespace URI, empty for none
   * @param localName the local name
   * @param attributes the attributes; copied
   * @param text the direct text content
   * @param children the child elements; copied
   * @return the node
   */
  public static Node of(
      String namespaceUri,
      String localName,
      List<Attribute> attributes,
      String text,
      List<Node> children) {
    Node n = new Node(namespaceUri, localName, List.copyOf(attributes), -1, -1);
    n.text = text;
    n.children.addAll(children);
    return n;
  }

  int appendText(String s) {
    if (textBuilder == null) {
      if (text.isEmpty()) {
        text = s;
        return s.length();
      }
      textBuilder = new StringBuilder(text);
    }
    textBuilder.append(s);
    return textBuilder.length();
  }

  int textLength() {
    return textBuilder == null ? text.length() : textBuilder.length();
  }

  void finish() {
    if (textBuilder != null) {
      text = textBuilder.toString();
      textBuilder = null;
    }
  }

  void add(Node child) {
    children.add(child);
  }

  /**
   * The element's namespace.
   *
   * @return the namespace URI; empty for no namespace
   */
  public String namespaceUri() {
    return namespaceUri;
  }

  /**
   * The element's local name.
   *
   * @return the name without prefix
   */
  public String localName() {
    return localName;
  }

  /**
   * The attributes, namespace declarations excluded.
   *
   * @return in document order; unmodifiable for parsed nodes
   */
  public List<Attribute> attributes() {
    return attributes;
  }

  /**
   * Value of the attribute without namespace with this local name.
   *
   * @param local the attribute name
   * @return the value, or null if absent
   */
  public @Nullable String attribute(String local) {
    for (Attribute a : attributes) {
      if (a.namespaceUri().isEmpty() && a.localName().equals(local)) {
        return a.value();
      }
    }
    return null;
  }

  /**
   * Where the start tag is.
   *
   * @return 1-based line of the start tag, -1 if unknown
   */
  public int line() {
    return line;
  }

  /**
   * Where the start tag is.
   *
   * @return 1-based column of the start tag, -1 if unknown
   */
  public int column() {
    return column;
  }

  /**
   * The concatenated direct text content, as read.
   *
   * @return possibly empty; text inside child elements excluded
   */
  public String text() {
    return text;
  }

  /**
   * The text with XML white space (space, tab, CR, LF) stripped at both ends.
   *
   * @return possibly empty
   */
  public String trimmedText() {
    return trim(text);
  }

  /**
   * The child elements.
   *
   * @return in document order; callers must not modify it
   */
  public List<Node> children() {
    return children;
  }

  /**
   * Whether this element has one of the namespaces and the local name.
   *
   * @param namespaces accepted namespace URIs
   * @param local the local name
   * @return true on a match
   */
  public boolean is(List<String> namespaces, String local) {
    return localName.equals(local) && namespaces.contains(namespaceUri);
  }

  /**
   * Whether this element has the namespace and the local name.
   *
   * @param namespace the namespace URI
   * @param local the local name
   * @return true on a match
   */
  public boolean is(String namespace, String local) {
    return localName.equals(local) && namespaceUri.equals(namespace);
  }

  /**
   * The first child in one of the namespaces with one of the local names.
   *
   * @param namespaces accepted namespace URIs
   * @param locals accepted local names
   * @return the child, or null if none matches
   */
  public @Nullable Node child(List<String> namespaces, String... locals) {
    for (Node c : children) {
      if (namespaces.contains(c.namespaceUri)) {
        for (String l : locals) {
          if (c.localName.equals(l)) {
            return c;
          }
        }
      }
    }
    return null;
  }

  /**
   * All children in one of the namespaces with one of the local names.
   *
   * @param namespaces accepted namespace URIs
   * @param locals accepted local names
   * @return the matches in document order; a new list, possibly empty
   */
  public List<Node> children(List<String> namespaces, String... locals) {
    List<Node> out = new ArrayList<>(2);
    for (Node c : children) {
      if (namespaces.contains(c.namespaceUri)) {
        for (String l : locals) {
          if (c.localName.equals(l)) {
            out.add(c);
            break;
          }
        }
      }
    }
    return out;
  }

  /**
   * The trimmed text of an optional node.
   *
   * @param n a node, or null
   * @return its trimmed text, or null if the node is absent or its text is empty
   */
  public static @Nullable String nonEmptyText(@Nullable Node n) {
    if (n == null) {
      return null;
    }
    String t = n.trimmedText();
    return t.isEmpty() ? null : t;
  }

  /**
   * The text of an optional node read as whole non-negative seconds, as in the Apple and CalConnect
   * {@code refresh-interval} elements.
   *
   * @param n a node, or null
   * @return the duration, or null if the node is absent, empty, negative or not a decimal {@code
   *     long}
   */
  public static @Nullable Duration nonNegativeSeconds(@Nullable Node n) {
    String text = nonEmptyText(n);
    if (text == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(text);
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Strips XML white space (space, tab, CR, LF) at both ends.
   *
   * @param s the text
   * @return the stripped text
   */
  public static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isXmlSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isXmlSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isXmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  @Override
  public String toString() {
    return "{" + namespaceUri + "}" + localName;
  }
}
