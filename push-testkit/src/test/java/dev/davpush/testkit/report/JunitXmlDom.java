package dev.davpush.testkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads JUnit XML reports with the JDK's parser (no DOCTYPE, secure processing). */
public final class JunitXmlDom {
  private JunitXmlDom() {}

  public static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  public static Map<String, Element> cases(Document doc) {
    Map<String, Element> out = new LinkedHashMap<>();
    NodeList list = doc.getElementsByTagName("testcase");
    for (int i = 0; i < list.getLength(); i++) {
      Element e = (Element) list.item(i);
      out.put(e.getAttribute("name").split(" ")[0], e);
    }
    return out;
  }

  public static List<Element> children(Element parent, String tag) {
    List<Element> out = new ArrayList<>();
    NodeList list = parent.getElementsByTagName(tag);
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  public static String skip(Element testCase) {
    List<Element> skipped = children(testCase, "skipped");
    assertThat(skipped).as(testCase.getAttribute("name")).hasSize(1);
    assertThat(children(testCase, "failure")).isEmpty();
    return skipped.get(0).getAttribute("message");
  }

  public static Map<String, String> properties(Document doc) {
    Map<String, String> out = new LinkedHashMap<>();
    NodeList list = doc.getElementsByTagName("property");
    for (int i = 0; i < list.getLength(); i++) {
      Element e = (Element) list.item(i);
      out.put(e.getAttribute("name"), e.getAttribute("value"));
    }
    return out;
  }
}
