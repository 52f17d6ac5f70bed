package dev.davpush.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PropertyName;
import dev.davpush.testkit.reference.WebDavServer.DavChange;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.MultistatusReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The plain WebDAV server without push, and its extension seams. */
class WebDavServerTest {
  private static final URI BASE = URI.create("http://127.0.0.1:1/");
  private static final PropertyName COLOR = PropertyName.of("urn:example", "color");

  private final DavTree tree = tree();
  private final List<String> changes = new CopyOnWriteArrayList<>();

  private static DavTree tree() {
    DavTree t = new DavTree("http://127.0.0.1:1/sync/");
    t.createCollection("/dav/", java.util.Set.of(DavTree.COLLECTION), "root");
    t.createCollection("/dav/files/", java.util.Set.of(DavTree.COLLECTION), "Files");
    return t;
  }

  private static DavRequest request(String method, String path, String body, String... headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return new DavRequest(
        method, BASE.resolve(path), path, h, body.getBytes(StandardCharsets.UTF_8), "alice");
  }

  private WebDavServer plain() {
    return new WebDavServer(
        tree,
        WebDavServer.Extensions.none()
            .withChanges(
                (DavChange c, DavRequest r) ->
                    changes.add(
                        (c.deleted() ? "deleted " : c.isContentUpdate() ? "content " : "props ")
                            + c.path()
                            + " by "
                            + r.principal())));
  }

  @Test
  void withoutExtensionsThereIsNoPushAnywhere() {
    WebDavServer server = plain();
    DavReply options = server.handle(request("OPTIONS", "/dav/files/", ""));
    assertThat(options.status()).isEqualTo(200);
    assertThat(options.header("DAV")).doesNotContain("webdav-push");
    DavReply pf =
        server.handle(
            request(
                "PROPFIND",
                "/dav/files/",
                "<D:propfind xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\"><D:prop>"
                    + "<P:topic/><P:transports/><D:sync-token/></D:prop></D:propfind>",
                "Depth",
                "0"));
    assertThat(pf.status()).isEqualTo(207);
    DavResponse self = MultistatusReader.read(pf.body()).get(0);
    assertThat(self.status(PropertyName.SYNC_TOKEN)).hasValue(200);
    assertThat(self.status(dev.davpush.xml.WebDavPush.TOPIC)).hasValue(404);
    assertThat(server.handle(request("POST", "/dav/files/", "<x/>")).status()).isEqualTo(415);
  }

  @Test
  void writesReachTheListenerAfterTheyAreCommitted() {
    WebDavServer server = plain();
    assertThat(server.handle(request("PUT", "/dav/files/a.txt", "one")).status()).isEqualTo(201);
    assertThat(server.handle(request("PUT", "/dav/files/a.txt", "two")).status()).isEqualTo(204);
    assertThat(server.handle(request("GET", "/dav/files/a.txt", "")).bodyText()).isEqualTo("two");
    assertThat(server.handle(request("PUT", "/dav/nothing/a.txt", "x")).status()).isEqualTo(409);
    assertThat(server.handle(request("MKCOL", "/dav/files/sub/", "")).status()).isEqualTo(201);
    DavReply patch =
        server.handle(
            request(
                "PROPPATCH",
                "/dav/files/",
                "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:X=\"urn:example\"><D:set><D:prop>"
                    + "<X:color>blue</X:color></D:prop></D:set></D:propertyupdate>"));
    assertThat(patch.status()).isEqualTo(207);
    assertThat(server.handle(request("DELETE", "/dav/files/a.txt", "")).status()).isEqualTo(204);
    assertThat(server.handle(request("DELETE", "/dav/files/a.txt", "")).status()).isEqualTo(404);
    assertThat(changes)
        .containsExactly(
            "content /dav/files/a.txt by alice",
            "content /dav/files/a.txt by alice",
            "content /dav/files/sub/ by alice",
            "props /dav/files/ by alice",
            "deleted /dav/files/a.txt by alice");
  }

  @Test
  void theSeamsAddTokensPropertiesPostAndDelete() {
    WebDavServer server =
        new WebDavServer(
            tree,
            WebDavServer.Extensions.none()
                .withDavTokens((path, collection) -> collection ? List.of("x-ext") : List.of())
                .withLiveProperties(
                    new WebDavServer.LiveProperties() {
                      @Override
                      public java.util.Set<PropertyName> names() {
                        return java.util.Set.of(COLOR);
                      }

                      @Override
                      public boolean write(
                          javax.xml.stream.XMLStreamWriter w,
                          PropertyName n,
                          String path,
                          String principal)
                          throws javax.xml.stream.XMLStreamException {
                        w.writeStartElement("X", "color", "urn:example");
                        w.writeNamespace("X", "urn:example");
                        w.writeCharacters("live for " + principal);
                        w.writeEndElement();
                        return true;
                      }
                    })
                .withPost(r -> Optional.of(DavReply.text(202, "posted")))
                .withDelete(
                    r ->
                        r.path().startsWith("/push/")
                            ? Optional.of(DavReply.empty(204))
                            : Optional.empty()));
    assertThat(server.handle(request("OPTIONS", "/dav/files/", "")).header("DAV"))
        .endsWith(", x-ext");
    DavReply pf =
        server.handle(
            request(
                "PROPFIND",
                "/dav/files/",
                "<D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:example\"><D:prop><X:color/>"
                    + "</D:prop></D:propfind>",
                "Depth",
                "0"));
    assertThat(MultistatusReader.read(pf.body()).get(0).text(COLOR)).hasValue("live for alice");
    DavReply refused =
        server.handle(
            request(
                "PROPPATCH",
                "/dav/files/",
                "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:X=\"urn:example\"><D:set><D:prop>"
                    + "<X:color>red</X:color></D:prop></D:set></D:propertyupdate>"));
    assertThat(refused.bodyText()).contains("403 Forbidden");
    assertThat(server.handle(request("POST", "/dav/files/", "x")).status()).isEqualTo(202);
    assertThat(server.handle(request("DELETE", "/push/registrations/x", "")).status())
        .isEqualTo(204);
    assertThat(server.handle(request("DELETE", "/dav/nothing", "")).status()).isEqualTo(404);
  }

  @Test
  void depthInfinityAndUnknownMethodsAreRefused() {
    WebDavServer server = plain();
    assertThat(server.handle(request("PROPFIND", "/dav/", "", "Depth", "infinity")).status())
        .isEqualTo(403);
    DavReply r = server.handle(request("LOCK", "/dav/", ""));
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).contains("PROPFIND");
    assertThat(
            server
                .handle(request("PROPPATCH", "/dav/", "<?xml version=\"1.0\"?><!DOCTYPE x []><x/>"))
                .status())
        .isEqualTo(400);
  }
}
