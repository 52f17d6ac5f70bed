package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlLimitsTest {
  @Test
  void defaultsAreTheDocumentedConstants() {
    XmlLimits d = XmlLimits.defaults();

    assertThat(d.maxDepth()).isEqualTo(XmlLimits.DEFAULT_MAX_DEPTH);
    assertThat(d.maxTextLength()).isEqualTo(XmlLimits.DEFAULT_MAX_TEXT_LENGTH);
    assertThat(d.maxAttributeCount()).isEqualTo(XmlLimits.DEFAULT_MAX_ATTRIBUTE_COUNT);
    assertThat(d.maxInputBytes()).isEqualTo(XmlLimits.DEFAULT_MAX_INPUT_BYTES);
    assertThat(d.maxElements()).isEqualTo(XmlLimits.DEFAULT_MAX_ELEMENTS);
    assertThat(XmlLimits.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
  }

  @Test
  void rejectsLimitsBelowOneNamingTheParameter() {
    assertThatThrownBy(() -> XmlLimits.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> XmlLimits.builder().maxTextLength(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTextLength");
    assertThatThrownBy(() -> XmlLimits.builder().maxAttributeCount(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttributeCount");
    assertThatThrownBy(() -> XmlLimits.builder().maxInputBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInputBytes");
    assertThatThrownBy(() -> XmlLimits.builder().maxElements(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxElements");
  }

  @Test
  void capsTheDepthSoThatNoTreeIsTooDeepToWalk() {
    assertThat(XmlLimits.builder().maxDepth(XmlLimits.MAX_DEPTH_CAP).build().maxDepth())
        .isEqualTo(1_000);
    assertThatThrownBy(() -> XmlLimits.builder().maxDepth(XmlLimits.MAX_DEPTH_CAP + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDepth")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> XmlLimits.builder().maxDepth(100_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_DEPTH_CAP");
  }

  @Test
  void derivesChangedLimitsWithToBuilder() {
    XmlLimits l = XmlLimits.defaults().toBuilder().maxDepth(3).build();

    assertThat(l.maxDepth()).isEqualTo(3);
    assertThat(l.maxElements()).isEqualTo(XmlLimits.DEFAULT_MAX_ELEMENTS);
    assertThat(l).isNotEqualTo(XmlLimits.defaults());
  }

  @Test
  void appliesEachLimitAtItsBoundary() {
    XmlLimits tight =
        XmlLimits.builder()
            .maxDepth(3)
            .maxTextLength(5)
            .maxAttributeCount(1)
            .maxInputBytes(400)
            .maxElements(5)
            .build();
    String ok =
        "<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic a=\"1\">abcde"
            + "</topic><content-update/><x><y/></x></push-message>";

    assertThat(read(ok, tight).topic())
        .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("abcde"));
    assertThatThrownBy(() -> read(ok.replace("<y/>", "<y><z/></y>"), tight))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> read(ok.replace("abcde", "abcdef"), tight))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxTextLength");
    assertThatThrownBy(() -> read(ok.replace("a=\"1\"", "a=\"1\" b=\"2\""), tight))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxAttributeCount");
    assertThatThrownBy(() -> read(ok.replace("<content-update/>", "<content-update/><q/>"), tight))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxElements");
    assertThatThrownBy(() -> read(ok + " ".repeat(400), tight))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxInputBytes");
    assertThatThrownBy(
            () ->
                read(
                    ok.replace("a=\"1\"", "a=\"" + "v".repeat(4097) + "\""),
                    tight.toBuilder().maxInputBytes(10_000).build()))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("attribute value");
    assertThatThrownBy(
            () ->
                PushMessageReader.read(
                    (ok + " ".repeat(2_000_000)).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("maxInputBytes");
  }

  private static dev.davpush.PushMessage read(String xml, XmlLimits limits) {
    return PushMessageReader.read(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), limits);
  }
}
