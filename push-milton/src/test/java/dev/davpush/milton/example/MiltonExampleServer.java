package dev.davpush.milton.example;

import static java.util.Objects.requireNonNull;

import dev.davpush.milton.MiltonDavResources;
import dev.davpush.milton.MiltonPush;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.HttpManager;
import io.milton.http.ResourceFactory;
import io.milton.http.SecurityManager;
import io.milton.http.fs.NullSecurityManager;
import io.milton.servlet.ServletRequest;
import io.milton.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The milton example: a milton CE WebDAV file server on embedded Jetty 12 (Jakarta EE 10 servlets),
 * on 127.0.0.1, with WebDAV-Push wired in by {@link #wirePush}. It serves a directory (a fresh
 * temporary one by default) whose {@code files/} collection is push-capable like every other
 * collection.
 *
 * <p>Run it with {@code scripts/milton-example [--port N] [--user NAME --password-env VAR]
 * [--allow-loopback-http-push]}; it prints the push-capable collection's URL and runs until
 * stopped.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} is idempotent.
 */
public final class MiltonExampleServer implements AutoCloseable {
  /** The push-capable collection created in the served directory. */
  public static final String COLLECTION = "/files/";

  private final Server jetty;
  private final PushEngine engine;
  private final WebPushTransport webPush;
  private final URI baseUri;
  private final @Nullable Path ownedRoot;
  private final MiltonPush push;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MiltonExampleServer(Builder b) throws Exception {
    Path root = b.root;
    this.ownedRoot = root == null ? Files.createTempDirectory("davpush-milton-") : null;
    if (root == null) {
      root = ownedRoot;
    }
    Files.createDirectories(root.resolve(COLLECTION.substring(1)));
    this.jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(b.port);
    jetty.addConnector(connector);
    connector.open(); // bound now: the registration base needs the port
    this.baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");

    SecurityManager security =
        b.users.isEmpty() ? new NullSecurityManager() : new ExampleUsers(b.users);
    ResourceFactory factory = new ExampleFileSystem(root.toFile(), security, b.postableCollections);
    HttpManagerBuilder milton = new HttpManagerBuilder();
    milton.setResourceFactory(factory);
    milton.setEnableFormAuth(false);
    milton.setEnableCookieAuth(false);
    milton.setEnableDigestAuth(false);
    milton.setEnabledJson(false);
    milton.setEnableCompression(false);

    PushResourcePolicy policy =
        b.allowLoopbackHttpPush
            ? PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build()
            : PushResourcePolicy.defaults();
    Wiring w =
        wirePush(milton, factory, b.store, b.vapidKeyPair, policy, baseUri, b.users.isEmpty());
    this.engine = w.engine();
    this.webPush = w.webPush();
    this.push = w.push();
    HttpManager manager = milton.buildHttpManager();

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new MiltonBridge(manager)), "/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** What {@link #wirePush} made: the server owns and closes them. */
  record Wiring(PushEngine engine, WebPushTransport webPush, MiltonPush push) {}

  /**
   * The davpush-specific part of the example (the README shows the lines between the markers).
   *
   * @param milton milton's builder, before {@code buildHttpManager()}
   * @param factory the resource factory milton serves from
   * @param store where registrations are kept
   * @param vapidKeyPair the server's VAPID key pair (a secret; kept across restarts in production)
   * @param policy which push resources may be used: {@link PushResourcePolicy#defaults()}, or a
   *     policy allowing plain-http loopback push services for tests
   * @param baseUri the server's base URL
   * @param anonymous whether the server runs without authentication
   * @return the engine, transport and adapter
   */
  static Wiring wirePush(
      HttpManagerBuilder milton,
      ResourceFactory factory,
      SubscriptionStore store,
      VapidKeyPair vapidKeyPair,
      PushResourcePolicy policy,
      URI baseUri,
      boolean anonymous) {
    // README-MILTON-BEGIN
    MiltonDavResources resources = MiltonDavResources.of(factory); // every collection
    WebPushTransport webPush =
        WebPushTransport.builder()
            .vapidKeyPair(vapidKeyPair)
            .subject("mailto:admin@example.com")
            .pushResourcePolicy(policy) // PushResourcePolicy.defaults() in production
            .build();
    PushEngine engine =
        PushEngine.builder()
            .resources(resources)
            .store(store) // in memory here; a durable store in production
            .transport(webPush)
            .registrationBase(baseUri.resolve("/push/registrations/"))
            .build();
    MiltonPush.Builder push = MiltonPush.builder(engine, resources);
    if (anonymous) {
      push.anonymousPrincipal("anonymous"); // a server without authentication: one principal
    }
    MiltonPush adapter = push.build();
    adapter.install(milton); // before milton.buildHttpManager()
    // README-MILTON-END
    return new Wiring(engine, webPush, adapter);
  }

  /**
   * A new builder.
   *
   * @return a builder: a free port, a fresh temporary directory (deleted on close), no users,
   *     strict push-resource policy, a fresh VAPID key pair
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the server's base URL, {@code http://127.0.0.1:<port>/}} */
  public URI baseUri() {
    return baseUri;
  }

  /** {@return the push-capable collection {@code /files/}} */
  public URI collectionUri() {
    return baseUri.resolve(COLLECTION);
  }

