package dev.davpush.xml.internal;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import dev.davpush.PushException;
import dev.davpush.xml.PushXmlException;
import dev.davpush.xml.XmlLimits;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.io.Stax2ByteArraySource;
import org.jspecify.annotations.Nullable;

/**
 * The one place that parses untrusted XML: a Woodstox factory configured once per {@link XmlLimits}
 * (namespace-aware, no DTD, no external entities, no entity expansion beyond the five predefined
 * ones, limits from the value), an overall byte limit on the stream, and an iterative tree builder.
 * Every failure becomes a {@link PushXmlException} with line and column.
 */
public final class SafeXml {
  private static final int CACHE_LIMIT = 32;
  private static final Map<XmlLimits, XMLInputFactory> FACTORIES = new ConcurrentHashMap<>();

  private SafeXml() {}

  /**
   * The configured factory for the limits (cached; factories are thread-safe once configured).
   *
   * @param limits the limits to configure
   * @return a shared factory
   */
  public static XMLInputFactory factory(XmlLimits limits) {
    XMLInputFactory f = FACTORIES.get(limits);
    if (f != null) {
      return f;
    }
    if (FACTORIES.size() >= CACHE_LIMIT) {
      FACTORIES.clear();
    }
    return FACTORIES.computeIfAbsent(limits, SafeXml::newFactory);
  }

