package dev.davpush.testkit.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PropertyName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Properties of {@link HrefProperties}: garbage is harmless, written hrefs come back. */
class HrefPropertiesPropertyTest {
  private static final PropertyName HOME =
      PropertyName.of("urn:ietf:params:xml:ns:carddav", "addressbook-home-set");

  @Property(tries = 300)
  void anyBytesGiveAValueAndNeverAnException(@ForAll @Size(max = 400) byte[] body) {
    assertThat(HrefProperties.read(body)).isNotNull();
    assertThat(HrefProperties.first(body, HOME)).isNotNull();
  }

  @Property(tries = 300)
  void hrefsWrittenIntoAMultistatusAreReadBackInOrder(
      @ForAll @Size(min = 1, max = 5)
          List<@AlphaChars @NumericChars @StringLength(min = 1, max = 20) String> segments) {
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\"><D:response>"
                + "<D:href>/principals/x/</D:href><D:propstat><D:prop>"
                + "<A:addressbook-home-set xmlns:A=\"urn:ietf:params:xml:ns:carddav\">");
    for (String s : segments) {
      xml.append("<D:href>/").append(s).append("/</D:href>");
    }
    xml.append("</A:addressbook-home-set></D:prop><D:status>HTTP/1.1 200 OK</D:status>")
        .append("</D:propstat></D:response></D:multistatus>");

    assertThat(HrefProperties.first(xml.toString().getBytes(StandardCharsets.UTF_8), HOME))
        .containsExactlyElementsOf(segments.stream().map(s -> "/" + s + "/").toList());
  }
}
