package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ctc.wstx.stax.WstxOutputFactory;
import dev.davpush.Depth;
import dev.davpush.ForeignTransportDescriptor;
import dev.davpush.P256PublicKey;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushPropertyWriterTest {
  static final P256PublicKey VAPID = P256PublicKey.fromBase64Url(GoldenFilesTest.VAPID);
  static final List<TransportDescriptor> TRANSPORTS =
      List.of(
          new WebPushTransportDescriptor(VAPID),
          new ForeignTransportDescriptor(
              "urn:example:gw",
              "gateway",
              "<gateway xmlns=\"urn:example:gw\" kind=\"a\"><url>https://gw.example/</url></gateway>"));

  enum Flavour {
    JDK,
    JDK_REPAIRING,
    WOODSTOX,
    WOODSTOX_REPAIRING
  }

  static XMLOutputFactory factory(Flavour f) {
    XMLOutputFactory factory =
        switch (f) {
          case JDK, JDK_REPAIRING -> XMLOutputFactory.newDefaultFactory();
          case WOODSTOX, WOODSTOX_REPAIRING -> new WstxOutputFactory();
        };
    factory.setProperty(
        XMLOutputFactory.IS_REPAIRING_NAMESPACES,
        f == Flavour.JDK_REPAIRING || f == Flavour.WOODSTOX_REPAIRING);
    return factory;
  }

  /** Writes a multistatus around the properties; with or without P/D bound by the caller. */
  static String multistatus(
      Flavour flavour, boolean callerBindsPrefixes, Consumer<XMLStreamWriter> props)
      throws XMLStreamException {
    StringWriter out = new StringWriter();
    XMLStreamWriter w = factory(flavour).createXMLStreamWriter(out);
    w.writeStartDocument("UTF-8", "1.0");
    if (callerBindsPrefixes) {
      w.setPrefix("D", "DAV:");
      w.setPrefix("P", WebDavPush.NAMESPACE);
    }
    w.writeStartElement("D", "multistatus", "DAV:");
    w.writeNamespace("D", "DAV:");
    if (callerBindsPrefixes) {
      w.writeNamespace("P", WebDavPush.NAMESPACE);
    }
    w.writeStartElement("D", "response", "DAV:");
    w.writeStartElement("D", "href", "DAV:");
    w.writeCharacters("/c/");
    w.writeEndElement();
    w.writeStartElement("D", "propstat", "DAV:");
    w.writeStartElement("D", "prop", "DAV:");
    props.accept(w);
    w.writeEndElement();
    w.writeStartElement("D", "status", "DAV:");
    w.writeCharacters("HTTP/1.1 200 OK");
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    w.close();
    return out.toString();
  }

  static DavResponse roundTrip(Flavour flavour, boolean bound) throws XMLStreamException {
    String xml =
        multistatus(
            flavour,
            bound,
            w -> {
              PushPropertyWriter.writeTransports(w, TRANSPORTS);
              PushPropertyWriter.writeTopic(w, Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w"));
              PushPropertyWriter.writeSupportedTriggers(
                  w, SupportedTriggers.of(Depth.ONE, Depth.ZERO));
              ApplePush.writePushKey(w, "6D6241DC/");
              ApplePush.writePushTransports(
                  w,
                  List.of(
                      ApplePushTransport.apsd(
                          "https://s.example/apns",
                          "com.example",
                          "SANDBOX",
                          Duration.ofSeconds(3600))));
              CalConnect.writeDiscovery(
                  w,
                  new CalConnectDiscovery(
                      "https://s.example/sub",
                      List.of(
                          new CalConnectTransport(
                              "https://gw.example/t",
                              "<k xmlns=\"urn:x\">v</k>",
                              Duration.ofSeconds(60)),
                          new CalConnectTransport(null, null, null)),
                      "t1",
                      "1"));
            });
    return MultistatusReader.read(xml.getBytes(StandardCharsets.UTF_8)).get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "JDK_REPAIRING", "WOODSTOX", "WOODSTOX_REPAIRING"})
  void writesPropertiesThatReadBackWhenTheCallerBoundThePrefixes(String flavour)
      throws XMLStreamException {
    check(roundTrip(Flavour.valueOf(flavour), true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "JDK_REPAIRING", "WOODSTOX", "WOODSTOX_REPAIRING"})
  void declaresThePrefixWhenTheCallerDidNot(String flavour) throws XMLStreamException {
    check(roundTrip(Flavour.valueOf(flavour), false));
  }

  private static void check(DavResponse r) {
    assertThat(r.transports()).contains(TRANSPORTS);
    assertThat(r.topic()).contains(Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w"));
    assertThat(r.supportedTriggers()).contains(SupportedTriggers.of(Depth.ONE, Depth.ZERO));
    assertThat(r.applePushKey()).contains("6D6241DC/");
    assertThat(r.applePushTransports())
        .contains(
            List.of(
                ApplePushTransport.apsd(
                    "https://s.example/apns", "com.example", "SANDBOX", Duration.ofSeconds(3600))));
    CalConnectDiscovery d = r.calConnectDiscovery().orElseThrow();
    assertThat(d)
        .isEqualTo(
            new CalConnectDiscovery(
                "https://s.example/sub",
                List.of(
                    new CalConnectTransport(
                        "https://gw.example/t", "<k xmlns=\"urn:x\">v</k>", Duration.ofSeconds(60)),
                    new CalConnectTransport(null, null, null)),
                "t1",
                "1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "WOODSTOX"})
  void writesTheDraftShapeWithTheCallersPrefixes(String flavour) throws XMLStreamException {
    String xml =
        multistatus(
            Flavour.valueOf(flavour),
            true,
            w -> {
              PushPropertyWriter.writeTransports(w, List.of(new WebPushTransportDescriptor(VAPID)));
              PushPropertyWriter.writeTopic(w, Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w"));
              PushPropertyWriter.writeSupportedTriggers(
                  w, SupportedTriggers.of(Depth.ONE, Depth.ZERO));
            });

    assertThat(xml)
        .contains(
            "<D:prop><P:transports><P:web-push><P:vapid-public-key"
                + " type=\"p256ecdsa\">"
                + GoldenFilesTest.VAPID
                + "</P:vapid-public-key></P:web-push>"
                + "</P:transports><P:topic>O7M1nQ7cKkKTKsoS_j6Z3w</P:topic><P:supported-triggers>"
                + "<P:content-update><D:depth>1</D:depth></P:content-update><P:property-update>"
                + "<D:depth>0</D:depth></P:property-update></P:supported-triggers></D:prop>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "WOODSTOX"})
  void writesAWebPushTransportWithoutKeyAsEmptyElement(String flavour) throws XMLStreamException {
    String xml =
        multistatus(
            Flavour.valueOf(flavour),
            true,
            w ->
                PushPropertyWriter.writeTransports(
                    w, List.of(new WebPushTransportDescriptor(null))));

    assertThat(xml).contains("<P:transports><P:web-push/></P:transports>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "WOODSTOX"})
  void choosesAnotherPrefixWhenTheCallerUsedPForSomethingElse(String flavour)
      throws XMLStreamException {
    StringWriter out = new StringWriter();
    XMLStreamWriter w = factory(Flavour.valueOf(flavour)).createXMLStreamWriter(out);
    w.writeStartElement("P", "prop", "urn:other");
    w.writeNamespace("P", "urn:other");
    PushPropertyWriter.writeTopic(w, Topic.of("t"));
    w.writeEndElement();
    w.close();

    assertThat(out.toString())
        .isEqualTo(
            "<P:prop xmlns:P=\"urn:other\"><P1:topic"
                + " xmlns:P1=\"https://bitfire.at/webdav-push\">t</P1:topic></P:prop>");
  }

  @org.junit.jupiter.api.Test
  void wrapsAWriterFailureInTheTypedException() {
    XMLStreamWriter broken =
        (XMLStreamWriter)
            java.lang.reflect.Proxy.newProxyInstance(
                XMLStreamWriter.class.getClassLoader(),
                new Class<?>[] {XMLStreamWriter.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getNamespaceContext")) {
                    return null;
                  }
                  throw new XMLStreamException("closed");
                });

    assertThatThrownBy(() -> PushPropertyWriter.writeTopic(broken, Topic.of("t")))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("closed");
  }
}
