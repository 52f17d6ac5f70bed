package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.ForeignTransportDescriptor;
import dev.davpush.RegisterRequest;
import dev.davpush.TransportDescriptor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opaque foreign XML (subscriptions, transports) read, stored and written back. */
class ForeignFragmentsTest {
  static final String XML_LANG_SUBSCRIPTION =
      "<f:foo xmlns:f=\"urn:x\" xml:lang=\"en\" f:kind=\"k\"><f:bar xml:space=\"preserve\"> t"
          + " </f:bar></f:foo>";

  static String register(String subscription) {
    return "<push-register xmlns=\"https://bitfire.at/webdav-push\"><subscription>"
        + subscription
        + "</subscription></push-register>";
  }

  @Test
  void storesTheXmlNamespaceAttributesWithTheReservedXmlPrefix() {
    RegisterRequest r =
        PushRegisterReader.read(register(XML_LANG_SUBSCRIPTION).getBytes(StandardCharsets.UTF_8));

    ForeignSubscription f = (ForeignSubscription) r.subscription();
    assertThat(f.xml())
        .isEqualTo(
            "<foo xmlns=\"urn:x\" xml:lang=\"en\" xmlns:a0=\"urn:x\""
                + " a0:kind=\"k\"><bar xml:space=\"preserve\"> t </bar></foo>");
  }

  @Test
  void writesBackAForeignSubscriptionCarryingXmlLang() {
    RegisterRequest r =
        PushRegisterReader.read(register(XML_LANG_SUBSCRIPTION).getBytes(StandardCharsets.UTF_8));

    byte[] written = PushRegisterWriter.write(r);
    RegisterRequest again = PushRegisterReader.read(written);

    assertThat(again.subscription()).isEqualTo(r.subscription());
  }

  @Test
  void writesBackAForeignSubscriptionWhoseElementIsInTheXmlNamespace() {
    RegisterRequest r =
        PushRegisterReader.read(
            register("<xml:foo a=\"1\"><c/><xml:d xml:lang=\"en\"/></xml:foo>")
                .getBytes(StandardCharsets.UTF_8));
    ForeignSubscription f = (ForeignSubscription) r.subscription();

    assertThat(f.xml())
        .isEqualTo(
            "<xml:foo a=\"1\"><c xmlns=\"https://bitfire.at/webdav-push\"/>"
                + "<xml:d xml:lang=\"en\"/></xml:foo>");
    assertThat(PushRegisterReader.read(PushRegisterWriter.write(r)).subscription()).isEqualTo(f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "JDK_REPAIRING", "WOODSTOX", "WOODSTOX_REPAIRING"})
  void writesBackAForeignTransportCarryingXmlLang(String flavour) throws XMLStreamException {
    String source =
        PushPropertyWriterTest.multistatus(
            PushPropertyWriterTest.Flavour.JDK,
            true,
            w -> {
              try {
                w.writeStartElement("P", "transports", WebDavPush.NAMESPACE);
                w.writeStartElement("g", "gateway", "urn:example:gw");
                w.writeNamespace("g", "urn:example:gw");
                w.writeAttribute("xml", "http://www.w3.org/XML/1998/namespace", "lang", "de");
                w.writeCharacters("x");
                w.writeEndElement();
                w.writeEndElement();
              } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
              }
            });
    List<TransportDescriptor> read =
        MultistatusReader.read(source.getBytes(StandardCharsets.UTF_8))
            .get(0)
            .transports()
            .orElseThrow();
    assertThat(read)
        .containsExactly(
            new ForeignTransportDescriptor(
                "urn:example:gw",
                "gateway",
                "<gateway xmlns=\"urn:example:gw\" xml:lang=\"de\">x</gateway>"));

    String written =
        PushPropertyWriterTest.multistatus(
            PushPropertyWriterTest.Flavour.valueOf(flavour),
            false,
            w -> PushPropertyWriter.writeTransports(w, read));
    List<TransportDescriptor> again =
        MultistatusReader.read(written.getBytes(StandardCharsets.UTF_8))
            .get(0)
            .transports()
            .orElseThrow();

    assertThat(again).isEqualTo(read);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JDK", "JDK_REPAIRING", "WOODSTOX", "WOODSTOX_REPAIRING"})
  void writesBackAForeignTransportWhoseElementIsInTheXmlNamespace(String flavour)
      throws XMLStreamException {
    byte[] source =
        multistatusWithProps(
                "<P:transports><xml:gw xml:lang=\"de\"><P:x/></xml:gw>" + "</P:transports>")
            .getBytes(StandardCharsets.UTF_8);
    List<TransportDescriptor> read =
        MultistatusReader.read(source).get(0).transports().orElseThrow();
    assertThat(read)
        .containsExactly(
            new ForeignTransportDescriptor(
                "http://www.w3.org/XML/1998/namespace",
                "gw",
                "<xml:gw xml:lang=\"de\"><x xmlns=\"https://bitfire.at/webdav-push\"/></xml:gw>"));

    String written =
        PushPropertyWriterTest.multistatus(
            PushPropertyWriterTest.Flavour.valueOf(flavour),
            false,
            w -> PushPropertyWriter.writeTransports(w, read));

    assertThat(MultistatusReader.read(written.getBytes(StandardCharsets.UTF_8)).get(0).transports())
        .contains(read);
  }

  static final XmlLimits DEEP = XmlLimits.builder().maxDepth(100).build();

  /** An element of {@code urn:deep} nested {@code levels} deep, with text at the bottom. */
  static String nested(int levels) {
    StringBuilder sb = new StringBuilder("<d:e xmlns:d=\"urn:deep\">");
    sb.append("<d:e>".repeat(levels - 1)).append("v").append("</d:e>".repeat(levels));
    return sb.toString();
  }

