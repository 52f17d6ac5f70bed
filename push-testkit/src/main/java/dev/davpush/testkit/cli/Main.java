package dev.davpush.testkit.cli;

import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.BaselineException;
import dev.davpush.testkit.runner.ConformanceReport;
import dev.davpush.testkit.runner.ConformanceRunner;
import dev.davpush.testkit.runner.RunnerOptions;
import dev.davpush.testkit.runner.TargetException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kit's command line.
 *
 * <pre>
 * java -jar push-testkit-&lt;version&gt;-cli.jar [--target URL] [--user U --password-env VAR]
 *     [--second-user U --second-password-env VAR] [--report DIR] [--strict]
 *     [--only SEL[,SEL...]] [--skip SEL[,SEL...]] [--baseline FILE] [--write-baseline FILE]
 *     [--push-service http|https] [--push-service-bind ADDR[:PORT]] [--push-service-url URL]
 *     [--ca-out FILE] [--ca-store FILE --ca-store-password-env VAR]
 *     [--push-service-keystore FILE --push-service-keystore-password-env VAR]
 * java -jar push-testkit-&lt;version&gt;-cli.jar serve [--port N] [--push-resources any|https-only]
 *     [--trust-ca FILE] [--jdbc-url URL [--jdbc-user U] [--jdbc-password-env VAR]]
 * </pre>
 *
 * <p>Prints a progress line per scenario, then the table; writes {@code report.json}, {@code
 * report.xml} and {@code report.html} into the report directory ({@code docs/kit-reports.md}).
 *
 * <p>Exit status: 0 when no result fails the run (a MUST failure; a SHOULD failure with {@code
 * --strict}), or with {@code --baseline} when every such failure is listed there; 1 otherwise; 2
 * for usage errors, unreadable or invalid baselines, reports or baselines that cannot be written,
 * and targets the kit cannot check (unreachable, authentication refused, not a collection, no
 * WebDAV-Push support, or a push resource the target refuses or cannot reach for a reason of the
 * kit's configuration: plain HTTP, a loopback address, a certificate it does not trust; the message
 * says what to configure, {@code docs/kit-reach.md}).
 */
