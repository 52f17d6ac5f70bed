package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.davpush.testkit.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server whose push properties are malformed gets failed checks and a report, not a crash. */
class MalformedTargetIT {
  private static final String BAD_VAPID_MULTISTATUS =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
          + "<D:multistatus xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\">"
          + "<D:response><D:href>/dav/cal/</D:href><D:propstat><D:prop>"
          + "<D:resourcetype><D:collection/></D:resourcetype>"
          + "<P:transports><P:web-push><P:vapid-public-key type=\"p256ecdsa\">AAAA"
          + "</P:vapid-public-key></P:web-push></P:transports>"
          + "<P:topic>O7M1nQ7cKkKTKsoS_j6Z3w</P:topic>"
          + "<P:supported-triggers><P:content-update><D:depth>1</D:depth></P:content-update>"
          + "</P:supported-triggers>"
          + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
          + "</D:multistatus>";

  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          if (ex.getRequestMethod().equals("OPTIONS")) {
            ex.getResponseHeaders().add("DAV", "1, 3, webdav-push");
            ex.sendResponseHeaders(200, -1);
          } else if (ex.getRequestMethod().equals("PROPFIND")) {
            byte[] body = BAD_VAPID_MULTISTATUS.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/xml; charset=utf-8");
            ex.sendResponseHeaders(207, body.length);
            ex.getResponseBody().write(body);
          } else {
            ex.sendResponseHeaders(405, -1);
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBrokenVapidKeyFailsItsRequirementAndTheRunStillReports() {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dav/cal/");

    ConformanceReport report = ConformanceRunner.run(ConformanceRunnerIT.options(target));

    assertThat(report.failures())
        .as(report.toTable())
        .extracting(r -> r.requirement().id())
        .containsExactly("R-WDP-51");
    assertThat(report.result("R-WDP-5").outcome()).isEqualTo(Outcome.PASSED);
    assertThat(report.result("R-WDP-34").outcome()).isEqualTo(Outcome.NOT_TESTED);
    assertThat(report.result("R-WDP-34").evidence())
        .startsWith("discovery gave no usable topic or web-push transport");
    assertThat(report.mustPassed()).isFalse();
  }
}
