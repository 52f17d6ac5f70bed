package dev.davpush.testkit.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PropertyName;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading href-valued properties from a multistatus. */
class HrefPropertiesTest {
  private static final PropertyName CUP = PropertyName.of("DAV:", "current-user-principal");
  private static final PropertyName HOME =
      PropertyName.of("urn:ietf:params:xml:ns:caldav", "calendar-home-set");

  private static byte[] xml(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryHrefOfA2xxPropstatOfTheFirstResponse() {
    byte[] body =
        xml(
            "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\""
                + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response><d:href>/p/</d:href>"
                + "<d:propstat><d:prop><c:calendar-home-set>\n <d:href> /cal/a/ </d:href>"
                + "<d:href>https://other.example/cal/b/</d:href></c:calendar-home-set>"
                + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
                + "<d:propstat><d:prop><d:current-user-principal/></d:prop>"
                + "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>"
                + "<d:response><d:href>/q/</d:href><d:propstat><d:prop>"
                + "<d:current-user-principal><d:href>/wrong/</d:href></d:current-user-principal>"
                + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
                + "</d:multistatus>");

    assertThat(HrefProperties.first(body, HOME))
        .containsExactly("/cal/a/", "https://other.example/cal/b/");
    assertThat(HrefProperties.first(body, CUP)).isEmpty();
  }

  @Test
  void refusesADoctypeAndAnotherRoot() {
    assertThat(
            HrefProperties.read(
                xml(
                    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"/evil/\">]>"
                        + "<d:multistatus xmlns:d=\"DAV:\"><d:response><d:propstat><d:prop>"
                        + "<d:current-user-principal><d:href>&e;</d:href>"
                        + "</d:current-user-principal></d:prop>"
                        + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
                        + "</d:multistatus>")))
        .isEmpty();
    assertThat(HrefProperties.read(xml("<d:error xmlns:d=\"DAV:\"/>"))).isEmpty();
    assertThat(HrefProperties.read(xml("not xml at all"))).isEmpty();
  }
}
