package dev.davpush.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's reach options: HTTPS push service, CA files, and exit 2 on refusals. */
class MainReachTest {
  /**
   * An environment variable every test JVM has, used as the name --ca-store-password-env reads, so
   * that the test needs no environment of its own.
   */
  private static final String PASSWORD_ENV = "PATH";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /**
   * Runs the command line with a quiet period of 1 s after {@code args} and checks its exit status,
   * showing what it printed when that differs.
   */
  private void assertExit(int expected, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--quiet-period";
    all[args.length + 1] = "1";
    int status = run(all);
    assertThat(status).as(out + "\n" + err).isEqualTo(expected);
  }

  private static ReferenceServer.Builder httpsOnlyServer() {
    return ReferenceServer.builder().pushResources(ReferenceServer.PushResources.HTTPS_ONLY);
  }

  @Test
  void checksTheEmbeddedServerOverHttpsAndWritesTheCa() throws IOException {
    Path pem = dir.resolve("kit-ca.pem");

    assertExit(
        0,
        "--report",
        dir.resolve("report").toString(),
        "--push-service",
        "https",
        "--ca-out",
        pem.toString(),
        "--timeout",
        "20");
    assertThat(out.toString()).contains("written to", "R-WDP-64", "R-8030-1", "run PASSED");
    assertThat(Files.readString(dir.resolve("report").resolve("report.json")))
        .containsPattern("\"id\" : \"R-WDP-64\"[^}]*\"outcome\" : \"PASSED\"")
        .containsPattern("\"id\" : \"R-8030-1\"[^}]*\"outcome\" : \"PASSED\"");
    assertThat(KitCertificateAuthority.readPem(pem)).hasSize(1);
  }

  @Test
  void anHttpsOnlyServerStopsAPlainHttpRunWithExit2AndWhatToConfigure() {
    try (ReferenceServer server = httpsOnlyServer().start()) {
      assertExit(2, "--target", server.calendarUri().toString(), "--report", dir.toString());
      assertThat(err.toString())
          .contains("plain HTTP on a loopback address", "--push-service-url https://", "--ca-out")
          .doesNotContainPattern("/push/[A-Za-z0-9_-]{16,}");
      assertThat(out.toString()).doesNotContain("run FAILED");
    }
  }

  @Test
  void anHttpsOnlyServerThatTrustsTheStoredCaPassesOverHttps() throws IOException {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    Path store = dir.resolve("kit-ca.p12");
    ca.save(store, System.getenv(PASSWORD_ENV).toCharArray());
    try (ReferenceServer server = httpsOnlyServer().trust(ca.certificate()).start()) {
      assertExit(
          0,
          "--target",
          server.calendarUri().toString(),
          "--report",
          dir.resolve("report").toString(),
          "--ca-store",
          store.toString(),
          "--ca-store-password-env",
          PASSWORD_ENV,
          "--push-service-bind",
          "127.0.0.1:0",
          "--push-service-url",
          "https://127.0.0.1",
          "--timeout",
          "20");
      assertThat(out.toString()).contains("loaded from", "run PASSED");
    }
  }

  @Test
  void aServerThatDoesNotTrustTheKitCaStopsTheRunWithExit2() {
    try (ReferenceServer server = httpsOnlyServer().start()) {
      assertExit(
          2,
          "--target",
          server.calendarUri().toString(),
          "--report",
          dir.toString(),
          "--push-service",
          "https",
          "--only",
          "R-WDP-34",
          "--timeout",
          "8");
      assertThat(err.toString()).contains("did not accept the kit's certificate", "--ca-out");
    }
  }

  @Test
  void servesTheUsersKeyStoreAndTheEmbeddedServerTrustsItsChain() throws Exception {
    KitCertificateAuthority ca = KitCertificateAuthority.generate();
    KitCertificateAuthority.ServerIdentity id =
        ca.issueServerIdentity(java.util.List.of("127.0.0.1"));
    Path keystore = dir.resolve("push-service.p12");
    char[] password = System.getenv(PASSWORD_ENV).toCharArray();
    java.security.KeyStore copy = java.security.KeyStore.getInstance("PKCS12");
    copy.load(null, null);
    copy.setKeyEntry(
        "mine",
        id.keyStore().getKey(KitCertificateAuthority.SERVER_ALIAS, id.password()),
        password,
        id.keyStore().getCertificateChain(KitCertificateAuthority.SERVER_ALIAS));
    try (java.io.OutputStream o = Files.newOutputStream(keystore)) {
      copy.store(o, password);
    }

    assertExit(
        0,
        "--report",
        dir.resolve("report").toString(),
        "--push-service-keystore",
        keystore.toString(),
        "--push-service-keystore-password-env",
        PASSWORD_ENV,
        "--only",
        "security,R-WDP-34",
        "--timeout",
        "20");
    assertThat(out.toString()).containsPattern("R-WDP-64 +MUST +PASSED");
  }

  @Test
  void rejectsContradictoryReachOptions() {
    assertThat(run("--push-service", "http", "--ca-out", dir.resolve("x.pem").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--push-service http does not go with");
    assertThat(run("--push-service", "gopher")).isEqualTo(2);
    assertThat(run("--push-service-bind", "127.0.0.1:70000")).isEqualTo(2);
    assertThat(err.toString()).contains("expected a port 0..65535");
    assertThat(run("--push-service-url", "https://push.example.test/base")).isEqualTo(2);
    assertThat(run("--ca-store", dir.resolve("s.p12").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--ca-store and --ca-store-password-env go together");
    assertThat(Files.exists(dir.resolve("x.pem"))).isFalse();
  }

  @Test
  void parsesBindAddresses() {
    assertThat(PushServiceSetup.bind("127.0.0.1:8443"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 8443));
    assertThat(PushServiceSetup.bind("[::1]:8443").getAddress().isLoopbackAddress()).isTrue();
    assertThat(PushServiceSetup.bind("[::1]:8443").getPort()).isEqualTo(8443);
    assertThat(PushServiceSetup.bind("::1").getPort()).isZero();
    assertThat(PushServiceSetup.bind("127.0.0.1").getPort()).isZero();
  }
}