@Command(
    name = "davpush-kit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Checks a WebDAV-Push server against the draft and RFC 8030/8291/8292.",
      "Without --target it starts the embedded reference server and checks that."
    },
    subcommands = {Main.Serve.class, Watch.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:no result fails the run (a MUST failure; a SHOULD failure with --strict), or every"
          + " such failure is listed in the --baseline file",
      "1:a result fails the run and no baseline lists it",
      "2:usage error, unreadable or invalid baseline, report or baseline not written, or a"
          + " target the kit cannot check (unreachable, authentication refused, not a"
          + " collection, no WebDAV-Push, or it refuses or cannot reach the kit's push service:"
          + " plain HTTP, loopback, untrusted certificate; the message says what to configure)"
    },
    footer = {
      "",
      "--only and --skip take requirement IDs (R-WDP-25) and areas: discovery, registration,"
          + " notification, suppression, lifecycle, push-request, encryption, vapid, security,"
          + " push-service, client-interop (CI- findings, never a run failure).",
      "Reports: docs/kit-reports.md."
    })
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int RUN_FAILED = 1;
  static final int USAGE = 2;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "URL of a push-capable collection (default: the embedded reference server)")
  @Nullable String target;

  @Option(names = "--user", paramLabel = "U", description = "HTTP Basic user name")
  @Nullable String user;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "name of the environment variable holding the password")
  @Nullable String passwordEnv;

  @Option(
      names = "--second-user",
      paramLabel = "U",
      description =
          "a second user with write access, for the checks that registrations are"
              + " bound to their user (R-WDP-62)")
  @Nullable String secondUser;

  @Option(
      names = "--second-password-env",
      paramLabel = "VAR",
      description = "name of the environment variable holding the second user's password")
  @Nullable String secondPasswordEnv;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      defaultValue = "davpush-report",
      description =
          "directory for the JSON, JUnit XML and HTML reports (default: ${DEFAULT-VALUE})")
  Path report;

  @Option(
      names = "--strict",
      description = "SHOULD failures fail the run as well (exit status 1, <failure> in report.xml)")
  boolean strict;

  @Option(
      names = "--only",
      paramLabel = "SEL",
      split = ",",
      description = "check only these requirement IDs or areas (comma-separated, repeatable)")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--skip",
      paramLabel = "SEL",
      split = ",",
      description = "leave out these requirement IDs or areas (comma-separated, repeatable)")
  List<String> skip = new ArrayList<>();

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "expected deviations (JSON): the run passes when nothing fails it except what the"
              + " file lists; newly failing and newly passing requirements are reported")
  @Nullable Path baseline;

  @Option(
      names = "--write-baseline",
      paramLabel = "FILE",
      description = "write the run's failures as a baseline file (does not change the exit status)")
  @Nullable Path writeBaseline;

  @Option(
      names = "--baseline-reason",
      paramLabel = "TEXT",
      description = "the reason --write-baseline records (default: the date and the target)")
  @Nullable String baselineReason;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "how long to wait for an expected push message (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--quiet-period",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "how long to watch for an unexpected push message (default: ${DEFAULT-VALUE})")
  int quietSeconds;

  // --- reach: the embedded push service's scheme, address, URL and certificate (docs/kit-reach.md)

  @Option(
      names = "--push-service",
      paramLabel = "http|https",
      description =
          "scheme of the kit's push service (default: http, or https when --push-service-url is"
              + " https or a CA or key store option is given). With https the kit checks R-WDP-64"
              + " and R-8030-1; the server must trust the kit's CA (--ca-out)")
  @Nullable String pushService;

  @Option(
      names = "--push-service-bind",
      paramLabel = "ADDR[:PORT]",
      description =
          "address (and port) the push service listens on (default: 127.0.0.1 and a free port;"
              + " IPv6 as [::1]:8443)")
  @Nullable String pushServiceBind;

  @Option(
      names = "--push-service-url",
      paramLabel = "URL",
      description =
          "base URL the server reaches the push service under, push resources are minted below"
              + " it (http(s)://HOST[:PORT]; without a port: the port it listens on)")
  @Nullable String pushServiceUrl;

  @Option(
      names = "--ca-out",
      paramLabel = "FILE",
      description = "write the kit's CA certificate (PEM) here, for the server's trust store")
  @Nullable Path caOut;

  @Option(
      names = "--ca-store",
      paramLabel = "FILE",
      description =
          "keep the kit's CA (key and certificate, PKCS#12) in this file: loaded when it exists,"
              + " else generated and saved, so the server needs to be told to trust it once")
  @Nullable Path caStore;

  @Option(
      names = "--ca-store-password-env",
      paramLabel = "VAR",
      description = "name of the environment variable holding the --ca-store password")
  @Nullable String caStorePasswordEnv;

  @Option(
      names = "--push-service-keystore",
      paramLabel = "FILE",
      description =
          "serve HTTPS with this certificate and key (PKCS#12) instead of one from the kit's CA")
  @Nullable Path pushServiceKeystore;

  @Option(
      names = "--push-service-keystore-password-env",
      paramLabel = "VAR",
      description = "name of the environment variable holding the --push-service-keystore password")
  @Nullable String pushServiceKeystorePasswordEnv;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args the arguments
   * @return the exit status
   */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(System.out, true, java.nio.charset.Charset.defaultCharset()),
        new PrintWriter(System.err, true, java.nio.charset.Charset.defaultCharset()),
        args);
  }

  /**
   * Runs the command line with the given output streams, without exiting.
   *
   * @param out where the table and messages go
   * @param err where errors go
   * @param args the arguments
   * @return the exit status
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    // the kit runs without a logging provider; keep SLF4J's notice about that off the console
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    return new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("error: " + e.getMessage());
              return USAGE;
            })
        .execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (timeoutSeconds <= 0 || quietSeconds <= 0) {
      err.println("error: --timeout and --quiet-period must be positive");
      return USAGE;
    }
    if ((user == null) != (passwordEnv == null)) {
      err.println("error: --user and --password-env go together");
      return USAGE;
    }
    if ((secondUser == null) != (secondPasswordEnv == null)) {
      err.println("error: --second-user and --second-password-env go together");
      return USAGE;
    }
    @Nullable String password;
    @Nullable String secondPassword;
    try {
      password = passwordFrom(passwordEnv);
      secondPassword = passwordFrom(secondPasswordEnv);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    @Nullable Baseline expected = null;
    if (baseline != null) {
      try {
        expected = Baseline.read(baseline);
      } catch (IOException e) {
        err.println("error: cannot read the baseline " + baseline + ": " + e.getMessage());
        return USAGE;
      } catch (BaselineException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
    }
    PushServiceSetup reach;
    try {
      reach = PushServiceSetup.from(this, out);
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    ReferenceServer embedded = null;
    ProgressPrinter progress = new ProgressPrinter(out);
    try {
      URI uri;
      if (target == null) {
        embedded = reach.referenceServer().start();
        uri = embedded.calendarUri();
        out.println("no --target: checking the embedded reference server at " + uri);
      } else {
        try {
          uri = new URI(target);
        } catch (URISyntaxException e) {
          err.println("error: --target is not a URL: " + e.getMessage());
          return USAGE;
        }
      }
      RunnerOptions.Builder options;
      try {
        options =
            RunnerOptions.builder(uri)
                .pushTimeout(Duration.ofSeconds(timeoutSeconds))
                .quietPeriod(Duration.ofSeconds(quietSeconds))
                .only(only)
                .skip(skip)
                .strict(strict)
                .listener(progress);
        reach.apply(options);
        if (embedded != null) {
          // the embedded server offers the hooks for R-WDP-33 and R-WDP-55
          options
              .expireHook(embedded::expireRegistration)
              .keyRotationHook(embedded::rotateVapidKey);
        }
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
      // each user comes with its password-env (checked above), so with a password
      if (user != null && password != null) {
        options.credentials(user, password);
      }
      if (secondUser != null && secondPassword != null) {
        options.secondCredentials(secondUser, secondPassword);
      }
      out.flush();
      RunnerOptions built;
      try {
        built = options.build();
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
      ConformanceReport result = ConformanceRunner.run(built);
      progress.finish();
      if (expected != null) {
        result = result.withBaseline(expected);
      }
      out.print(result.toTable());
      Path json = result.writeTo(report);
      out.println(
          "reports: report.json, report.xml, report.html in " + json.toAbsolutePath().getParent());
      if (writeBaseline != null) {
        Baseline written = Baseline.from(result, reasonFor(result));
        try {
          written.write(writeBaseline);
        } catch (IOException e) {
          err.println("error: cannot write the baseline " + writeBaseline + ": " + e.getMessage());
          return USAGE;
        }
        out.println(
            "baseline: wrote "
                + written.size()
                + (written.size() == 1 ? " expected deviation to " : " expected deviations to ")
                + writeBaseline.toAbsolutePath());
      }
      out.flush();
      return exitStatus(result);
    } catch (TargetException e) {
      progress.finish();
      out.flush();
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException e) {
      err.println("error: cannot write the report: " + e.getMessage());
      return USAGE;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /**
   * The exit status of a finished run.
   *
   * @param result the report, with its strictness and any baseline
   * @return {@link #OK} when the run is {@linkplain ConformanceReport#accepted() accepted}, else
   *     {@link #RUN_FAILED}
   */
  static int exitStatus(ConformanceReport result) {
    return result.accepted() ? OK : RUN_FAILED;
  }

  private String reasonFor(ConformanceReport result) {
    if (baselineReason != null) {
      return baselineReason;
    }
    return "failed on "
        + LocalDate.ofInstant(result.started(), ZoneOffset.UTC)
        + " against "
        + result.targetForDisplay();
  }

  /**
   * Reads a password from the environment variable an option names.
   *
   * @param variable the variable's name, or null when the option was not given
   * @return the password, or null when the option was not given
   * @throws IllegalArgumentException if the variable is not set
   */
  private static @Nullable String passwordFrom(@Nullable String variable) {
    if (variable == null) {
      return null;
    }
    String value = System.getenv(variable);
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + variable + " is not set");
    }
    return value;
  }

  /** {@code serve}: runs the reference server until stopped. */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the reference WebDAV-Push server on 127.0.0.1 until stopped (Ctrl-C).",
        "It accepts push resources on 127.0.0.1, since it is a test server; plain-HTTP ones"
            + " unless --push-resources https-only."
      })
  static final class Serve implements Callable<Integer> {
    @Option(
        names = "--port",
        paramLabel = "N",
        defaultValue = "0",
        description = "port on 127.0.0.1 (default: a free port)")
    int port;

    // ---- serve --jdbc-url: registrations and deliveries in PostgreSQL (docs/jdbc.md)
    @Option(
        names = "--jdbc-url",
        paramLabel = "URL",
        description =
            "keep registrations, pending deliveries, the VAPID key and the topics in this"
                + " PostgreSQL database (jdbc:postgresql://HOST:PORT/DB), so that a restart keeps"
                + " them; use a fixed --port, since registration URLs name it")
    @Nullable String jdbcUrl;

    @Option(
        names = "--jdbc-user",
        paramLabel = "U",
        description = "database user (with --jdbc-url)")
    @Nullable String jdbcUser;

    @Option(
        names = "--jdbc-password-env",
        paramLabel = "VAR",
        description =
            "name of the environment variable holding the database password (with --jdbc-url)")
    @Nullable String jdbcPasswordEnv;

    @Option(
        names = "--push-resources",
        paramLabel = "any|https-only",
        defaultValue = "any",
        description =
            "push resources the server accepts: any (default), or https-only as R-WDP-64 asks"
                + " (loopback stays allowed)")
    String pushResources = "any";

    @Option(
        names = "--trust-ca",
        paramLabel = "FILE",
        description =
            "PEM certificate(s) of a CA the server's push transport trusts besides the JVM's"
                + " (for example the kit's, from --ca-out)")
    @Nullable Path trustCa;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      if (jdbcUrl == null && (jdbcUser != null || jdbcPasswordEnv != null)) {
        err.println("error: --jdbc-user and --jdbc-password-env need --jdbc-url");
        return USAGE;
      }
      ReferenceServer.Builder builder = ReferenceServer.builder().port(port);
      switch (pushResources) {
        case "any" -> builder.pushResources(ReferenceServer.PushResources.ANY);
        case "https-only" -> builder.pushResources(ReferenceServer.PushResources.HTTPS_ONLY);
        default -> {
          err.println("error: --push-resources: expected any or https-only, got " + pushResources);
          return USAGE;
        }
      }
      if (trustCa != null) {
        try {
          KitCertificateAuthority.readPem(trustCa).forEach(builder::trust);
        } catch (IOException | IllegalArgumentException e) {
          err.println("error: --trust-ca " + trustCa + ": " + e.getMessage());
          return USAGE;
        }
      }
      @Nullable JdbcBacking backing = null;
      ReferenceServer server;
      try {
        if (jdbcUrl != null) {
          @Nullable String password = passwordFrom(jdbcPasswordEnv);
          backing = JdbcBacking.open(jdbcUrl, jdbcUser, password);
          builder = backing.configure(builder);
        }
        server = builder.start();
      } catch (RuntimeException e) {
        if (backing != null) {
          backing.close();
        }
        // typed messages of the database, the URL check or a missing variable; never the password
        err.println("error: " + e.getMessage());
        return USAGE;
      }
      @Nullable JdbcBacking opened = backing;
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    if (opened != null) {
                      opened.close();
                    }
                    stopped.countDown();
                  },
                  "davpush-serve-shutdown"));
      PrintWriter out = spec.commandLine().getOut();
      if (jdbcUrl != null) {
        out.println("registrations in PostgreSQL at " + withoutQuery(jdbcUrl));
      }
      out.println("reference server running; push-capable collections:");
      out.println("  " + server.calendarUri() + "   (calendar)");
      out.println("  " + server.addressBookUri() + "   (address book)");
      out.println("  " + server.filesUri() + "   (plain collection)");
      out.println("VAPID public key: " + server.vapidPublicKey().toBase64Url());
      out.println("press Ctrl-C to stop");
      out.flush();
      stopped.await();
      return OK;
    }
  }

  /** A JDBC URL without its query, which may carry a password: what {@code serve} prints. */
  static String withoutQuery(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"davpush-kit " + (v == null ? "(development build)" : v)};
    }
  }
}
