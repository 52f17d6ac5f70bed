package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.Subscription;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReaderAndWriterEdgeCasesTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesAndReadsBackAForeignSubscription() {
    ForeignSubscription f =
        ForeignSubscription.of(
            "urn:example",
            "apns",
            "<apns xmlns=\"urn:example\" env=\"prod\"><token>abc</token></apns>");
    RegisterRequest r = new RegisterRequest(f, List.of(new Trigger.ContentUpdate(Depth.ONE)), null);

    byte[] written = PushRegisterWriter.write(r);

    assertThat(new String(written, StandardCharsets.UTF_8))
        .contains(
            "<subscription><apns xmlns=\"urn:example\" env=\"prod\"><token>abc</token></apns>"
                + "</subscription>");
    assertThat(PushRegisterReader.read(written)).isEqualTo(r);
  }

  @Test
  void refusesToWriteAnUnknownSubscriptionType() {
    Subscription odd =
        new Subscription() {
          @Override
          public String transport() {
            return "odd";
          }

          @Override
          public String id() {
            return "x";
          }
        };

    assertThatThrownBy(() -> PushRegisterWriter.write(new RegisterRequest(odd, List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subscription");
  }

  @Test
  void refusesToWriteAForeignSubscriptionThatIsNotWellFormed() {
    ForeignSubscription f = ForeignSubscription.of("urn:example", "apns", "<apns>");

    assertThatThrownBy(() -> PushRegisterWriter.write(new RegisterRequest(f, List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("well-formed");
  }

  @Test
  void refusesToWriteCharactersXmlCannotCarry() {
    PushMessage m = PushMessage.contentUpdate(Topic.of("t"), "token\u0001");

    assertThatThrownBy(() -> PushMessageWriter.write(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sync-token");
    assertThatThrownBy(
            () -> PushMessageWriter.write(PushMessage.contentUpdate(Topic.of("t"), "a\uD800b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void escapesMarkupAndCarriageReturnsInText() {
    PushMessage m = PushMessage.contentUpdate(Topic.of("a<b>&c"), "x\r\ny]]>");

    String xml = new String(PushMessageWriter.write(m), StandardCharsets.UTF_8);

    assertThat(xml).contains("<topic>a&lt;b&gt;&amp;c</topic>", "x&#13;\ny]]&gt;");
    assertThat(PushMessageReader.read(utf8(xml))).isEqualTo(m);
  }

  @Test
  void writesAContentUpdateWithoutSyncTokenAsEmptyElement() {
    assertThat(
            new String(
                PushMessageWriter.write(PushMessage.contentUpdate(Topic.of("t"), null)),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "<push-message xmlns=\"https://bitfire.at/webdav-push\""
                + " xmlns:D=\"DAV:\"><topic>t</topic><content-update/></push-message>");
  }

  @Test
  void readsAPushMessageWithRepeatedAndUnknownChildren() {
    PushMessage m =
        PushMessageReader.read(
            utf8(
                "<push-message xmlns=\"https://bitfire.at/"
                    + "webdav-push\" xmlns:D=\"DAV:\"><x:new xmlns:x=\"urn:x\"/><topic>one</topic>"
                    + "<topic>two</topic><content-update/><content-update><D:sync-token>s2</D:sync-token>"
                    + "</content-update><property-update><D:prop><D:displayname/></D:prop></property-update>"
                    + "<property-update><D:prop><D:owner/></D:prop></property-update></push-message>"));

    assertThat(m.topic()).contains(Topic.of("one"));
    assertThat(m.contentUpdate()).contains(new PushMessage.ContentUpdate("s2"));
    assertThat(m.propertyUpdate().orElseThrow().properties()).hasSize(2);
  }

  @Test
  void rejectsAPushMessageWithAnotherRoot() {
    assertThatThrownBy(() -> PushMessageReader.read(utf8("<D:error xmlns:D=\"DAV:\"/>")))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("push-message");
  }

  @Test
  void rejectsAMultistatusWithAnotherRootAndAnErrorWithAnotherRoot() {
    assertThatThrownBy(() -> MultistatusReader.read(utf8("<D:error xmlns:D=\"DAV:\"/>")))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("multistatus");
    assertThatThrownBy(() -> ErrorReader.read(utf8("<D:multistatus xmlns:D=\"DAV:\"/>")))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("error");
  }

  @Test
  void reportsAnInvalidVapidKeyAtTheAccessorWithItsPosition() {
    DavResponse r =
        MultistatusReader.read(
                utf8(
                    "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\""
                        + "https://bitfire.at/webdav-push\"><D:response><D:href>/c/</D:href><D:propstat><D:prop>"
                        + "<P:topic>t</P:topic>\n<P:transports><P:web-push><P:vapid-public-key type=\"p256ecdsa\">"
                        + "AAAA</P:vapid-public-key></P:web-push></P:transports></D:prop></D:propstat>"
                        + "</D:response></D:multistatus>"))
            .get(0);

    assertThat(r.topic()).contains(Topic.of("t"));
    assertThatThrownBy(r::transports)
        .isInstanceOfSatisfying(PushXmlException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void reportsSupportedTriggersWithoutAnyTrigger() {
    DavResponse r =
        MultistatusReader.read(
                utf8(
                    "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\""
                        + "https://bitfire.at/webdav-push\"><D:response><D:href>/c/</D:href><D:propstat><D:prop>"
                        + "<P:supported-triggers/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
                        + "</D:response></D:multistatus>"))
            .get(0);

    assertThatThrownBy(r::supportedTriggers).isInstanceOf(PushXmlException.class);
  }

  @Test
  void readsAResponseLevelStatusAndUnreadableStatusLines() {
    List<DavResponse> rs =
        MultistatusReader.read(
            utf8(
                "<D:multistatus xmlns:D=\"DAV:\">"
                    + "<D:response><D:href> /gone/ </D:href><D:status>HTTP/1.1 404 Not Found</D:status>"
                    + "</D:response><D:response><D:href>/c/</D:href><D:propstat><D:prop><D:displayname/>"
                    + "</D:prop><D:status>garbage</D:status></D:propstat></D:response></D:multistatus>"));

    assertThat(rs.get(0).href()).isEqualTo("/gone/");
    assertThat(rs.get(0).responseStatus()).isEqualTo(OptionalInt.of(404));
    assertThat(rs.get(1).responseStatus()).isEmpty();
    assertThat(rs.get(1).status(dev.davpush.PropertyName.DISPLAYNAME)).isEqualTo(OptionalInt.of(0));
    assertThat(rs.get(1).text(dev.davpush.PropertyName.DISPLAYNAME)).isEmpty();
  }

  @Test
  void returnsAFreshErrorBodyEachTime() {
    byte[] first = ErrorWriter.write(Precondition.PUSH_NOT_AVAILABLE);
    first[0] = 'x';

    assertThat(ErrorWriter.write(Precondition.PUSH_NOT_AVAILABLE)[0]).isEqualTo((byte) '<');
  }

  @Test
  void writesTheCalConnectInvalidTopicsError() {
    assertThat(
            new String(
                CalConnect.writeInvalidTopics(List.of("123", "a&b")), StandardCharsets.UTF_8))
        .isEqualTo(
            "<D:error xmlns:D=\"DAV:\" xmlns:P=\"urn:ietf:params:"
                + "xml:ns:dav-push\"><P:invalid-topics><P:topic>123</P:topic><P:topic>a&amp;b</P:topic>"
                + "</P:invalid-topics></D:error>");
    assertThatThrownBy(() -> CalConnect.writeInvalidTopics(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsACalConnectSubscribeWithoutTopicOrTransport() {
    assertThatThrownBy(
            () ->
                CalConnect.readSubscribe(
                    new java.io.ByteArrayInputStream(
                        utf8(
                            "<P:subscribe xmlns:P=\"urn:ietf:params:xml:ns:dav-push\"><P:selected-transport>"
                                + "<P:transport-uri>u</P:transport-uri></P:selected-transport></P:subscribe>"))))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("topic");
    assertThatThrownBy(
            () ->
                CalConnect.readSubscribe(
                    new java.io.ByteArrayInputStream(
                        utf8(
                            "<P:subscribe xmlns:P=\"urn:ietf:params:xml:ns:dav-push\"><P:topic>t</P:topic>"
                                + "</P:subscribe>"))))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("transport-uri");
  }

  @Test
  void readsADocumentInAnotherDeclaredEncoding() {
    byte[] latin1 =
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><push-message xmlns=\""
                + "https://bitfire.at/webdav-push\"><topic>caf\u00e9</topic></push-message>")
            .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(PushMessageReader.read(latin1).topic()).contains(Topic.of("caf\u00e9"));
  }
}
