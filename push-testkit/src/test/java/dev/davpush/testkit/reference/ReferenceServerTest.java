package dev.davpush.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Topic;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.xml.MultistatusReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceServerTest {
  private static final String NS = "https://bitfire.at/webdav-push";
  private static final String KEY =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

  private final HttpClient http = HttpClient.newHttpClient();
  private final SubscriptionStore store = new InMemorySubscriptionStore();
  private ReferenceServer server;

  @BeforeEach
  void start() {
    server = ReferenceServer.builder().store(store).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, URI uri, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<String> hostileBodies() {
    String laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
            + "]><push-register xmlns=\""
            + NS
            + "\">&c;</push-register>";
    String external =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<push-register xmlns=\""
            + NS
            + "\"><subscription><web-push-subscription><push-resource>&x;"
            + "</push-resource></web-push-subscription></subscription></push-register>";
    String deep = "<push-register xmlns=\"" + NS + "\">" + "<a>".repeat(100_000);
    String truncated = "<push-register xmlns=\"" + NS + "\"><subscription>";
    String relative = register("/relative/push", KEY, AUTH);
    String offCurve = register("http://127.0.0.1:9/push/x", KEY.substring(0, 85) + "AA", AUTH);
    String shortSecret = register("http://127.0.0.1:9/push/x", KEY, "AAAA");
    String noKeys =
        "<push-register xmlns=\""
            + NS
            + "\"><subscription><web-push-subscription>"
            + "<push-resource>http://127.0.0.1:9/push/x</push-resource></web-push-subscription>"
            + "</subscription></push-register>";
    return List.of(
        laughs,
        external,
        deep,
        truncated,
        relative,
        offCurve,
        shortSecret,
        noKeys,
        "\u0000\u0001garbage",
        "");
  }

  static String register(String pushResource, String key, String auth) {
    return "<push-register xmlns=\""
        + NS
        + "\" xmlns:D=\"DAV:\"><subscription><web-push-subscription>"
        + "<push-resource>"
        + pushResource
        + "</push-resource>"
        + "<subscription-public-key type=\"p256dh\">"
        + key
        + "</subscription-public-key>"
        + "<auth-secret>"
        + auth
        + "</auth-secret></web-push-subscription></subscription>"
        + "<trigger><content-update><D:depth>1</D:depth></content-update></trigger></push-register>";
  }

  @ParameterizedTest
  @MethodSource("hostileBodies")
  void refusesAHostileOrMalformedRegistrationWithoutStoringAnything(String body) throws Exception {
    HttpResponse<String> r =
        send("POST", server.calendarUri(), body, "Content-Type", "application/xml");

    assertThat(r.statusCode()).as(r.body()).isIn(400, 403, 415);
    Topic topic =
        server.engine().properties("/dav/calendars/personal/", "anonymous").orElseThrow().topic();
    assertThat(store.findByTopic(topic)).isEmpty();
  }

  @Test
  void refusesAnInvalidSubscriptionWithThePrecondition() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            server.calendarUri(),
            register("/relative/push", KEY, AUTH),
            "Content-Type",
            "application/xml");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("invalid-subscription");
  }

  @Test
  void advertisesWebDavPushOnCollectionsOnly() throws Exception {
    send("PUT", server.filesUri().resolve("a.txt"), "hello");
    assertThat(send("OPTIONS", server.filesUri(), null).headers().firstValue("DAV").orElse(""))
        .contains("webdav-push");
    assertThat(
            send("OPTIONS", server.filesUri().resolve("a.txt"), null)
                .headers()
                .firstValue("DAV")
                .orElse(""))
        .doesNotContain("webdav-push");
  }

  @Test
  void advancesTheSyncTokenOnEveryMemberChange() throws Exception {
    String before = syncToken(server.filesUri());
    assertThat(send("PUT", server.filesUri().resolve("b.txt"), "one").statusCode()).isEqualTo(201);
    String afterCreate = syncToken(server.filesUri());
    assertThat(send("PUT", server.filesUri().resolve("b.txt"), "two").statusCode()).isEqualTo(204);
    String afterUpdate = syncToken(server.filesUri());
    assertThat(send("DELETE", server.filesUri().resolve("b.txt"), null).statusCode())
        .isEqualTo(204);
    String afterDelete = syncToken(server.filesUri());

    assertThat(List.of(before, afterCreate, afterUpdate, afterDelete)).doesNotHaveDuplicates();
  }

  @Test
  void answersPropfindWithPushPropertiesAndA404ForUnknownOnes() throws Exception {
    String body =
        "<D:propfind xmlns:D=\"DAV:\" xmlns:P=\""
            + NS
            + "\"><D:prop><P:topic/>"
            + "<P:transports/><P:supported-triggers/><D:no-such-property/></D:prop></D:propfind>";
    HttpResponse<String> r = send("PROPFIND", server.calendarUri(), body, "Depth", "0");

    assertThat(r.statusCode()).isEqualTo(207);
    var response = MultistatusReader.read(r.body().getBytes(StandardCharsets.UTF_8)).get(0);
    assertThat(response.topic()).isPresent();
    assertThat(response.supportedTriggers()).isPresent();
    assertThat(response.transports()).hasValueSatisfying(t -> assertThat(t).hasSize(1));
    assertThat(response.status(dev.davpush.PropertyName.of("DAV:", "no-such-property")))
        .hasValue(404);
  }

  @Test
  void refusesPropfindWithInfiniteDepthAndMalformedBodies() throws Exception {
    assertThat(send("PROPFIND", server.calendarUri(), "", "Depth", "infinity").statusCode())
        .isEqualTo(403);
    assertThat(send("PROPFIND", server.calendarUri(), "<not-closed", "Depth", "0").statusCode())
        .isEqualTo(400);
  }

  @Test
  void setsADeadPropertyAndRefusesAProtectedOneAtomically() throws Exception {
    String set =
        "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>Work</D:displayname>"
            + "</D:prop></D:set></D:propertyupdate>";
    HttpResponse<String> ok = send("PROPPATCH", server.filesUri(), set);
    assertThat(ok.statusCode()).isEqualTo(207);
    assertThat(ok.body()).contains("HTTP/1.1 200 OK");

    String mixed =
        "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>Home</D:displayname>"
            + "<D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>";
    HttpResponse<String> refused = send("PROPPATCH", server.filesUri(), mixed);
    assertThat(refused.body()).contains("HTTP/1.1 403 Forbidden", "HTTP/1.1 424 Failed Dependency");

    String body = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/></D:prop></D:propfind>";
    HttpResponse<String> r = send("PROPFIND", server.filesUri(), body, "Depth", "0");
    assertThat(
            MultistatusReader.read(r.body().getBytes(StandardCharsets.UTF_8))
                .get(0)
                .text(dev.davpush.PropertyName.DISPLAYNAME))
        .hasValue("Work");
  }

  private String syncToken(URI collection) throws Exception {
    String body = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:sync-token/></D:prop></D:propfind>";
    HttpResponse<String> r = send("PROPFIND", collection, body, "Depth", "0");
    return MultistatusReader.read(r.body().getBytes(StandardCharsets.UTF_8))
        .get(0)
        .syncToken()
        .orElseThrow();
  }

  @Test
  void theCurrentUserPrincipalNamesTheHomeSetsAndItsPropertyUpdates() throws Exception {
    try (ReferenceServer users = ReferenceServer.builder().user("alice", "a-secret").start()) {
      String basic =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString("alice:a-secret".getBytes(StandardCharsets.UTF_8));
      String cup =
          "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
              + "<D:current-user-principal/></D:prop></D:propfind>";
      HttpResponse<String> own =
          send("PROPFIND", users.calendarUri(), cup, "Depth", "0", "Authorization", basic);
      assertThat(own.statusCode()).isEqualTo(207);
      assertThat(own.body())
          .contains("<D:href>/dav/principals/alice/</D:href>")
          .doesNotContain("anonymous");

      String homes =
          "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\""
              + " xmlns:C=\"urn:ietf:params:xml:ns:caldav\""
              + " xmlns:A=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:resourcetype/>"
              + "<C:calendar-home-set/><A:addressbook-home-set/>"
              + "<P:supported-triggers xmlns:P=\""
              + NS
              + "\"/></D:prop></D:propfind>";
      HttpResponse<String> principal =
          send(
              "PROPFIND", users.principalUri("alice"), homes, "Depth", "0", "Authorization", basic);
      var response =
          MultistatusReader.read(
                  new java.io.ByteArrayInputStream(
                      principal.body().getBytes(StandardCharsets.UTF_8)))
              .get(0);
      assertThat(response.resourceTypes())
          .contains(dev.davpush.PropertyName.of("DAV:", "principal"));
      assertThat(principal.body())
          .contains("<D:href>/dav/calendars/</D:href>", "<D:href>/dav/addressbooks/</D:href>");
      assertThat(response.supportedTriggers().orElseThrow().propertyUpdate()).isPresent();
    }
  }

  @Test
  void onlyPrincipalsNameHomeSetsAndTheyCannotBePatched() throws Exception {
    String homes =
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\""
            + " xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><C:calendar-home-set/>"
            + "</D:prop></D:propfind>";
    HttpResponse<String> calendar = send("PROPFIND", server.calendarUri(), homes, "Depth", "0");
    assertThat(calendar.body()).contains("404 Not Found").doesNotContain("/dav/calendars/</");

    String patch =
        "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\""
            + " xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
            + "<C:calendar-home-set>/elsewhere/</C:calendar-home-set></D:prop></D:set>"
            + "</D:propertyupdate>";
    HttpResponse<String> refused = send("PROPPATCH", server.principalUri("anonymous"), patch);
    assertThat(refused.body()).contains("403 Forbidden");
  }
}
