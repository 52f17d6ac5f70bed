package dev.davpush.testkit.internal.client;

import dev.davpush.PropertyName;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads properties whose value is a list of {@code DAV:href} elements ({@code
 * DAV:current-user-principal}, RFC 5397; {@code CALDAV:calendar-home-set}, RFC 4791 §6.2.1; {@code
 * CARDDAV:addressbook-home-set}, RFC 6352 §7.1.1) from a {@code 207 Multi-Status} body. Only
 * properties in a {@code 2xx} propstat count; the hrefs are returned as sent (absolute or
 * path-absolute), in document order.
 *
 * <p>Hardened like the rest of the kit's XML reading: no DTD, no external entities, namespace
 * aware.
 *
 * <p>Thread safety: stateless.
 */
public final class HrefProperties {
  private static final String DAV = PropertyName.DAV;

  private HrefProperties() {}

  /**
   * The href values of one property of the first {@code DAV:response}.
   *
   * @param multistatus the body
   * @param name the property
   * @return the hrefs; empty when the property is absent, not 2xx, or the body is unreadable
   */
  public static List<String> first(byte[] multistatus, PropertyName name) {
    Map<PropertyName, List<String>> m = read(multistatus).orElse(Map.of());
    return m.getOrDefault(name, List.of());
  }

  /**
   * The href-valued properties of the first {@code DAV:response}.
   *
   * @param multistatus the body
   * @return property → hrefs, for every property of a 2xx propstat that holds at least one href;
   *     empty when the body is no readable multistatus
   */
  public static Optional<Map<PropertyName, List<String>>> read(byte[] multistatus) {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    try {
      XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(multistatus));
      // depth: 1 multistatus, 2 response, 3 propstat, 4 prop / status, 5 property, 6 href
      int depth = 0;
      int responses = 0;
      Map<PropertyName, List<String>> found = new LinkedHashMap<>();
      Map<PropertyName, List<String>> propstat = new LinkedHashMap<>();
      PropertyName property = null;
      boolean inHref = false;
      boolean inStatus = false;
      StringBuilder text = new StringBuilder();
      String status = "";
      while (r.hasNext()) {
        int e = r.next();
        if (e == XMLStreamConstants.DTD) {
          return Optional.empty();
        }
        if (e == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String ns = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
          String local = r.getLocalName();
          if (depth == 1 && !(ns.equals(DAV) && local.equals("multistatus"))) {
            return Optional.empty();
          } else if (depth == 2 && ns.equals(DAV) && local.equals("response")) {
            responses++;
          } else if (depth == 3 && responses == 1) {
            propstat.clear();
            status = "";
          } else if (depth == 4 && responses == 1 && ns.equals(DAV) && local.equals("status")) {
            inStatus = true;
            text.setLength(0);
          } else if (depth == 5 && responses == 1) {
            property = PropertyName.of(ns, local);
          } else if (depth == 6 && property != null && ns.equals(DAV) && local.equals("href")) {
            inHref = true;
            text.setLength(0);
          }
        } else if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
          if (inHref || inStatus) {
            text.append(r.getText());
          }
        } else if (e == XMLStreamConstants.END_ELEMENT) {
          if (depth == 6 && inHref && property != null) {
            propstat.computeIfAbsent(property, k -> new ArrayList<>()).add(text.toString().strip());
            inHref = false;
          } else if (depth == 5) {
            property = null;
          } else if (depth == 4 && inStatus) {
            status = text.toString().strip();
            inStatus = false;
          } else if (depth == 3 && responses == 1) {
            if (status.matches("HTTP/\\S+\\s+2\\d\\d.*")) {
              found.putAll(propstat);
            }
            propstat.clear();
          }
          depth--;
        }
      }
      return responses == 0 ? Optional.empty() : Optional.of(found);
    } catch (XMLStreamException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
