package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.davpush.P256PublicKey;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.server.PushEngine;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushMessageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory WebDAV server with WebDAV-Push, on 127.0.0.1: the kit's known-good target and the
 * example of wiring davpush into a server.
 *
 * <p>It serves {@code OPTIONS}, {@code PROPFIND} (depth 0 and 1), {@code PROPPATCH}, {@code MKCOL},
 * {@code GET}/{@code HEAD}, {@code PUT}, {@code DELETE} of members and collections, {@code POST} of
 * {@code push-register}, and {@code DELETE} of registration URLs. Every collection is push-capable
 * (content updates to depth 1, property updates at depth 0) and has a {@code DAV:sync-token} that
 * advances on each member change. Push messages are sent through {@link WebPushTransport}, which
 * here accepts plain-http push resources on loopback addresses, since this is a test server.
 *
 * <p>{@link Fault}s turn it into a deliberately broken server, to show that the kit catches each
 * fault by the requirement it breaks.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} is idempotent.
 */
public final class ReferenceServer implements AutoCloseable {
  /** The principal of unauthenticated requests when no users are configured. */
  public static final String ANONYMOUS = "anonymous";

  /**
   * Deliberate faults, each breaking one requirement.
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
    UNREGISTER_FOR_ANYONE
  }

  private final HttpServer http;
  private final ExecutorService executor;
  private final PushEngine engine;
  private final WebPushTransport transport;
  private final VapidKeyPair vapidKeyPair;
  private final URI baseUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReferenceServer(Builder b) throws IOException {
    this.http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    this.baseUri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    WebPushTransport createdTransport = null;
    PushEngine createdEngine = null;
    try {
      this.vapidKeyPair = b.vapidKeyPair != null ? b.vapidKeyPair : VapidKeyPair.generate();
      DavTree tree = new DavTree(baseUri.resolve("/sync/").toString());
      SubscriptionStore store = b.store != null ? b.store : new InMemorySubscriptionStore();
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
      createdTransport =
          WebPushTransport.builder()
              .vapidKeyPair(vapidKeyPair)
              .subject("mailto:reference-server@davpush.invalid")
              .pushResourcePolicy(
                  PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
              .build();
      createdEngine =
          PushEngine.builder()
              .resources(tree)
              .transport(createdTransport)
              .messageEncoder(PushMessageWriter.encoder())
              .registrationBase(baseUri.resolve("/push/registrations/"))
              .store(
                  b.faults.contains(Fault.KEEP_GONE_SUBSCRIPTIONS)
                      ? new KeepGoneStore(store)
                      : store)
              .build();
      this.transport = createdTransport;
      this.engine = createdEngine;
      AtomicInteger threads = new AtomicInteger();
      this.executor =
          Executors.newFixedThreadPool(
              8,
              r -> {
                Thread t = new Thread(r, "davpush-reference-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      ReferenceHandler handler =
          new ReferenceHandler(
              tree,
              engine,
              PushRequestHandler.of(engine),
              baseUri,
              Map.copyOf(b.users),
              b.faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(b.faults));
      http.createContext("/", handler);
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

  /** {@return the push-capable plain collection {@code /dav/files/}} */
  public URI filesUri() {
    return baseUri.resolve("/dav/files/");
  }

  /** {@return the engine behind the server} */
  public PushEngine engine() {
    return engine;
  }

  /** {@return the VAPID public key the server publishes in {@code transports}} */
  public P256PublicKey vapidPublicKey() {
    return vapidKeyPair.publicKey();
  }

  /** Stops the HTTP server, the engine and the transport; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(0);
    engine.close();
    transport.close();
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
    private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    private final Map<String, String> users = new LinkedHashMap<>();
    private @Nullable VapidKeyPair vapidKeyPair;
    private @Nullable SubscriptionStore store;

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
     * Adds a deliberate fault.
     *
     * @param fault the fault
     * @return this builder
     */
    public Builder fault(Fault fault) {
      faults.add(requireNonNull(fault, "fault"));
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