  private static XMLInputFactory newFactory(XmlLimits limits) {
    WstxInputFactory f = new WstxInputFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.TRUE);
    f.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    f.setProperty(
        XMLInputFactory.RESOLVER,
        (javax.xml.stream.XMLResolver)
            (publicId, systemId, baseUri, ns) -> {
              throw new XMLStreamException("external entities are not resolved");
            });
    f.setProperty(XMLInputFactory2.P_LAZY_PARSING, Boolean.FALSE);
    f.setProperty(XMLInputFactory2.P_REPORT_PROLOG_WHITESPACE, Boolean.FALSE);
    f.setProperty(XMLInputFactory2.P_AUTO_CLOSE_INPUT, Boolean.FALSE);
    f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth());
    f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, limits.maxTextLength());
    f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, attributeSize(limits));
    f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, limits.maxAttributeCount());
    f.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, (long) limits.maxElements());
    f.setProperty(WstxInputProperties.P_MAX_CHILDREN_PER_ELEMENT, limits.maxElements());
    f.setProperty(WstxInputProperties.P_MAX_CHARACTERS, (long) limits.maxInputBytes());
    f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1_000);
    f.setProperty(WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
    f.setProperty(WstxInputProperties.P_MAX_DTD_DEPTH, 1);
    f.setProperty(WstxInputProperties.P_UNDECLARED_ENTITY_RESOLVER, null);
    f.setProperty(WstxInputProperties.P_DTD_RESOLVER, null);
    f.setProperty(WstxInputProperties.P_ENTITY_RESOLVER, null);
    return f;
  }

  /** Attribute values include namespace URIs, so they never get less than 4096 characters. */
  static int attributeSize(XmlLimits limits) {
    return Math.max(limits.maxTextLength(), 4096);
  }

  /**
   * Parses a whole document into a tree.
   *
   * @param bytes the document; its encoding from the XML declaration or BOM, else UTF-8
   * @param limits the limits to apply
   * @return the root element
   * @throws PushXmlException for malformed or hostile XML or an exceeded limit, with line and
   *     column where known
   */
  public static Node parse(byte[] bytes, XmlLimits limits) {
    if (bytes.length > limits.maxInputBytes()) {
      throw new PushXmlException(
          "input larger than " + limits.maxInputBytes() + " bytes (XmlLimits.maxInputBytes)",
          -1,
          -1);
    }
    XMLStreamReader r = null;
    try {
      r =
          ((XMLInputFactory2) factory(limits))
              .createXMLStreamReader(new Stax2ByteArraySource(bytes, 0, bytes.length));
      return build(r, limits);
    } catch (XMLStreamException e) {
      throw translate(e, r, null, limits);
    } catch (PushException e) {
      throw e;
    } catch (RuntimeException e) {
      XMLStreamException inner = findCause(e, XMLStreamException.class);
      if (inner != null) {
        throw translate(inner, r, null, limits);
      }
      throw new PushXmlException("XML parser failure: " + e.getMessage(), -1, -1, e);
    } finally {
      close(r);
    }
  }

  private static void close(@Nullable XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException | RuntimeException ignored) {
        // nothing to release that matters
      }
    }
  }

  /**
   * Parses a whole document into a tree; reads {@code in} to its end but does not close it.
   *
   * @param in the document; its encoding from the XML declaration or BOM, else UTF-8
   * @param limits the limits to apply
   * @return the root element
   * @throws PushXmlException for malformed or hostile XML, an exceeded limit or a read failure,
   *     with line and column where known
   */
  public static Node parse(InputStream in, XmlLimits limits) {
    LimitedInputStream limited = new LimitedInputStream(in, limits.maxInputBytes());
    XMLStreamReader r = null;
    try {
      r = factory(limits).createXMLStreamReader(limited);
      return build(r, limits);
    } catch (XMLStreamException e) {
      throw translate(e, r, limited, limits);
    } catch (PushException e) {
      throw e;
    } catch (RuntimeException e) {
      // Woodstox reports a few conditions as unchecked exceptions; never let them escape.
      XMLStreamException inner = findCause(e, XMLStreamException.class);
      if (inner != null) {
        throw translate(inner, r, limited, limits);
      }
      throw new PushXmlException("XML parser failure: " + e.getMessage(), -1, -1, e);
    } finally {
      close(r);
    }
  }

  /**
   * The qualified name of the root element, read from the start of a document only; null if the
   * prefix does not reach the root start tag or is not XML.
   *
   * @param prefix the first bytes of a document
   * @param length how many bytes of {@code prefix} to use
   * @return {@code {namespaceUri, localName}} (namespace empty for none), or null
   */
  public static String @Nullable [] peekRoot(byte[] prefix, int length) {
    XMLStreamReader r = null;
    try {
      r =
          factory(XmlLimits.defaults())
              .createXMLStreamReader(new ByteArrayInputStream(prefix, 0, length));
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String ns = r.getNamespaceURI();
          return new String[] {ns == null ? "" : ns, r.getLocalName()};
        }
      }
      return null;
    } catch (XMLStreamException | RuntimeException e) {
      return null;
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException | RuntimeException ignored) {
          // nothing to release
        }
      }
    }
  }

  private static Node build(XMLStreamReader r, XmlLimits limits) throws XMLStreamException {
    Deque<Node> stack = new ArrayDeque<>();
    Node root = null;
    int elements = 0;
    while (r.hasNext()) {
      int ev = r.next();
      switch (ev) {
        case XMLStreamConstants.DTD ->
            throw at(r, "DOCTYPE declarations are not accepted; send the document without a DTD");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw at(r, "entity references other than the five predefined ones are not accepted");
        case XMLStreamConstants.START_ELEMENT -> {
          if (root != null && stack.isEmpty()) {
            throw at(r, "content after the root element");
          }
          elements++;
          if (elements > limits.maxElements()) {
            throw at(r, "more than " + limits.maxElements() + " elements (XmlLimits.maxElements)");
          }
          if (stack.size() >= limits.maxDepth()) {
            throw at(
                r,
                "elements nested deeper than "
                    + limits.maxDepth()
                    + " levels (XmlLimits.maxDepth)");
          }
          int count = r.getAttributeCount();
          if (count > limits.maxAttributeCount()) {
            throw at(
                r,
                "more than "
                    + limits.maxAttributeCount()
                    + " attributes on one element (XmlLimits.maxAttributeCount)");
          }
          List<Node.Attribute> attrs = count == 0 ? List.of() : new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            String ans = r.getAttributeNamespace(i);
            attrs.add(
                new Node.Attribute(
                    ans == null ? "" : ans, r.getAttributeLocalName(i), r.getAttributeValue(i)));
          }
          String ns = r.getNamespaceURI();
          Location loc = r.getLocation();
          Node n =
              new Node(
                  ns == null ? "" : ns,
                  r.getLocalName(),
                  attrs,
                  loc == null ? -1 : loc.getLineNumber(),
                  loc == null ? -1 : loc.getColumnNumber());
          if (stack.isEmpty()) {
            root = n;
          } else {
            stack.peek().add(n);
          }
          stack.push(n);
        }
        case XMLStreamConstants.END_ELEMENT -> stack.pop().finish();
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          Node top = stack.peek();
          if (top != null) {
            if ((long) top.textLength() + r.getTextLength() > limits.maxTextLength()) {
              throw at(
                  r,
                  "text longer than "
                      + limits.maxTextLength()
                      + " characters in one element (XmlLimits.maxTextLength)");
            }
            top.appendText(r.getText());
          }
        }
        default -> {
          // comments, processing instructions, document events: nothing to keep
        }
      }
    }
    if (root == null) {
      throw new PushXmlException("no root element: the input is empty", 1, 1);
    }
    return root;
  }

  private static PushXmlException at(XMLStreamReader r, String message) {
    Location loc = r.getLocation();
    return new PushXmlException(
        message, loc == null ? -1 : loc.getLineNumber(), loc == null ? -1 : loc.getColumnNumber());
  }

  private static PushXmlException translate(
      XMLStreamException e,
      @Nullable XMLStreamReader r,
      @Nullable LimitedInputStream in,
      XmlLimits limits) {
    Location loc = e.getLocation();
    if (loc == null && r != null) {
      try {
        loc = r.getLocation();
      } catch (RuntimeException ignored) {
        loc = null;
      }
    }
    int line = loc == null ? -1 : loc.getLineNumber();
    int column = loc == null ? -1 : loc.getColumnNumber();
    if ((in != null && in.exceeded) || findCause(e, InputLimitExceededException.class) != null) {
      return new PushXmlException(
          "input larger than " + limits.maxInputBytes() + " bytes (XmlLimits.maxInputBytes)",
          line,
          column,
          e);
    }
    IOException io = findCause(e, IOException.class);
    if (io != null && io.getMessage() != null) {
      return new PushXmlException(
          "could not read the XML input: " + io.getMessage(), line, column, e);
    }
    String detail = strip(e.getMessage());
    String lower = detail.toLowerCase(java.util.Locale.ROOT);
    String message;
    if (lower.contains("depth")) {
      message = "elements nested deeper than " + limits.maxDepth() + " levels (XmlLimits.maxDepth)";
    } else if (lower.contains("attribute limit")) {
      message =
          "more than "
              + limits.maxAttributeCount()
              + " attributes on one element (XmlLimits.maxAttributeCount)";
    } else if (lower.contains("attribute size") || lower.contains("attribute value")) {
      message =
          "attribute value longer than "
              + attributeSize(limits)
              + " characters (XmlLimits.maxTextLength, at least 4096)";
    } else if (lower.contains("text size limit")) {
      message =
          "text longer than "
              + limits.maxTextLength()
              + " characters in one element (XmlLimits.maxTextLength)";
    } else if (lower.contains("element count") || lower.contains("child")) {
      message = "more than " + limits.maxElements() + " elements (XmlLimits.maxElements)";
    } else if (lower.contains("characters") && lower.contains("limit")) {
      message =
          "input larger than " + limits.maxInputBytes() + " characters (XmlLimits.maxInputBytes)";
    } else {
      message = "malformed XML: " + detail;
    }
    return new PushXmlException(message, line, column, e);
  }

  private static String strip(@Nullable String message) {
    if (message == null) {
      return "(no detail)";
    }
    // Woodstox prefixes "ParseError at [row,col]:[..]\nMessage: "; keep the message only
    int i = message.indexOf("Message: ");
    String m = i >= 0 ? message.substring(i + 9) : message;
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }

  private static <T extends Throwable> @Nullable T findCause(Throwable t, Class<T> type) {
    Throwable c = t;
    for (int i = 0; c != null && i < 10; i++) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c instanceof XMLStreamException x
          && x.getNestedException() != null
          && x.getNestedException() != c.getCause()) {
        Throwable nested = x.getNestedException();
        if (type.isInstance(nested)) {
          return type.cast(nested);
        }
      }
      c = c.getCause();
    }
    return null;
  }

  /** Thrown inside the stream when the byte limit is reached. */
  static final class InputLimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    InputLimitExceededException(int limit) {
      super("input larger than " + limit + " bytes");
    }
  }

  /** Counts bytes and fails once more than the limit were read. */
  static final class LimitedInputStream extends FilterInputStream {
    private final int limit;
    private long count;
    volatile boolean exceeded;

    LimitedInputStream(InputStream in, int limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      if (s > 0) {
        count(s);
      }
      return s;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // the caller owns the stream
    }

    private void count(long n) throws IOException {
      count += n;
      if (count > limit) {
        exceeded = true;
        throw new InputLimitExceededException(limit);
      }
    }
  }
}