  /** {@return the engine behind the server} */
  public PushEngine engine() {
    return engine;
  }

  /** {@return the installed adapter} */
  public MiltonPush push() {
    return push;
  }

  /** Stops Jetty, then the engine, then the transport; deletes a temporary directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping anyway
    }
    engine.close();
    webPush.close();
    if (ownedRoot != null) {
      try (Stream<Path> all = Files.walk(ownedRoot)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
    }
  }

  /** milton behind a servlet, as milton's own {@code MiltonServlet} does it. */
  private static final class MiltonBridge extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient HttpManager manager;

    MiltonBridge(HttpManager manager) {
      this.manager = manager;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        manager.process(new ServletRequest(req, getServletContext()), new ServletResponse(resp));
      } finally {
        resp.getOutputStream().flush();
        resp.flushBuffer();
      }
    }
  }

  /**
   * Builds and starts a {@link MiltonExampleServer}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private int port;
    private @Nullable Path root;
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean allowLoopbackHttpPush;
    private VapidKeyPair vapidKeyPair = VapidKeyPair.generate();
    private SubscriptionStore store = new InMemorySubscriptionStore();
    private boolean postableCollections = true;

    private Builder() {}

    /**
     * Sets the subscription store; default a new {@link InMemorySubscriptionStore}.
     *
     * @param store the store, for example one a test inspects
     * @return this builder
     */
    public Builder store(SubscriptionStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * Whether directories are served as {@link ExampleDirectory} ({@code PostableResource} and
     * {@code SyncCollectionResource}; default) or as milton's plain {@code FsDirectoryResource},
     * which milton sends no {@code POST} to: then the adapter's filter answers {@code
     * push-register}, and there is no sync-token.
     *
     * @param postable true for the example's directories
     * @return this builder
     */
    public Builder postableCollections(boolean postable) {
      this.postableCollections = postable;
      return this;
    }

    /**
     * Sets the port.
     *
     * @param port 0 (default) for a free port, else 1..65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: expected 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Serves an existing directory instead of a temporary one (not deleted on close).
     *
     * @param root the directory
     * @return this builder
     */
    public Builder root(Path root) {
      this.root = requireNonNull(root, "root");
      return this;
    }

    /**
     * Adds an HTTP Basic user; once any exists, every request needs credentials.
     *
     * @param name the user (and principal) name
     * @param password the password
     * @return this builder
     */
    public Builder user(String name, String password) {
      users.put(requireNonNull(name, "name"), requireNonNull(password, "password"));
      return this;
    }

    /**
     * Accepts plain-http push resources on loopback addresses, as the conformance kit's embedded
     * push service uses; default off (only https push resources on public addresses).
     *
     * @param allow whether to accept them
     * @return this builder
     */
    public Builder allowLoopbackHttpPush(boolean allow) {
      this.allowLoopbackHttpPush = allow;
      return this;
    }

    /**
     * Sets the VAPID key pair; default a fresh one.
     *
     * @param keyPair the key pair
     * @return this builder
     */
    public Builder vapidKeyPair(VapidKeyPair keyPair) {
      this.vapidKeyPair = requireNonNull(keyPair, "keyPair");
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws UncheckedIOException if the port cannot be bound or the directory not created
     */
    public MiltonExampleServer start() {
      try {
        return new MiltonExampleServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("milton example: cannot start on 127.0.0.1:" + port, e);
      } catch (Exception e) {
        throw new IllegalStateException("milton example: cannot start", e);
      }
    }
  }

  /**
   * Runs the example server until stopped.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Cli()).execute(args));
  }

  /** The command line. */
  @Command(
      name = "milton-example",
      mixinStandardHelpOptions = true,
      description = "A milton WebDAV file server with WebDAV-Push, on 127.0.0.1.")
  static final class Cli implements Callable<Integer> {
    @Option(names = "--port", description = "port on 127.0.0.1 (default: 8080; 0 for a free one)")
    int port = 8080;

    @Option(names = "--root", description = "directory to serve (default: a new temporary one)")
    @Nullable Path root;

    @Option(names = "--user", description = "require HTTP Basic authentication as this user")
    @Nullable String user;

    @Option(
        names = "--password-env",
        description = "environment variable holding --user's password")
    @Nullable String passwordEnv;

    @Option(
        names = "--allow-loopback-http-push",
        description = "accept plain-http push resources on 127.0.0.1 (for the conformance kit)")
    boolean allowLoopbackHttpPush;

    @Override
    public Integer call() throws InterruptedException {
      Builder b = builder().port(port).allowLoopbackHttpPush(allowLoopbackHttpPush);
      if (root != null) {
        b.root(root);
      }
      if (user != null) {
        String password = passwordEnv == null ? null : System.getenv(passwordEnv);
        if (password == null || password.isEmpty()) {
          System.err.println("--user needs --password-env naming a set environment variable");
          return 2;
        }
        b.user(user, password);
      }
      MiltonExampleServer server = b.start();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  }));
      System.out.println("milton WebDAV server with WebDAV-Push on " + server.baseUri());
      System.out.println("push-capable collection: " + server.collectionUri());
      System.out.println("stop with Ctrl-C");
      stopped.await();
      return 0;
    }
  }
}
