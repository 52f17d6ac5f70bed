package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputTest {
  static final Duration BOUND = Duration.ofSeconds(10);

  static void rejects(byte[] input, String messagePart) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (Consumer<byte[]> reader : readers()) {
            assertThatThrownBy(() -> reader.accept(input))
                .isInstanceOf(PushXmlException.class)
                .hasMessageContaining(messagePart);
          }
        });
  }

  static List<Consumer<byte[]>> readers() {
    return List.of(
        b -> PushRegisterReader.read(b),
        b -> PushMessageReader.read(b),
        b -> MultistatusReader.read(b),
        b -> ErrorReader.read(b),
        b -> CalConnect.readSubscribe(new ByteArrayInputStream(b)),
        b -> PushRegisterReader.read(new ByteArrayInputStream(b)),
        b -> PushMessageReader.read(new ByteArrayInputStream(b)),
        b -> MultistatusReader.read(new ByteArrayInputStream(b)),
        b -> ErrorReader.read(new ByteArrayInputStream(b)));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rejectsTheBillionLaughs() {
    StringBuilder sb =
        new StringBuilder(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n" + " <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      sb.append(" <!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        sb.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
      }
      sb.append("\">\n");
    }
    sb.append("]>\n<push-register xmlns=\"https://bitfire.at/webdav-push\">&lol9;</push-register>");

    rejects(utf8(sb.toString()), "DOCTYPE");
  }

  @Test
  void rejectsExternalEntitiesWithoutResolvingThem(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\">]><push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>&xxe;</topic>"
            + "</push-message>";

    rejects(utf8(xml), "DOCTYPE");
    assertThatThrownBy(() -> PushMessageReader.read(utf8(xml)))
        .hasMessageNotContaining("TOP-SECRET");
  }

  @Test
  void rejectsAnExternalDtdReference() {
    rejects(
        utf8(
            "<!DOCTYPE push-message SYSTEM \"http://127.0.0.1:1/evil.dtd\">"
                + "<push-message xmlns=\"https://bitfire.at/webdav-push\"/>"),
        "DOCTYPE");
  }

  @Test
  void rejectsUndeclaredEntityReferences() {
    assertThatThrownBy(
            () ->
                PushMessageReader.read(
                    utf8(
                        "<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>&foo;</topic></push-message>")))
        .isInstanceOfSatisfying(PushXmlException.class, e -> assertThat(e.line()).isEqualTo(1));
  }

  @Test
  void rejectsATenMegabyteTextNode() {
    String big = "a".repeat(10 * 1024 * 1024);
    byte[] xml =
        utf8(
            "<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>"
                + big
                + "</topic></push-message>");

    rejects(xml, "");
    // with a generous byte limit the text limit is what stops it
    XmlLimits roomy = XmlLimits.builder().maxInputBytes(20 * 1024 * 1024).build();
    assertThatThrownBy(() -> PushMessageReader.read(new ByteArrayInputStream(xml), roomy))
        .isInstanceOf(PushXmlException.class)
        .hasMessageContaining("text");
  }

  @Test
  void rejectsHundredThousandDeepNesting() {
    StringBuilder sb = new StringBuilder("<push-message xmlns=\"https://bitfire.at/webdav-push\">");
    sb.append("<a>".repeat(100_000)).append("</a>".repeat(100_000)).append("</push-message>");
    byte[] xml = utf8(sb.toString());

    rejects(xml, "");
    XmlLimits roomy = XmlLimits.builder().maxInputBytes(20 * 1024 * 1024).build();
    assertThatThrownBy(() -> PushMessageReader.read(new ByteArrayInputStream(xml), roomy))
        .isInstanceOfSatisfying(PushXmlException.class, e -> assertThat(e.line()).isEqualTo(1))
        .hasMessageContaining("deeper");
  }

  @Test
  void rejectsTooManyAttributes() {
    StringBuilder sb = new StringBuilder("<push-message xmlns=\"https://bitfire.at/webdav-push\"");
    for (int i = 0; i < 100; i++) {
      sb.append(" a").append(i).append("=\"x\"");
    }
    sb.append("/>");

    rejects(utf8(sb.toString()), "attributes");
  }

  @Test
  void rejectsTooManyElements() {
    String xml =
        "<push-message xmlns=\"https://bitfire.at/webdav-push\">"
            + "<x/>".repeat(20_000)
            + "</push-message>";

    rejects(utf8(xml), "elements");
  }

  @Test
  void stopsReadingAnEndlessStreamAtTheByteLimit() {
    InputStream endless =
        new InputStream() {
          private final byte[] head =
              utf8("<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>");
          private long pos;

          @Override
          public int read() {
            return pos < head.length ? head[(int) pos++] : ' ';
          }
        };
    XmlLimits small = XmlLimits.builder().maxInputBytes(64 * 1024).build();

    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(() -> PushMessageReader.read(endless, small))
                .isInstanceOf(PushXmlException.class)
                .hasMessageContaining("65536 bytes"));
  }

  @Test
  void rejectsContentAfterTheRootAndBinaryGarbage() {
    rejects(utf8("<push-message xmlns=\"https://bitfire.at/webdav-push\"/><again/>"), "");
    rejects(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x3c}, "");
    rejects(new byte[] {(byte) 0xc3, 0x28}, "");
  }

  @Test
  void reportsAnUnknownEncodingAsTypedException() {
    rejects(utf8("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><a/>"), "");
  }
}
