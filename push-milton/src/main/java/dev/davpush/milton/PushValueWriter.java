package dev.davpush.milton;

import dev.davpush.PropertyName;
import dev.davpush.PushProperties;
import dev.davpush.xml.PushPropertyWriter;
import dev.davpush.xml.WebDavPush;
import io.milton.http.XmlWriter;
import io.milton.http.values.ValueWriter;
import java.io.StringWriter;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * milton's {@link ValueWriter} for {@link PushPropertyValue}: writes the property element with
 * {@link PushPropertyWriter} (draft-bitfire-webdav-push §2.1), using the namespace prefixes milton
 * declared on the {@code multistatus} element.
 *
 * <p>Thread safety: stateless; the output factory is thread-safe once configured.
 */
final class PushValueWriter implements ValueWriter {
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

  @Override
  @SuppressWarnings("rawtypes") // milton's signature
  public boolean supports(String nsUri, String localName, Class valueClass) {
    return valueClass == PushPropertyValue.class;
  }

  @Override
  public void writeValue(
      XmlWriter writer,
      String nsUri,
      String prefix,
      String localName,
      Object val,
      String href,
      Map<String, String> nsPrefixes) {
    if (!(val instanceof PushPropertyValue value)) {
      writer.writeProperty(prefix, localName);
      return;
    }
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out);
      // milton declared these on the multistatus element; binding them here writes no xmlns
      String push = nsPrefixes.get(WebDavPush.NAMESPACE);
      if (push != null && !push.isEmpty()) {
        w.setPrefix(push, WebDavPush.NAMESPACE);
      }
      String dav = nsPrefixes.get(PropertyName.DAV);
      if (dav != null && !dav.isEmpty()) {
        w.setPrefix(dav, PropertyName.DAV);
      }
      write(w, value.name(), value.properties());
      w.flush();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing " + localName, e);
    }
    // raw: the text is well-formed XML made by the writer above
    writer.writeText(out.toString());
  }

  private static void write(XMLStreamWriter w, PropertyName name, PushProperties p) {
    if (name.equals(WebDavPush.TRANSPORTS)) {
      PushPropertyWriter.writeTransports(w, p.transports());
    } else if (name.equals(WebDavPush.TOPIC)) {
      PushPropertyWriter.writeTopic(w, p.topic());
    } else {
      PushPropertyWriter.writeSupportedTriggers(w, p.supportedTriggers());
    }
  }

  @Override
  public Object parse(String namespaceURI, String localPart, String value) {
    throw new UnsupportedOperationException(
        "the WebDAV-Push properties are protected and never parsed");
  }
}