  static String multistatusWithProps(String props) {
    return "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\""
        + " xmlns:G=\"urn:ietf:params:xml:ns:dav-push\"><D:response><D:href>/c/</D:href>"
        + "<D:propstat><D:prop>"
        + props
        + "</D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        + "</D:propstat></D:response></D:multistatus>";
  }

  @Test
  void writesBackADeepForeignSubscriptionReadWithLargerLimits() {
    byte[] source = register(nested(70)).getBytes(StandardCharsets.UTF_8);
    RegisterRequest r = PushRegisterReader.read(new ByteArrayInputStream(source), DEEP);

    byte[] written = PushRegisterWriter.write(r);
    RegisterRequest again = PushRegisterReader.read(new ByteArrayInputStream(written), DEEP);

    assertThat(again.subscription()).isEqualTo(r.subscription());
  }

  @Test
  void writesBackADeepForeignTransportReadWithLargerLimits() throws XMLStreamException {
    byte[] source =
        multistatusWithProps("<P:transports>" + nested(70) + "</P:transports>")
            .getBytes(StandardCharsets.UTF_8);
    List<TransportDescriptor> read =
        MultistatusReader.read(new ByteArrayInputStream(source), DEEP)
            .get(0)
            .transports()
            .orElseThrow();

    String written =
        PushPropertyWriterTest.multistatus(
            PushPropertyWriterTest.Flavour.WOODSTOX,
            false,
            w -> PushPropertyWriter.writeTransports(w, read));
    List<TransportDescriptor> again =
        MultistatusReader.read(
                new ByteArrayInputStream(written.getBytes(StandardCharsets.UTF_8)), DEEP)
            .get(0)
            .transports()
            .orElseThrow();

    assertThat(again).isEqualTo(read);
  }

  @Test
  void writesBackDeepCalConnectTransportDataReadWithLargerLimits() throws XMLStreamException {
    byte[] source =
        multistatusWithProps(
                "<G:supported-transport-set><G:transport>"
                    + "<G:transport-data>"
                    + nested(70)
                    + "</G:transport-data></G:transport>"
                    + "</G:supported-transport-set>")
            .getBytes(StandardCharsets.UTF_8);
    CalConnectDiscovery read =
        MultistatusReader.read(new ByteArrayInputStream(source), DEEP)
            .get(0)
            .calConnectDiscovery()
            .orElseThrow();

    String written =
        PushPropertyWriterTest.multistatus(
            PushPropertyWriterTest.Flavour.WOODSTOX,
            false,
            w -> CalConnect.writeDiscovery(w, read));
    CalConnectDiscovery again =
        MultistatusReader.read(
                new ByteArrayInputStream(written.getBytes(StandardCharsets.UTF_8)), DEEP)
            .get(0)
            .calConnectDiscovery()
            .orElseThrow();

    assertThat(again).isEqualTo(read);
  }

  @Test
  void readsAndWritesAForeignSubscriptionNestedToTheDepthCapWithoutOverflowingTheStack()
      throws InterruptedException {
    XmlLimits capped = XmlLimits.builder().maxDepth(XmlLimits.MAX_DEPTH_CAP).build();
    // push-register and subscription take two levels
    byte[] source = register(nested(XmlLimits.MAX_DEPTH_CAP - 2)).getBytes(StandardCharsets.UTF_8);
    AtomicReference<Object> outcome = new AtomicReference<>();
    // a small stack, as worker threads of some servers have, to show the walk is not recursive
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                RegisterRequest r =
                    PushRegisterReader.read(new ByteArrayInputStream(source), capped);
                RegisterRequest again =
                    PushRegisterReader.read(
                        new ByteArrayInputStream(PushRegisterWriter.write(r)), capped);
                outcome.set(again.subscription().equals(r.subscription()));
              } catch (Throwable e) {
                outcome.set(e);
              }
            },
            "small-stack",
            64 * 1024);
    t.start();
    t.join(30_000);

    assertThat(outcome.get()).isEqualTo(Boolean.TRUE);
  }

  @Test
  void writesAForeignTransportNestedToTheDepthCapOnASmallStack() throws InterruptedException {
    XmlLimits capped = XmlLimits.builder().maxDepth(XmlLimits.MAX_DEPTH_CAP).build();
    // multistatus, response, propstat, prop, transports take five levels
    byte[] source =
        multistatusWithProps(
                "<P:transports>" + nested(XmlLimits.MAX_DEPTH_CAP - 5) + "</P:transports>")
            .getBytes(StandardCharsets.UTF_8);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                List<TransportDescriptor> read =
                    MultistatusReader.read(new ByteArrayInputStream(source), capped)
                        .get(0)
                        .transports()
                        .orElseThrow();
                String written =
                    PushPropertyWriterTest.multistatus(
                        PushPropertyWriterTest.Flavour.WOODSTOX,
                        false,
                        w -> PushPropertyWriter.writeTransports(w, read));
                List<TransportDescriptor> again =
                    MultistatusReader.read(
                            new ByteArrayInputStream(written.getBytes(StandardCharsets.UTF_8)),
                            capped)
                        .get(0)
                        .transports()
                        .orElseThrow();
                outcome.set(again.equals(read));
              } catch (Throwable e) {
                outcome.set(e);
              }
            },
            "small-stack",
            64 * 1024);
    t.start();
    t.join(30_000);

    assertThat(outcome.get()).isEqualTo(Boolean.TRUE);
  }
}
