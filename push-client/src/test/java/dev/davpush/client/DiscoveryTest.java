package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery against scripted multistatus answers: current, legacy and alternative forms. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiscoveryTest {
  /** The RFC 8292 example key, also the draft's sample VAPID key. */
  private static final String VAPID =
      "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";

  private ScriptedServer server;
  private DavPushClient client;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    client = DavPushClient.builder().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static String ms(String... responses) {
    return "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\""
        + " xmlns:L=\"DAV:Push\" xmlns:CS=\"http://calendarserver.org/ns/\""
        + " xmlns:G=\"urn:ietf:params:xml:ns:dav-push\">"
        + String.join("", responses)
        + "</D:multistatus>";
  }

  private static String response(String href, String ok, String missing) {
    return "<D:response><D:href>"
        + href
        + "</D:href><D:propstat><D:prop>"
        + ok
        + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        + (missing.isEmpty()
            ? ""
            : "<D:propstat><D:prop>"
                + missing
                + "</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>")
        + "</D:response>";
  }

  @Test
  void readsTheCurrentDraftAndTheComplianceClass() throws Exception {
    server.then(ScriptedServer.Answer.of(200).header("DAV", "1, 2, calendar-access, webdav-push"));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response(
                    "/cal/",
                    "<P:transports><P:web-push><P:vapid-public-key type=\"p256ecdsa\">"
                        + VAPID
                        + "</P:vapid-public-key></P:web-push></P:transports>"
                        + "<P:topic>O7M1nQ7cKkKTKsoS_j6Z3w</P:topic>"
                        + "<P:supported-triggers><P:content-update><D:depth>1</D:depth>"
                        + "</P:content-update></P:supported-triggers>"
                        + "<D:sync-token>http://example.com/sync/10</D:sync-token>",
                    "<CS:pushkey/>"))));
    PushDiscovery d = client.discover(server.uri("/cal/")).get();
    assertThat(d.complianceClassAdvertised()).contains(true);
    assertThat(d.supportsWebPush()).isTrue();
    assertThat(d.vapidKey()).contains(P256PublicKey.fromBase64Url(VAPID));
    assertThat(d.topic().orElseThrow().value()).isEqualTo("O7M1nQ7cKkKTKsoS_j6Z3w");
    assertThat(d.supportedTriggers().orElseThrow().contentUpdate()).contains(Depth.ONE);
    assertThat(d.syncToken()).contains("http://example.com/sync/10");
    assertThat(d.legacyDraft()).isFalse();
    assertThat(d.alternatives()).isEmpty();
    assertThat(d.resource()).isEqualTo(server.uri("/cal/"));
    // the PROPFIND asked for every form
    String propfind =
        server.requests().stream()
            .filter(r -> r.method().equals("PROPFIND"))
            .findFirst()
            .orElseThrow()
            .bodyText();
    assertThat(propfind).contains("transports", "push-transports", "DAV:Push", "pushkey");
  }

  @Test
  void notFoundPropstatMeansNotSupportedNotAnError() throws Exception {
    server.then(ScriptedServer.Answer.of(200).header("DAV", "1, 2"));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response(
                    "/files/",
                    "<D:resourcetype><D:collection/></D:resourcetype>",
                    "<P:transports/><P:topic/><P:supported-triggers/>"))));
    PushDiscovery d = client.discover(server.uri("/files/")).get();
    assertThat(d.supportsWebPush()).isFalse();
    assertThat(d.complianceClassAdvertised()).contains(false);
    assertThat(d.topic()).isEmpty();
    assertThat(d.transports()).isEmpty();
    assertThat(d.resourceTypes()).contains(PropertyName.of("DAV:", "collection"));
  }

  @Test
  void readsTheOlderDraftForms() throws Exception {
    server.then(ScriptedServer.Answer.of(405));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response(
                    "/cal/",
                    "<L:push-transports><L:transport><L:web-push><L:server-public-key"
                        + " type=\"p256dh\">"
                        + VAPID
                        + "</L:server-public-key></L:web-push></L:transport></L:push-transports>"
                        + "<L:topic>cal-1</L:topic>",
                    ""))));
    PushDiscovery d = client.discover(server.uri("/cal/")).get();
    assertThat(d.legacyDraft()).isTrue();
    assertThat(d.supportsWebPush()).isTrue();
    assertThat(d.vapidKey()).contains(P256PublicKey.fromBase64Url(VAPID));
    assertThat(d.complianceClassAdvertised()).isEmpty();
  }

  @Test
  void reportsAppleAndCalConnectAsAlternatives() throws Exception {
    server.then(ScriptedServer.Answer.of(200));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response(
                    "/cal/",
                    "<CS:push-transports><CS:transport type=\"APSD\"><CS:subscription-url>"
                        + "<D:href>https://dav.example.com/apns</D:href></CS:subscription-url>"
                        + "<CS:apsbundleid>com.example.cal</CS:apsbundleid><CS:env>PRODUCTION"
                        + "</CS:env><CS:refresh-interval>172800</CS:refresh-interval>"
                        + "</CS:transport></CS:push-transports><CS:pushkey>/Cal/abc</CS:pushkey>"
                        + "<G:push-subscribe-URL><D:href>https://dav.example.com/sub"
                        + "</D:href></G:push-subscribe-URL><G:supported-transport-set>"
                        + "<G:transport><G:transport-uri>https://gw.example.com</G:transport-uri>"
                        + "<G:refresh-interval>3600</G:refresh-interval></G:transport>"
                        + "</G:supported-transport-set><G:topic>t-1</G:topic>",
                    ""))));
    PushDiscovery d = client.discover(server.uri("/cal/")).get();
    assertThat(d.supportsWebPush()).isFalse();
    assertThat(d.alternatives()).hasSize(2);
    AlternativePush.Apple apple = (AlternativePush.Apple) d.alternatives().get(0);
    assertThat(apple.pushKey()).isEqualTo("/Cal/abc");
    assertThat(apple.transports().get(0).apsBundleId()).isEqualTo("com.example.cal");
    assertThat(apple.refreshInterval()).contains(Duration.ofDays(2));
    assertThat(d.alternatives().get(1)).isInstanceOf(AlternativePush.CalConnect.class);
    assertThat(d.refreshInterval()).contains(Duration.ofHours(1));
  }

  @Test
  void anUnreadableVapidKeyIsADeviationNotAFailure() throws Exception {
    server.then(ScriptedServer.Answer.of(200));
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response(
                    "/cal/",
                    "<P:transports><P:web-push><P:vapid-public-key type=\"p256ecdsa\">AAAA"
                        + "</P:vapid-public-key></P:web-push></P:transports><P:topic>x</P:topic>",
                    ""))));
    PushDiscovery d = client.discover(server.uri("/cal/")).get();
    assertThat(d.transports()).isEmpty();
    assertThat(d.topic()).isPresent();
    assertThat(d.deviations()).extracting(ServerDeviation::requirement).containsExactly("R-WDP-51");
  }

  @Test
  void depthOneListsTheCollectionAndItsMembers() throws Exception {
    server.then(
        ScriptedServer.Answer.xml(
            207,
            ms(
                response("/home/", "<P:topic>home</P:topic>", ""),
                response(
                    "/home/work/",
                    "<P:topic>work</P:topic><P:transports><P:web-push/></P:transports>",
                    ""),
                response("/home/holidays/", "", "<P:topic/>"))));
    List<PushDiscovery> list = client.discoverMembers(server.uri("/home/")).get();
    assertThat(list)
        .extracting(PushDiscovery::resource)
        .containsExactly(
            server.uri("/home/"), server.uri("/home/work/"), server.uri("/home/holidays/"));
    assertThat(list.get(1).supportsWebPush()).isTrue();
    assertThat(list.get(1).vapidKey()).isEmpty();
    assertThat(list.get(2).supportsWebPush()).isFalse();
    assertThat(server.requests().get(0).header("Depth")).isEqualTo("1");
  }
}
