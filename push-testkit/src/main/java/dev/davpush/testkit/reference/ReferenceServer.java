package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.davpush.P256PublicKey;
import dev.davpush.Registration;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.faults.PlantedFault;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushMessageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory WebDAV server with WebDAV-Push, on 127.0.0.1: the kit's known-good target and the
 * example of wiring davpush into a server.
 *
 * <p>Three parts: {@link WebDavServer}, a plain WebDAV server over an in-memory tree ({@code
 * OPTIONS}, {@code PROPFIND} depth 0 and 1, {@code PROPPATCH}, {@code MKCOL}, {@code GET}/{@code
 * HEAD}, {@code PUT}, {@code DELETE}, {@code POST}, HTTP Basic) that knows nothing of push; {@link
 * PushBridge}, the short glue to {@link PushEngine} and {@link
 * dev.davpush.server.PushRequestHandler} that fills the WebDAV server's extension seams; and this
 * class, which assembles them. Every collection is push-capable (content updates to depth 1,
 * property updates at depth 0) and has a {@code DAV:sync-token} that advances on each member
 * change. Like a CalDAV/CardDAV server, it has a principal per user, {@code
 * /dav/principals/<user>/} (for user names of letters, digits and {@code . _ ~ -}; {@code
 * anonymous} without users), named by {@code DAV:current-user-principal} and naming the home sets
 * {@code /dav/calendars/} and {@code /dav/addressbooks/} (R-WDP-46). Push messages are sent through
 * {@link WebPushTransport}, which here accepts push resources on loopback addresses, since this is
 * a test server, and by default plain-http ones too ({@link PushResources#ANY}); with {@link
 * PushResources#HTTPS_ONLY} it refuses them as R-WDP-64 asks, and {@link Builder#trust} adds
 * certificate authorities (the kit's) to the ones its transport trusts.
 *
 * <p>{@link ServerDecorator}s, among them the {@link PlantedFault}s, turn it into a deliberately
 * broken server from outside the known-good code, to show that the kit catches each fault by the
 * requirement it breaks. Two test hooks serve the kit's checks that need the server's help: {@link
 * #expireRegistration(URI)} and {@link #rotateVapidKey()}.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} is idempotent.
 */
public final class ReferenceServer implements AutoCloseable {
  /** The principal of unauthenticated requests when no users are configured. */
  public static final String ANONYMOUS = "anonymous";

  /** User names that get a principal collection: one URL path segment without escapes. */
  private static final String PRINCIPAL_NAME = "[A-Za-z0-9._~-]+";

  /** The VAPID {@code sub} claim of the reference server's push requests. */
  public static final String VAPID_SUBJECT = "mailto:reference-server@davpush.invalid";

  /** How long {@link #rotateVapidKey()} waits for the key-rotation messages at most. */
  public static final Duration KEY_ROTATION_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The six faults of earlier versions, kept for existing callers; each is now a {@link
   * PlantedFault} of the same name.
   *
   * <p>Thread safety: immutable.
   */
  public enum Fault {
    /** Answers registrations with a relative {@code Location} (breaks R-WDP-25). */
    RELATIVE_LOCATION,
    /** Never publishes changes, so no push message is ever sent (breaks R-WDP-34). */
    NEVER_PUSH,
    /** Ignores {@code Push-Dont-Notify} (breaks R-WDP-39). */
    IGNORE_DONT_NOTIFY,
    /** Leaves {@code webdav-push} out of the {@code DAV} header (breaks R-WDP-4). */
    NO_COMPLIANCE_CLASS,
    /** Keeps registrations whose push resource the push service reported gone (breaks R-WDP-45). */
    KEEP_GONE_SUBSCRIPTIONS,
    /** Lets any user delete any registration (breaks R-WDP-62). */
    UNREGISTER_FOR_ANYONE;

    /** {@return the planted fault of the same name} */
    public PlantedFault planted() {
      return PlantedFault.valueOf(name());
    }
  }

  /**
   * Which push resources the server accepts at registration and sends to.
   *
   * <p>Thread safety: immutable.
   */
  public enum PushResources {
    /** {@code https} and plain {@code http} ones (the default, for kits over plain HTTP). */
    ANY,
    /**
     * {@code https} only (R-WDP-64): a registration of an {@code http} push resource is refused
     * with 403 {@code invalid-subscription}. Loopback addresses stay allowed, since this is a test
     * server.
     */
    HTTPS_ONLY
  }

  private final HttpServer http;
  private final ExecutorService executor;
  private final PushEngine engine;
  private final WebPushTransport webPush;
  private final PushTransport transport;
  private final SubscriptionStore store;
  private final AtomicReference<VapidKeyPair> vapidKeyPair;
  private final URI baseUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReferenceServer(Builder b) throws IOException {
    this.http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    this.baseUri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    List<ServerDecorator> decorators = List.copyOf(b.decorators);
    WebPushTransport createdTransport = null;
    PushEngine createdEngine = null;
    try {
      VapidKeyPair initialKey = b.vapidKeyPair != null ? b.vapidKeyPair : VapidKeyPair.generate();
      this.vapidKeyPair = new AtomicReference<>(initialKey);
      DavTree tree = new DavTree(baseUri.resolve("/sync/").toString());
      tree.createCollection("/dav/", Set.of(DavTree.COLLECTION), "davpush reference");
      tree.createCollection("/dav/calendars/", Set.of(DavTree.COLLECTION), "Calendars");
      tree.createCollection(
          "/dav/calendars/personal/", Set.of(DavTree.COLLECTION, DavTree.CALENDAR), "Personal");
      tree.createCollection("/dav/addressbooks/", Set.of(DavTree.COLLECTION), "Address books");
      tree.createCollection(
          "/dav/addressbooks/contacts/",
          Set.of(DavTree.COLLECTION, DavTree.ADDRESSBOOK),
          "Contacts");
      tree.createCollection("/dav/files/", Set.of(DavTree.COLLECTION), "Files");
      tree.createCollection("/dav/principals/", Set.of(DavTree.COLLECTION), "Principals");
      for (String user : b.users.isEmpty() ? Set.of(ANONYMOUS) : b.users.keySet()) {
        if (user.matches(PRINCIPAL_NAME)) {
          tree.createCollection(
              "/dav/principals/" + user + "/", Set.of(DavTree.COLLECTION, DavTree.PRINCIPAL), user);
        }
      }

      TreeResources treeResources = new TreeResources(tree, b.topics);
      DavResources resources = treeResources;
      SubscriptionStore s = b.store != null ? b.store : new InMemorySubscriptionStore();
      PushMessageEncoder encoder = PushMessageWriter.encoder();
      for (ServerDecorator d : decorators) {
        resources = requireNonNull(d.resources(resources), "decorated resources");
        s = requireNonNull(d.store(s), "decorated store");
        encoder = requireNonNull(d.encoder(encoder), "decorated encoder");
      }
      this.store = s;
      WebPushTransport.Builder tb =
          WebPushTransport.builder()
              .vapidKeyPair(initialKey)
              .subject(VAPID_SUBJECT)
              .pushResourcePolicy(
                  PushResourcePolicy.builder()
                      .allowHttp(b.pushResources == PushResources.ANY)
                      .allowLoopback(true)
                      .build());
      if (!b.trusted.isEmpty()) {
        tb.sslContext(KitCertificateAuthority.trusting(b.trusted, true));
      }
      createdTransport = tb.build();
      this.webPush = createdTransport;
      PushTransport t = createdTransport;
      for (ServerDecorator d : decorators) {
        t = requireNonNull(d.transport(t, webPush, vapidKeyPair::get, VAPID_SUBJECT), "transport");
      }
      this.transport = t;
      PushEngine.Builder eb =
          PushEngine.builder()
              .resources(resources)
              .transport(transport)
              .messageEncoder(encoder)
              .registrationBase(baseUri.resolve("/push/registrations/"))
              .store(store)
              .keyRotationTimeout(KEY_ROTATION_TIMEOUT);
      for (ServerDecorator d : decorators) {
        eb = requireNonNull(d.engine(eb), "decorated engine builder");
      }
      createdEngine = eb.build();
      this.engine = createdEngine;

      ServerDecorator.Context context = new DecoratorContext(engine, baseUri);
      WebDavServer.Extensions extensions =
          new PushBridge(engine, resources, treeResources::forget).extensions();
      for (ServerDecorator d : decorators) {
        extensions = requireNonNull(d.extensions(extensions, context), "decorated extensions");
      }
      DavHandler handler =
          new WebDavServer(
              tree,
              extensions,
              new WebDavServer.Principals(
                  "/dav/principals/", "/dav/calendars/", "/dav/addressbooks/"));
      for (ServerDecorator d : decorators) {
        handler = requireNonNull(d.http(handler, context), "decorated handler");
      }
      AtomicInteger threads = new AtomicInteger();
      this.executor =
          Executors.newFixedThreadPool(
              8,
              r -> {
                Thread th = new Thread(r, "davpush-reference-" + threads.incrementAndGet());
                th.setDaemon(true);
                return th;
              });
      Authenticator authenticator = HttpAdapter.basic(b.users);
      for (ServerDecorator d : decorators) {
        authenticator = requireNonNull(d.authenticator(authenticator), "decorated authenticator");
      }
      http.createContext("/", new HttpAdapter(handler, baseUri, authenticator));
      http.setExecutor(executor);
      http.start();
    } catch (RuntimeException e) {
      // the port is bound: give it back, and whatever else was created, before failing
      http.stop(0);
      if (createdEngine != null) {
        createdEngine.close();
      }
      if (createdTransport != null) {
        createdTransport.close();
      }
      throw e;
    }
  }

  private record DecoratorContext(PushEngine engine, URI baseUri)
      implements ServerDecorator.Context {}

  /**
   * A new builder.
   *
   * @return a builder: free port, no users (every request acts as {@link #ANONYMOUS}), no faults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a server with the defaults.
   *
   * @return the running server
   */
  public static ReferenceServer start() {
    return builder().start();
  }

  /** {@return the server's base URL, {@code http://127.0.0.1:<port>/}} */
  public URI baseUri() {
    return baseUri;
  }

  /** {@return the push-capable calendar collection {@code /dav/calendars/personal/}} */
  public URI calendarUri() {
    return baseUri.resolve("/dav/calendars/personal/");
  }

  /** {@return the push-capable address book {@code /dav/addressbooks/contacts/}} */
  public URI addressBookUri() {
    return baseUri.resolve("/dav/addressbooks/contacts/");
  }

  /**
   * The principal of a user.
   *
   * @param user a user name given to the builder, or {@link #ANONYMOUS} when none was
   * @return {@code /dav/principals/<user>/}; the server has it only for names of letters, digits
   *     and {@code . _ ~ -}
   */
  public URI principalUri(String user) {
    return baseUri.resolve("/dav/principals/" + requireNonNull(user, "user") + "/");
  }

  /** {@return the push-capable plain collection {@code /dav/files/}} */
  public URI filesUri() {
    return baseUri.resolve("/dav/files/");
  }

  /** {@return the engine behind the server} */
  public PushEngine engine() {
    return engine;
  }

  /** {@return the VAPID public key the server publishes in {@code transports} now} */
  public P256PublicKey vapidPublicKey() {
    return webPush.vapidPublicKey();
  }

  /**
   * Test hook: makes a registration expired now, as if its {@code Expires} had passed, so that a
   * kit can check that nothing more is sent to it (R-WDP-33) without waiting for days.
   *
   * @param registrationUrl the absolute registration URL the server answered with
   * @return true if a live registration had that URL and is now expired; false if none had
   */
  public boolean expireRegistration(URI registrationUrl) {
    requireNonNull(registrationUrl, "registrationUrl");
    Optional<Registration> live = engine.registration(registrationUrl);
    if (live.isEmpty()) {
      return false;
    }
    Instant past = Instant.now().minusSeconds(1);
    Registration r = live.get();
    store.save(r.toBuilder().expires(past.isBefore(r.created()) ? r.created() : past).build());
    return true;
  }

  /**
   * Test hook: rotates the VAPID key (draft §6.2.1, R-WDP-55). The engine sends the key-rotation
   * message to every distinct push resource with a live registration while the old key still signs,
   * then the server switches to a fresh key, which {@code transports} advertises from then on.
   * Blocks until the key has switched.
   *
   * @return the new VAPID public key
   * @throws IllegalStateException if the server is closed, or the rotation did not finish within
   *     {@link #KEY_ROTATION_TIMEOUT} plus a margin (the old key then stays)
   */
  public P256PublicKey rotateVapidKey() {
    if (closed.get()) {
      throw new IllegalStateException("reference server: closed");
    }
    VapidKeyPair next = VapidKeyPair.generate();
    try {
      engine
          .rotateKey(
              transport,
              () -> {
                webPush.rotateVapidKey(next);
                vapidKeyPair.set(next);
              })
          .toCompletableFuture()
          .get(KEY_ROTATION_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("reference server: interrupted during key rotation", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("reference server: key rotation failed: " + e, e);
    }
    return next.publicKey();
  }

  /** Stops the HTTP server, the engine and the transport; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(0);
    engine.close();
    if (transport != webPush) {
      transport.close();
    }
    webPush.close();
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Builds and starts a {@link ReferenceServer}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private int port;
    private final List<ServerDecorator> decorators = new ArrayList<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private @Nullable VapidKeyPair vapidKeyPair;
    private @Nullable SubscriptionStore store;
    private CollectionTopics topics = CollectionTopics.inMemory();
    private PushResources pushResources = PushResources.ANY;
    private final List<X509Certificate> trusted = new ArrayList<>();

    private Builder() {}

    /**
     * Sets where the collections' topics are kept; default {@link CollectionTopics#inMemory()}. A
     * server whose {@linkplain #store store} outlives it keeps them beside its registrations, so
     * that after a restart changes still reach the registrations made before.
     *
     * @param topics the topics
     * @return this builder
     */
    public Builder topics(CollectionTopics topics) {
      this.topics = requireNonNull(topics, "topics");
      return this;
    }

    /**
     * Sets which push resources the server accepts.
     *
     * @param accepted {@link PushResources#ANY} (default) or {@link PushResources#HTTPS_ONLY}
     * @return this builder
     */
    public Builder pushResources(PushResources accepted) {
      this.pushResources = requireNonNull(accepted, "accepted");
      return this;
    }

    /**
     * Adds a certificate authority the server's push transport trusts, besides the JVM's default
     * trust store: for example the kit's ({@code KitCertificateAuthority#certificate()}), so that
     * it reaches the kit's HTTPS push service.
     *
     * @param ca a CA certificate
     * @return this builder
     */
    public Builder trust(X509Certificate ca) {
      trusted.add(requireNonNull(ca, "ca"));
      return this;
    }

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
     * Adds one of the six earlier faults.
     *
     * @param fault the fault
     * @return this builder
     */
    public Builder fault(Fault fault) {
      return decorate(requireNonNull(fault, "fault").planted().decorator());
    }

    /**
     * Adds a planted fault.
     *
     * @param fault the fault
     * @return this builder
     */
    public Builder fault(PlantedFault fault) {
      return decorate(requireNonNull(fault, "fault").decorator());
    }

    /**
     * Adds a decorator; decorators apply in the order they were added.
     *
     * @param decorator the decorator
     * @return this builder
     */
    public Builder decorate(ServerDecorator decorator) {
      decorators.add(requireNonNull(decorator, "decorator"));
      return this;
    }

    /**
     * Adds a user; once any user exists, every request needs HTTP Basic credentials.
     *
     * @param name the user name, also the principal name
     * @param password the password
     * @return this builder
     */
    public Builder user(String name, String password) {
      users.put(requireNonNull(name, "name"), requireNonNull(password, "password"));
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
     * @throws UncheckedIOException if the port cannot be bound
     */
    public ReferenceServer start() {
      try {
        return new ReferenceServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("reference server: cannot listen on 127.0.0.1:" + port, e);
      }
    }
  }
}
