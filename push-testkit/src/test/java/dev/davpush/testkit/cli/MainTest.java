package dev.davpush.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.JunitXmlDom;
import dev.davpush.testkit.report.MixedRun;
import dev.davpush.testkit.report.SchemaValidation;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

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
    assertThat(out.toString())
        .contains("R-WDP-25", "MUST", "PASSED", "summary: ", "run PASSED", "reports: ");
    assertThat(Files.readString(reports.resolve("report.json")))
        .contains("\"schemaVersion\" : 2", "\"passed\" : true", "\"accepted\" : true");
    assertThat(Files.readString(reports.resolve("report.xml"))).contains("failures=\"0\"");
    assertThat(Files.readString(reports.resolve("report.html"))).contains("run PASSED");
  }

  @Test
  void withABaselineThatExpectsAFailureOfARequirementThatPassesReportsItNewlyPassing()
      throws IOException {
    Path baseline = reports.resolve("baseline.json");
    Baseline.of(List.of(new Baseline.Expectation("R-WDP-4", Outcome.FAILED, "was broken in 0.0.9")))
        .write(baseline);

    int status =
        run(
            "--report",
            reports.toString(),
            "--baseline",
            baseline.toString(),
            "--only",
            "discovery",
            "--quiet-period",
            "1");

    assertThat(status).as(out + "\n" + err).isEqualTo(0);
    assertThat(out.toString())
        .contains(
            "baseline: 0 expected deviations, 0 new failures, 1 newly passing (R-WDP-4);"
                + " matches");
    assertThat(Files.readString(reports.resolve("report.json")))
        .contains("\"newlyPassing\" : [ \"R-WDP-4\" ]");
    assertThat(Files.readString(reports.resolve("report.html"))).contains("1 newly passing");
  }

  @Test
  void writesABaselineFromTheRun() throws IOException {
    Path baseline = reports.resolve("ci/baseline.json");

    int status =
        run(
            "--report",
            reports.toString(),
            "--write-baseline",
            baseline.toString(),
            "--baseline-reason",
            "accepted for 0.1",
            "--only",
            "discovery",
            "--quiet-period",
            "1");

    assertThat(status).as(out + "\n" + err).isEqualTo(0);
    Baseline written = Baseline.read(baseline);
    assertThat(SchemaValidation.errors(Baseline.SCHEMA_RESOURCE, Files.readString(baseline)))
        .isEmpty();
    assertThat(written.expectations())
        .allSatisfy(e -> assertThat(e.reason()).isEqualTo("accepted for 0.1"));
    assertThat(out.toString())
        .contains("baseline: wrote " + written.size() + " expected deviation");
  }

  @Test
  void theExitStatusFollowsTheBaselineWhenOneIsGiven() {
    ConformanceReport failing = MixedRun.report();
    Baseline listsIt =
        Baseline.of(List.of(new Baseline.Expectation("R-WDP-24", Outcome.FAILED, "known")));
    Baseline listsOther =
        Baseline.of(List.of(new Baseline.Expectation("R-WDP-2", Outcome.FAILED, "known")));

    assertThat(Main.exitStatus(failing)).isEqualTo(1);
    assertThat(Main.exitStatus(failing.withBaseline(listsIt))).isEqualTo(0);
    assertThat(Main.exitStatus(failing.withBaseline(listsOther))).isEqualTo(1);
    assertThat(Main.exitStatus(failing.withBaseline(listsIt).withStrict(true))).isEqualTo(1);
    assertThat(
            Main.exitStatus(failing.withBaseline(Baseline.from(failing, "all")).withStrict(true)))
        .isEqualTo(0);
  }

  @Test
  void runsOnlyTheSelectedAreas() throws IOException {
    int status =
        run(
            "--report",
            reports.toString(),
            "--only",
            "registration",
            "--only",
            "R-WDP-4",
            "--quiet-period",
            "1");

    assertThat(status).as(out + "\n" + err).isEqualTo(0);
    assertThat(out.toString())
        .containsPattern("R-WDP-25 +MUST +PASSED")
        .containsPattern("R-WDP-4 +MUST +PASSED")
        .containsPattern("R-WDP-5 +MUST +NOT_TESTED +not selected \\(--only / --skip\\)");
  }

  @Test
  void refusesABaselineWithAnUnknownIdBeforeRunning() throws IOException {
    Path baseline = reports.resolve("baseline.json");
    Files.writeString(
        baseline,
        "{\"schemaVersion\":1,\"expectations\":[{\"id\":\"R-WDP-4711\",\"outcome\":\"FAILED\","
            + "\"reason\":\"\"}]}");

    int status = run("--baseline", baseline.toString(), "--report", reports.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .contains("error: baseline " + baseline, "'R-WDP-4711' is not a requirement ID");
    assertThat(out.toString()).doesNotContain("checking");
    assertThat(reports.resolve("report.json")).doesNotExist();
  }

  @Test
  void refusesAMissingBaseline() {
    int status =
        run("--baseline", reports.resolve("none.json").toString(), "--report", reports.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read the baseline");
  }

  @Test
  void refusesAnUnknownSelector() {
    assertThat(run("--only", "registration,R-WDP-9999", "--report", reports.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("'R-WDP-9999' is neither a requirement ID of the catalogue nor an area");
    assertThat(run("--skip", "no-such-area", "--report", reports.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("'no-such-area'");
  }

  @Test
  void helpDocumentsTheExitStatusAndTheNewOptions() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains(
            "Exit status:",
            "--baseline=FILE",
            "--write-baseline=FILE",
            "--only=SEL",
            "--skip=SEL",
            "--strict",
            "the JSON, JUnit XML and HTML reports",
            "areas: discovery, registration, notification, suppression, lifecycle,"
                + " push-request, encryption, vapid, security, push-service, client-interop");
  }

  @Test
  void printsAProgressLinePerScenario() {
    StringWriter progress = new StringWriter();
    ProgressPrinter printer = new ProgressPrinter(new PrintWriter(progress, true));
    List<CheckResult> results = MixedRun.results();

    printer.scenarioStarted("discovery", 1, 2);
    printer.scenarioFinished("discovery", results.subList(0, 2), Duration.ofMillis(1234));
    printer.scenarioStarted("registration", 2, 2);
    printer.scenarioFinished("registration", List.of(), Duration.ofMillis(50));
    printer.scenarioStarted("lifecycle", 3, 3);
    printer.finish();

    assertThat(progress.toString().lines())
        .containsExactly(
            "[1/2] discovery ... 1 passed, 1 failed (R-WDP-2 SHOULD) in 1.2 s",
            "[2/2] registration ... nothing recorded in 0.1 s",
            "[3/3] lifecycle ...");
  }

  @Test
  void aPlantedFaultFailsItsRequirementInEveryReportAndABaselineThatListsItPassesTheRun()
      throws Exception {
    try (ReferenceServer broken =
        ReferenceServer.builder().fault(ReferenceServer.Fault.RELATIVE_LOCATION).start()) {
      Path baseline = reports.resolve("baseline.json");
      int status =
          run(
              "--target",
              broken.calendarUri().toString(),
              "--report",
              reports.toString(),
              "--quiet-period",
              "1",
              "--write-baseline",
              baseline.toString());

      assertThat(status).as(out + "\n" + err).isEqualTo(1);
      assertThat(out.toString())
          .containsPattern("R-WDP-25 +MUST +FAILED")
          .contains("run FAILED: 1 failure fails the run (R-WDP-25)")
          .contains("baseline: wrote 1 expected deviation to ");
      JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
      assertThat(json.at("/counts/FAILED").intValue()).isEqualTo(1);
      assertThat(json.at("/passed").booleanValue()).isFalse();
      assertThat(failedIds(json)).containsExactly("R-WDP-25");
      Document xml = JunitXmlDom.parse(Files.readString(reports.resolve("report.xml")));
      assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
      assertThat(
              ((Element) xml.getElementsByTagName("failure").item(0).getParentNode())
                  .getAttribute("name"))
          .startsWith("R-WDP-25 MUST ");
      String html = Files.readString(reports.resolve("report.html"));
      assertThat(html.substring(html.indexOf("<h2>Failures</h2>"), html.indexOf("id=\"results\"")))
          .contains("<td class=\"id\">R-WDP-25</td>", "fails the run");
      assertThat(Baseline.read(baseline).expectations())
          .extracting(Baseline.Expectation::id)
          .containsExactly("R-WDP-25");

      out.getBuffer().setLength(0);
      int withBaseline =
          run(
              "--target",
              broken.calendarUri().toString(),
              "--report",
              reports.toString(),
              "--quiet-period",
              "1",
              "--baseline",
              baseline.toString());

      assertThat(withBaseline).as(out + "\n" + err).isEqualTo(0);
      assertThat(out.toString())
          .containsPattern("R-WDP-25 +MUST +FAILED")
          .contains("baseline: 1 expected deviation, 0 new failures, 0 newly passing; matches")
          .contains(
              "run PASSED with the baseline: 1 failure fails the run, all expected (R-WDP-25)");
      JsonNode again = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
      assertThat(again.at("/accepted").booleanValue()).isTrue();
      assertThat(again.at("/baseline/stillDeviating/0").textValue()).isEqualTo("R-WDP-25");
      Document xmlAgain = JunitXmlDom.parse(Files.readString(reports.resolve("report.xml")));
      assertThat(xmlAgain.getDocumentElement().getAttribute("failures")).isEqualTo("0");
      assertThat(Files.readString(reports.resolve("report.xml")))
          .contains("MUST failed (expected by the baseline: failed on ");
      assertThat(Files.readString(reports.resolve("report.html")))
          .contains("class=\"verdict pass\"", "run PASSED with the baseline");
    }
  }

  private static List<String> failedIds(JsonNode json) {
    List<String> ids = new java.util.ArrayList<>();
    json.get("results")
        .forEach(
            r -> {
              if (r.get("outcome").textValue().equals("FAILED")) {
                ids.add(r.get("id").textValue());
              }
            });
    return ids;
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
              "--only",
              "discovery,registration",
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
