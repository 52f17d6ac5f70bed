package dev.davpush.milton;

import static java.util.Objects.requireNonNull;

import dev.davpush.server.Change;
import dev.davpush.server.HandlerResponse;
import dev.davpush.server.PushEngine;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.spi.DavResources;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.XmlLimits;
import io.milton.config.HttpManagerBuilder;
import io.milton.config.InitListener;
import io.milton.event.AfterMoveEvent;
import io.milton.event.DeleteEvent;
import io.milton.event.PropPatchEvent;
import io.milton.event.PutEvent;
import io.milton.http.Auth;
import io.milton.http.AuthenticationService;
import io.milton.http.Filter;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.ResourceFactory;
import io.milton.http.Response;
import io.milton.http.values.ValueWriter;
import io.milton.http.webdav.ResourceTypeHelper;
import io.milton.http.webdav.WebDavResourceTypeHelper;
import io.milton.principal.DiscretePrincipal;
import io.milton.property.PropertySource;
import io.milton.resource.CollectionResource;
import io.milton.resource.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebDAV-Push for a milton server: wires a {@link PushEngine} into milton's extension points with
 * one call, {@link #install(HttpManagerBuilder)}, made before {@code buildHttpManager()}.
 *
 * <pre>{@code
 * HttpManagerBuilder milton = new HttpManagerBuilder();
 * milton.setResourceFactory(factory);
 * MiltonDavResources resources = MiltonDavResources.of(factory);
 * PushEngine engine = PushEngine.builder().resources(resources).transport(webPush)
 *     .registrationBase(URI.create("https://dav.example.com/push/registrations/")).build();
 * MiltonPush.of(engine, resources).install(milton);
 * HttpManager manager = milton.buildHttpManager();
 * }</pre>
 *
 * <p>What {@code install} adds (draft-bitfire-webdav-push §2–§4):
 *
 * <ul>
 *   <li>a {@link PropertySource} first in milton's list, answering {@code transports}, {@code
 *       topic} and {@code supported-triggers} of push-capable resources to principals that may
 *       subscribe (R-WDP-5, R-WDP-6, R-WDP-62), and {@code DAV:sync-token} of {@link
 *       io.milton.resource.SyncCollectionResource}s; a {@link ValueWriter} that writes the three
 *       push properties' XML;
 *   <li>a {@link ResourceTypeHelper} decorating the configured one (default {@link
 *       WebDavResourceTypeHelper}) so that the {@code DAV} header of push-capable resources holds
 *       {@code webdav-push} (R-WDP-4);
 *   <li>an {@link io.milton.http.HttpExtension} whose {@link
 *       io.milton.http.http11.CustomPostHandler} answers {@code POST push-register} (R-WDP-11,
 *       R-WDP-24..28) through {@link PushRequestHandler}, after milton has authenticated and
 *       authorised the {@code POST}. milton routes a {@code POST} only to a {@link
 *       io.milton.resource.PostableResource};
 *   <li>a {@link Filter} first in milton's chain: it answers {@code DELETE} of registration URLs
 *       (R-WDP-30; it authenticates through milton's {@link AuthenticationService} itself, since no
 *       milton resource lives at those URLs) and {@code push-register} on push-capable resources
 *       that are not postable (after milton's authentication and the resource's {@code authorise}),
 *       keeps each request's {@code Push-Dont-Notify} lines (R-WDP-38..42; all field lines, also
 *       where milton's {@code Request} keeps only one) and publishes the changes of {@code COPY}
 *       and {@code MKCOL}, for which milton fires no event about the new resource;
 *   <li>an {@link io.milton.event.EventListener} for {@link PutEvent}, {@link DeleteEvent}, {@link
 *       AfterMoveEvent} and {@link PropPatchEvent}: each committed change goes to {@link
 *       PushEngine#publish}, which only enqueues; nothing waits for a push service on milton's
 *       request thread.
 * </ul>
 *
 * <p>Paths given to the engine are milton's decoded request paths with collections ending in {@code
 * /} (the form {@link MiltonDavResources} takes). milton's resources do not know their paths, so a
 * resource's path is found from the request: the request's target, or a member of the target (a
 * {@code PROPFIND} with {@code Depth: 1}; the member is checked with {@code child(name)}).
 * Resources deeper down ({@code Depth: infinity}) show no push properties.
 *
 * <p>A change milton commits but the engine refuses (overloaded, closed) is logged at WARN with the
 * path's parent only and counted in {@link #refusedChanges()}; the DAV request still succeeds,
 * since its change is already committed.
 *
 * <p>Thread safety: safe for concurrent use once installed; {@link #install} may be called once.
 */
public final class MiltonPush {
  /**
   * The request attribute holding the {@code Push-Dont-Notify} field lines the filter captured:
   * {@code List<String>}.
   */
  public static final String DONT_NOTIFY_ATTRIBUTE = "dev.davpush.milton.push-dont-notify";

  /**
   * The request attribute holding the body of a {@code POST} the push handler looked at (an XML
   * body sent to a push-capable resource): an {@code InputStream} positioned at the body's start. A
   * push-capable {@link io.milton.resource.PostableResource} that reads raw XML bodies must read
   * them from here, since the original stream was consumed.
   */
  public static final String BODY_ATTRIBUTE = "dev.davpush.milton.body";

  static final String DELETED_TOPIC_ATTRIBUTE = "dev.davpush.milton.deleted-topic";
  static final String PUBLISHED_ATTRIBUTE = "dev.davpush.milton.published";

  private static final Logger LOG = LoggerFactory.getLogger(MiltonPush.class);

  private final PushEngine engine;
  private final DavResources resources;
  private final Function<Request, @Nullable String> principals;
  private final @Nullable String anonymousPrincipal;
  private final XmlLimits limits;
  private final AtomicBoolean installed = new AtomicBoolean();
  private final AtomicLong refused = new AtomicLong();
  private volatile @Nullable ResourceFactory factory;
  private volatile @Nullable AuthenticationService authentication;

  private MiltonPush(Builder b) {
    this.engine = b.engine;
    this.resources = b.resources;
    this.principals = b.principals;
    this.anonymousPrincipal = b.anonymousPrincipal;
    this.limits = b.limits;
  }

  /**
   * The adapter with the defaults of {@link #builder}.
   *
   * @param engine the engine, built with the same {@code resources}
   * @param resources the engine's view of the server, asked which resources are push-capable
   * @return the adapter, not yet installed
   */
  public static MiltonPush of(PushEngine engine, DavResources resources) {
    return builder(engine, resources).build();
  }

  /**
   * A builder.
   *
   * @param engine the engine, built with the same {@code resources}; closed by its owner, not here
   * @param resources the engine's view of the server
   * @return a builder: principals from milton's authentication ({@link #authenticatedPrincipal}),
   *     no anonymous principal, {@link XmlLimits#defaults()}
   */
  public static Builder builder(PushEngine engine, DavResources resources) {
    return new Builder(requireNonNull(engine, "engine"), requireNonNull(resources, "resources"));
  }

  /**
   * The default principal of a request: the name of milton's authenticated user.
   *
   * @param request the request, after milton authenticated it
   * @return the {@link DiscretePrincipal}'s name if milton's authentication tag is one, else the
   *     user name of the authenticated credentials; null if the request is not authenticated
   */
  public static @Nullable String authenticatedPrincipal(Request request) {
    Auth auth = requireNonNull(request, "request").getAuthorization();
    if (auth == null || auth.getTag() == null) {
      return null;
    }
    if (auth.getTag() instanceof DiscretePrincipal p && p.getName() != null) {
      return p.getName();
    }
    String user = auth.getUser();
    return user == null || user.isEmpty() ? null : user;
  }

  /**
   * Adds the push parts to a milton configuration (see the class description). Call it once, after
   * the resource factory and authentication are configured and before {@code init()} or {@code
   * buildHttpManager()}.
   *
   * @param builder milton's builder
   * @throws IllegalStateException if this adapter was installed before, or the builder's {@code
   *     init()} already ran
   */
  public void install(HttpManagerBuilder builder) {
    requireNonNull(builder, "builder");
    if (builder.isInitDone()) {
      throw new IllegalStateException(
          "install: HttpManagerBuilder.init() already ran; install before init() and"
              + " buildHttpManager()");
    }
    if (!installed.compareAndSet(false, true)) {
      throw new IllegalStateException("install: this MiltonPush is already installed");
    }
    ResourceTypeHelper types = builder.getResourceTypeHelper();
    builder.setResourceTypeHelper(
        new PushResourceTypeHelper(types != null ? types : new WebDavResourceTypeHelper(), this));
    builder.getValueWriters().getValueWriters().add(0, new PushValueWriter());
    List<Filter> filters = new ArrayList<>();
    filters.add(new PushFilter(this));
    if (builder.getFilters() != null) {
      filters.addAll(builder.getFilters());
    }
    builder.setFilters(filters);
    ChangeListener listener = new ChangeListener(this);
    builder.getEventManager().registerEventListener(listener, PutEvent.class);
    builder.getEventManager().registerEventListener(listener, DeleteEvent.class);
    builder.getEventManager().registerEventListener(listener, AfterMoveEvent.class);
    builder.getEventManager().registerEventListener(listener, PropPatchEvent.class);
    List<InitListener> listeners =
        builder.getListeners() != null
            ? new ArrayList<>(builder.getListeners())
            : new ArrayList<>();
    listeners.add(new Installer());
    builder.setListeners(listeners);
  }

  /**
   * How many committed changes the engine refused to take (overloaded or closed).
   *
   * @return the count since installation
   */
  public long refusedChanges() {
    return refused.get();
  }

  // --- for the installed parts ---

  PushEngine engine() {
    return engine;
  }

  DavResources resources() {
    return resources;
  }

  /** The principal of a request: milton's (or the configured resolver's), else the anonymous. */
  @Nullable String principal(Request request) {
    String p = principals.apply(request);
    return p != null ? p : anonymousPrincipal;
  }

  /** A push handler whose 401 carries milton's first challenge for the resource. */
  PushRequestHandler handler(@Nullable Resource resource, Request request) {
    AuthenticationService auth = authentication;
    String challenge = PushRequestHandler.DEFAULT_CHALLENGE;
    if (auth != null && resource != null) {
      List<String> challenges = auth.getChallenges(resource, request);
      if (challenges != null && !challenges.isEmpty() && isHeaderValue(challenges.get(0))) {
        challenge = challenges.get(0);
      }
    }
    return PushRequestHandler.of(engine, limits, challenge);
  }

  @Nullable AuthenticationService authentication() {
    return authentication;
  }

  @Nullable ResourceFactory factory() {
    return factory;
  }

  /** The decoded path of the request's target, as milton's resource factory takes it. */
  static String requestPath(Request request) {
    return HttpManager.decodeUrl(request.getAbsolutePath());
  }

  /** The absolute request URI, or null if milton's URL does not parse. */
  static @Nullable URI requestUri(Request request) {
    try {
      return new URI(request.getAbsoluteUrl());
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * The canonical path of a resource met during a request: the target's, or a member's of the
   * target (a {@code PROPFIND} with {@code Depth: 1}).
   */
  Optional<String> pathOf(Resource resource, Request request) {
    String target = requestPath(request);
    ResourceFactory f = factory;
    Resource targetResource = null;
    if (f != null) {
      Object cached = request.getAttributes().get(TargetCache.KEY);
      if (cached instanceof TargetCache c && c.path.equals(target)) {
        targetResource = c.resource;
      } else {
        try {
          targetResource = f.getResource(request.getHostHeader(), target);
        } catch (Exception e) {
          targetResource = null;
        }
        request.getAttributes().put(TargetCache.KEY, new TargetCache(target, targetResource));
      }
    }
    boolean collection = resource instanceof CollectionResource;
    if (targetResource == null || sameResource(targetResource, resource)) {
      return Optional.of(MiltonDavResources.canonical(target, collection));
    }
    String name = resource.getName();
    if (name == null
        || name.isEmpty()
        || name.indexOf('/') >= 0
        || !(targetResource instanceof CollectionResource parent)
        || !isChild(parent, name, resource)) {
      return Optional.empty(); // deeper than Depth 1: its path is not known here
    }
    String base = MiltonDavResources.canonical(target, true);
    return Optional.of(MiltonDavResources.canonical(base + name, collection));
  }

  private static boolean isChild(CollectionResource parent, String name, Resource resource) {
    try {
      Resource child = parent.child(name);
      return child != null && sameResource(child, resource);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean sameResource(Resource a, Resource b) {
    if (a == b) {
      return true;
    }
    String idA = a.getUniqueId();
    return idA != null
        && idA.equals(b.getUniqueId())
        && a.getClass() == b.getClass()
        && java.util.Objects.equals(a.getName(), b.getName());
  }

  /**
   * Publishes a committed change caused by a request, with the request's principal and {@code
   * Push-Dont-Notify}; never throws.
   */
  void publish(Change.Builder change, @Nullable Request request) {
    Change built;
    try {
      if (request != null) {
        change.principal(principal(request));
        PushDontNotify header = PushDontNotify.parse(dontNotifyLines(request));
        if (!header.urls().isEmpty()) {
          change.dontNotify(header.urls());
        }
        if (header.all()) {
          change.dontNotifyAll(true);
        }
      }
      built = change.build();
    } catch (RuntimeException e) {
      refused(null, e);
      return;
    }
    try {
      engine
          .publish(built)
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  refused(built, failure);
                }
              });
    } catch (RuntimeException e) {
      refused(built, e);
    }
  }

  private void refused(@Nullable Change change, Throwable why) {
    refused.incrementAndGet();
    // the path's last segment may be a member's name chosen by a user: the parent only
    LOG.warn(
        "WebDAV-Push: a committed change under {} was not published: {}",
        change == null ? "?" : MiltonDavResources.parentOf(change.path()).orElse("/"),
        why.getClass().getSimpleName());
  }

  @SuppressWarnings("unchecked")
  static List<String> dontNotifyLines(Request request) {
    Object captured = request.getAttributes().get(DONT_NOTIFY_ATTRIBUTE);
    if (captured instanceof List<?> l) {
      return (List<String>) l;
    }
    return HeaderLines.of(request, PushDontNotify.HEADER);
  }

  /** Copies a handler's answer onto milton's response; 401 with milton's challenges if known. */
  static void write(
      HandlerResponse answer, Response response, @Nullable List<String> miltonChallenges) {
    Response.Status status = Response.Status.fromCode(answer.status());
    response.setStatus(status != null ? status : Response.Status.SC_BAD_REQUEST);
    for (Map.Entry<String, List<String>> h : answer.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) {
        response.setContentTypeHeader(h.getValue().get(0));
      } else if (h.getKey().equalsIgnoreCase("WWW-Authenticate")
          && miltonChallenges != null
          && !miltonChallenges.isEmpty()) {
        response.setAuthenticateHeader(miltonChallenges);
      } else {
        for (String v : h.getValue()) {
          response.setNonStandardHeader(h.getKey(), v);
        }
      }
    }
    byte[] body = answer.body();
    response.setContentLengthHeader((long) body.length);
    if (body.length > 0) {
      try {
        OutputStream out = response.getOutputStream();
        out.write(body);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("writing the WebDAV-Push answer", e);
      }
    }
  }

  private static boolean isHeaderValue(String s) {
    return !s.isBlank() && s.indexOf('\r') < 0 && s.indexOf('\n') < 0;
  }

  /** The request's target resource, looked up once per request. */
  private record TargetCache(String path, @Nullable Resource resource) {
    static final String KEY = "dev.davpush.milton.target";
  }

  /** Completes the installation once milton has built its protocol stack. */
  private final class Installer implements InitListener {
    @Override
    public void beforeInit(HttpManagerBuilder b) {}

    @Override
    public void beforeProtocolBuild(HttpManagerBuilder b) {}

    @Override
    public void afterInit(HttpManagerBuilder b) {
      factory =
          b.getOuterResourceFactory() != null
              ? b.getOuterResourceFactory()
              : b.getResourceFactory();
      authentication = b.getAuthenticationService();
      // first, so that no other source answers the push properties or sync-token
      b.getPropertySources().add(0, new PushPropertySource(MiltonPush.this));
      // ProtocolHandlers holds this very list: milton asks it for custom POST handlers per request
      b.getProtocols().add(new PushExtension(MiltonPush.this));
    }

    @Override
    public void afterBuild(HttpManagerBuilder b, HttpManager m) {}
  }

  /**
   * Builds a {@link MiltonPush}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private final PushEngine engine;
    private final DavResources resources;
    private Function<Request, @Nullable String> principals = MiltonPush::authenticatedPrincipal;
    private @Nullable String anonymousPrincipal;
    private XmlLimits limits = XmlLimits.defaults();

    private Builder(PushEngine engine, DavResources resources) {
      this.engine = engine;
      this.resources = resources;
    }

    /**
     * Sets how a request's principal is found; default {@link #authenticatedPrincipal}.
     *
     * @param principals given a request milton has authenticated, the principal's name, or null if
     *     it is anonymous
     * @return this builder
     */
    public Builder principals(Function<Request, @Nullable String> principals) {
      this.principals = requireNonNull(principals, "principals");
      return this;
    }

    /**
     * Sets the principal of unauthenticated requests, for servers without authentication (test and
     * demonstration servers); default none: anonymous requests see no push properties and get
     * {@code 401} when they register (R-WDP-62).
     *
     * @param name the principal name every anonymous request acts as
     * @return this builder
     */
    public Builder anonymousPrincipal(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name: expected a non-blank principal name");
      }
      this.anonymousPrincipal = name;
      return this;
    }

    /**
     * Sets the limits for reading {@code push-register} bodies; default {@link
     * XmlLimits#defaults()}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder xmlLimits(XmlLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Builds the adapter; install it with {@link MiltonPush#install}.
     *
     * @return the adapter
     */
    public MiltonPush build() {
      return new MiltonPush(this);
    }
  }
}
