package dev.davpush.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.davpush.testkit.reference.ReferenceServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path reports;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void checksTheEmbeddedReferenceServerWhenNoTargetIsGiven() throws IOException {
    int status = run("--report", reports.toString(), "--timeout", "20", "--quiet-period", "2");

    assertThat(status).as(out + "\n" + err).isEqualTo(0);
    assertThat(out.toString()).contains("R-WDP-25", "MUST", "PASSED", "MUST all passed");
    assertThat(Files.readString(reports.resolve("report.json"))).contains("\"mustPassed\" : true");
    assertThat(reports.resolve("report.xml")).exists();
  }

  @Test
  void exitsWithOneWhenAMustCheckFails() {
    try (ReferenceServer broken =
        ReferenceServer.builder().fault(ReferenceServer.Fault.RELATIVE_LOCATION).start()) {
      int status =
          run(
              "--target",
              broken.calendarUri().toString(),
              "--report",
              reports.toString(),
              "--quiet-period",
              "1");
      assertThat(status).as(out + "\n" + err).isEqualTo(1);
      assertThat(out.toString()).contains("R-WDP-25", "FAILED");
    }
  }

  @Test
  void namesAnUnreachableTargetAndExitsWithTwo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int status =
        run("--target", "http://127.0.0.1:" + port + "/dav/", "--report", reports.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("error:", "cannot connect").doesNotContain("\tat ");
  }

  @Test
  void namesATargetThatIsNotACollection() throws Exception {
    try (ReferenceServer server = ReferenceServer.start()) {
      var http = java.net.http.HttpClient.newHttpClient();
      var put =
          java.net.http.HttpRequest.newBuilder(server.filesUri().resolve("note.txt"))
              .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
              .build();
      http.send(put, java.net.http.HttpResponse.BodyHandlers.discarding());

      int status =
          run(
              "--target",
              server.filesUri().resolve("note.txt").toString(),
              "--report",
              reports.toString());

      assertThat(status).isEqualTo(2);
      assertThat(err.toString()).contains("not a collection");
    }
  }

  @Test
  void namesAServerWithoutWebDavPush() throws IOException {
    HttpServer plain =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    plain.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(ex.getRequestMethod().equals("OPTIONS") ? 200 : 405, -1);
          ex.close();
        });
    plain.start();
    try {
      int status =
          run(
              "--target",
              "http://127.0.0.1:" + plain.getAddress().getPort() + "/dav/",
              "--report",
              reports.toString());
      assertThat(status).isEqualTo(2);
      assertThat(err.toString()).contains("expected 207");
    } finally {
      plain.stop(0);
    }
  }

  @Test
  void namesRefusedAuthentication() {
    try (ReferenceServer server = ReferenceServer.builder().user("alice", "secret").start()) {
      int status = run("--target", server.calendarUri().toString(), "--report", reports.toString());
      assertThat(status).isEqualTo(2);
      assertThat(err.toString()).contains("authentication refused");
    }
  }

  @Test
  void usesCredentialsFromTheEnvironmentVariableItIsGiven() {
    String variable = System.getenv().containsKey("PATH") ? "PATH" : null;
    assertThat(variable).as("the test needs some environment variable").isNotNull();
    try (ReferenceServer server =
        ReferenceServer.builder().user("alice", System.getenv(variable)).start()) {
      int status =
          run(
              "--target",
              server.calendarUri().toString(),
              "--user",
              "alice",
              "--password-env",
              variable,
              "--report",
              reports.toString(),
              "--quiet-period",
              "1");
      assertThat(status).as(out + "\n" + err).isEqualTo(0);
    }
  }

  @Test
  void rejectsBadUsageWithTwo() {
    assertThat(run("--no-such-option")).isEqualTo(2);
    assertThat(run("--user", "alice")).isEqualTo(2);
    assertThat(run("--second-user", "bob")).isEqualTo(2);
    assertThat(run("--second-user", "bob", "--second-password-env", "DAVPUSH_NO_SUCH_VARIABLE"))
        .isEqualTo(2);
    assertThat(run("--target", "not a url at all")).isEqualTo(2);
    assertThat(run("--target", "ftp://127.0.0.1/x/")).isEqualTo(2);
  }
}
