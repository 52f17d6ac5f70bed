package dev.davpush.testkit.internal.scenario;

import dev.davpush.Base64Url;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushException;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.testkit.internal.client.DavClientException;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.runner.RunnerOptions;
import dev.davpush.testkit.runner.TargetException;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The state of one kit run that scenarios share: the options, the DAV clients, the embedded push
 * service, the recorder, what earlier scenarios produced (discovery, the primary registration, the
 * kit's member and its first push message), and what must be cleaned up.
 *
 * <p>Thread safety: confined to the runner's thread.
 */
public final class RunContext {
  /** The properties the kit asks for in discovery. */
  public static final List<PropertyName> DISCOVERY =
      List.of(
          PropertyName.of(PropertyName.DAV, "resourcetype"),
          PropertyName.SYNC_TOKEN,
          WebDavPush.TRANSPORTS,
          WebDavPush.TOPIC,
          WebDavPush.SUPPORTED_TRIGGERS);

  static final PropertyName CALENDAR = PropertyName.of("urn:ietf:params:xml:ns:caldav", "calendar");
  static final PropertyName ADDRESSBOOK =
      PropertyName.of("urn:ietf:params:xml:ns:carddav", "addressbook");

  private final RunnerOptions options;
  private final WebDavPushClient client;
  private final @Nullable WebDavPushClient secondUser;
  private final EmbeddedPushService service;
  private final Secrets secrets;
  private final Recorder recorder;
  private final URI target;
  private final URI memberBase;
  private final List<URI> sharedRegistrations = new ArrayList<>();
  private final List<URI> sharedMembers = new ArrayList<>();
  private final List<URI> scenarioRegistrations = new ArrayList<>();
  private final List<URI> scenarioMembers = new ArrayList<>();
  private int edits;

  private @Nullable Discovery discovery;
  private @Nullable Registered primary;
  private @Nullable Delivered delivered;
  private @Nullable URI replacement;

  /** What discovery found on the target. */
  public record Discovery(
      DavResponse self,
      Set<String> davTokens,
      Topic topic,
      WebPushTransportDescriptor webPush,
      Optional<P256PublicKey> vapidKey,
      @Nullable SupportedTriggers supported,
      @Nullable String syncTokenBefore) {}

  /**
   * The kit's primary registration (content-update, depth 1), with the {@code Expires} the server
   * granted (null when it sent none).
   */
  public record Registered(
      PushServiceSubscription subscription,
      URI location,
      Instant requested,
      @Nullable String expires) {}

  /** The kit's member and the first push message its creation caused. */
  public record Delivered(URI member, ReceivedPush first) {}

  RunContext(
      RunnerOptions options,
      WebDavPushClient client,
      @Nullable WebDavPushClient secondUser,
      EmbeddedPushService service,
      Secrets secrets) {
    this.options = options;
    this.client = client;
    this.secondUser = secondUser;
    this.service = service;
    this.secrets = secrets;
    this.recorder = new Recorder(secrets);
    this.target = options.target();
    String t = target.toString();
    this.memberBase = t.endsWith("/") ? target : URI.create(t + "/");
    options.password().ifPresent(secrets::add);
    options.secondPassword().ifPresent(secrets::add);
  }

  /** {@return the options of the run} */
  public RunnerOptions options() {
    return options;
  }

  /** {@return the recorder} */
  public Recorder record() {
    return recorder;
  }

  /** {@return the first user's client} */
  public WebDavPushClient client() {
    return client;
  }

  /** {@return the second user's client, if configured} */
  public Optional<WebDavPushClient> secondUser() {
    return Optional.ofNullable(secondUser);
  }

  /** {@return the embedded push service} */
  public EmbeddedPushService service() {
    return service;
  }

  /** {@return the target collection} */
  public URI target() {
    return target;
  }

  /** {@return the time to wait for an expected push message} */
  public Duration pushTimeout() {
    return options.pushTimeout();
  }

  /** {@return the time to watch for an unexpected push message} */
  public Duration quietPeriod() {
    return options.quietPeriod();
  }

  // --- shared products ---

  void discovery(Discovery d) {
    this.discovery = d;
  }

  /**
   * What discovery found.
   *
   * @return the discovery
   * @throws Unmet if discovery did not find a usable topic and web-push transport
   */
  public Discovery discovery() {
    if (discovery == null) {
      throw new Unmet("discovery gave no usable topic or web-push transport");
    }
    return discovery;
  }

  void primary(Registered r) {
    this.primary = r;
  }

  /**
   * The primary registration.
   *
   * @return it
   * @throws Unmet if the registration scenario could not register
   */
  public Registered primary() {
    if (primary == null) {
      throw new Unmet("the server did not accept the kit's registration (R-WDP-24)");
    }
    return primary;
  }

  /**
   * Notes that the server answered another registration URL when the primary push resource was
   * registered again (R-WDP-28 failed): removal tries it when the primary URL is gone.
   *
   * @param location the other URL
   */
  public void replacement(URI location) {
    this.replacement = location;
  }

  /** {@return the other registration URL of the primary push resource, if there is one} */
  public Optional<URI> replacement() {
    return Optional.ofNullable(replacement);
  }

  void delivered(Delivered d) {
    this.delivered = d;
  }

  /**
   * The kit's member and the first push message.
   *
   * @return them
   * @throws Unmet if no push message arrived
   */
  public Delivered delivered() {
    if (delivered == null) {
      throw new Unmet("no push message arrived after a member change (R-WDP-34)");
    }
    return delivered;
  }

  /** {@return the kit's member, whether or not a message arrived for it} */
  Optional<URI> sharedMember() {
    return sharedMembers.isEmpty() ? Optional.empty() : Optional.of(sharedMembers.get(0));
  }

  // --- push service ---

  /**
   * A new subscription at the embedded push service, restricted to the server's VAPID key when it
   * publishes one; its push resource and keys are secrets from now on.
   *
   * @return the subscription
   */
  public PushServiceSubscription subscribe() {
    Optional<P256PublicKey> vapid = discovery == null ? Optional.empty() : discovery.vapidKey();
    PushServiceSubscription s = service.subscribe(vapid.orElse(null));
    secrets.add(s.pushResource().uri().toString());
    secrets.add(s.pushResource().uri().getRawPath());
    secrets.add(s.keys().authSecret().toBase64Url());
    secrets.add(Base64Url.encode(s.keys().publicKey().bytes()));
    return s;
  }

  /**
   * Makes a text a secret of the run: it never appears in evidence.
   *
   * @param secret for example a push resource URL the kit derived
   */
  public void secret(String secret) {
    secrets.add(secret);
  }

  /**
   * Discards messages that belong to earlier steps.
   *
   * @param sub the subscription
   */
  public static void drain(PushServiceSubscription sub) {
    while (sub.awaitMessage(Duration.ofMillis(50)).isPresent()) {
      // discard
    }
  }

  // --- registrations ---

  /**
   * Registers at the target; a registration URL in the answer becomes a secret and is deleted when
   * the scenario ends (or the run, when {@code shared}).
   *
   * @param request the registration
   * @param shared whether later scenarios use it
   * @return the answer
   */
  public WebDavPushClient.RegisterResponse register(RegisterRequest request, boolean shared) {
    WebDavPushClient.RegisterResponse r = client.register(target, request);
    refuseAuthentication(r.result());
    track(r, shared);
    return r;
  }

  /**
   * The kit's registration request: a push resource of its push service, for content updates at
   * depth 1.
   *
   * @param sub the push resource
   * @param expires the expiry to ask for, or null to ask for none
   * @return the request
   */
  public static RegisterRequest contentUpdates(
      PushServiceSubscription sub, @Nullable Instant expires) {
    return new RegisterRequest(
        sub.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), expires);
  }

  /**
   * Registers a further push resource of the kit's push service at the target, for this scenario
   * only: content updates at depth 1, as the primary registration. Tracked like {@link #register}
   * with {@code shared} false.
   *
   * @param sub the push resource, from {@link #subscribe()}
   * @param expires the expiry to ask for, or null to ask for none
   * @return the server's answer, a 2xx one
   * @throws Unmet if the server refused the registration (a non-2xx answer)
   */
  public WebDavPushClient.RegisterResponse registerFurther(
      PushServiceSubscription sub, @Nullable Instant expires) {
    WebDavPushClient.RegisterResponse r = register(contentUpdates(sub, expires), false);
    if (r.status() / 100 != 2) {
      throw new Unmet("a further registration was refused: " + r.result().evidence());
    }
    return r;
  }

  /**
   * Registers with a raw body, tracked like {@link #register}.
   *
   * @param body the request body
   * @return the answer
   */
  public WebDavPushClient.RegisterResponse registerRaw(byte[] body) {
    return registerRawAt(target, body);
  }

  /**
   * Registers with a raw body at another resource, tracked like {@link #register}.
   *
   * @param resource where to POST
   * @param body the request body
   * @return the answer
   */
  public WebDavPushClient.RegisterResponse registerRawAt(URI resource, byte[] body) {
    WebDavPushClient.RegisterResponse r = client.registerRaw(resource, body);
    refuseAuthentication(r.result());
    track(r, false);
    return r;
  }

  private void track(WebDavPushClient.RegisterResponse r, boolean shared) {
    String location = r.location();
    if (location != null) {
      secrets.addRegistrationUrl(location);
      if (r.status() / 100 == 2) {
        (shared ? sharedRegistrations : scenarioRegistrations).add(resolve(location));
      }
    }
  }

  /**
   * Notes that a registration is gone (the scenario deleted it).
   *
   * @param location its URL
   */
  public void forget(URI location) {
    sharedRegistrations.remove(location);
    scenarioRegistrations.remove(location);
  }

  /**
   * Makes a registration one the run deletes at its end (a scenario found it is the primary one).
   *
   * @param location its URL
   */
  public void keepShared(URI location) {
    if (!sharedRegistrations.contains(location)) {
      sharedRegistrations.add(location);
    }
  }

  /**
   * Resolves a Location value against the target.
   *
   * @param location as sent
   * @return the absolute URL; the target when it is no URI
   */
  public URI resolve(String location) {
    try {
      return target.resolve(new URI(location.trim()));
    } catch (URISyntaxException e) {
      return target;
    }
  }

  // --- DAV helpers ---

  /**
   * PROPFIND Depth 0 of the discovery properties.
   *
   * @param uri the resource
   * @return the answer
   * @throws TargetException if the answer is no readable 207 or refuses authentication
   */
  public WebDavPushClient.Propfind propfind(URI uri) {
    try {
      WebDavPushClient.Propfind pf = client.propfind(uri, "0", DISCOVERY);
      refuseAuthentication(pf.result());
      if (pf.result().status() == 404) {
        throw new TargetException("PROPFIND " + uri + " → 404: no such collection");
      }
      if (pf.result().status() != 207) {
        throw new TargetException(
            "PROPFIND "
                + uri.getRawPath()
                + " → "
                + pf.result().status()
                + ", expected 207 Multi-Status: is this a WebDAV server?");
      }
      return pf;
    } catch (PushException e) {
      if (e instanceof TargetException || e instanceof DavClientException) {
        throw e;
      }
      throw new TargetException(
          "PROPFIND " + uri.getRawPath() + ": unreadable 207 body (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads a property that may be malformed; a malformed one is noted and reads as absent.
   *
   * @param name for the note
   * @param accessor the read
   * @param unreadable where notes go
   * @param <T> the value type
   * @return the value, or empty
   */
  public static <T> Optional<T> read(
      String name, Supplier<Optional<T>> accessor, List<String> unreadable) {
    try {
      return accessor.get();
    } catch (PushException e) {
      unreadable.add(name + " unreadable: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Whether a property came back in a 200 propstat, whatever its content.
   *
   * @param r the response element
   * @param name the property
   * @return true if present
   */
  public static boolean isPresent(DavResponse r, PropertyName name) {
    return r.status(name).orElse(404) / 100 == 2;
  }

  /**
   * Stops the run when the server asks for credentials the kit lacks.
   *
   * @param r an answer
   * @throws TargetException on 401 or 407
   */
  public static void refuseAuthentication(HttpResult r) {
    if (r.status() == 401 || r.status() == 407) {
      throw new TargetException(
          r.evidence() + ": authentication refused; pass --user and --password-env");
    }
  }

  // --- members ---

  /**
   * A fresh member URL under the target, named for the collection's kind.
   *
   * @param shared whether later scenarios use it (deleted at the end of the run, else of the
   *     scenario)
   * @return the URL; the member does not exist yet
   */
  public URI newMember(boolean shared) {
    String name = "davpush-kit-" + UUID.randomUUID();
    Set<PropertyName> types = discovery().self().resourceTypes();
    if (types.contains(CALENDAR)) {
      name += ".ics";
    } else if (types.contains(ADDRESSBOOK)) {
      name += ".vcf";
    } else {
      name += ".txt";
    }
    URI m = memberBase.resolve(name);
    (shared ? sharedMembers : scenarioMembers).add(m);
    return m;
  }

  /** A member's media type and content. */
  public record MemberBody(String type, byte[] bytes) {}

  /**
   * The content and media type of a kit member, different on every call.
   *
   * @param member the member URL
   * @return the body
   */
  public MemberBody memberBody(URI member) {
    edits++;
    String name = member.getPath();
    String uid = name.substring(name.lastIndexOf('/') + 1);
    String type;
    String body;
    if (name.endsWith(".ics")) {
      type = "text/calendar; charset=utf-8";
      body =
          "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davpush//conformance kit//EN\r\n"
              + "BEGIN:VEVENT\r\nUID:"
              + uid
              + "\r\nDTSTAMP:20261122T000000Z\r\n"
              + "DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\n"
              + "SUMMARY:davpush conformance check, edit "
              + edits
              + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    } else if (name.endsWith(".vcf")) {
      type = "text/vcard; charset=utf-8";
      body =
          "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:"
              + uid
              + "\r\nFN:davpush conformance "
              + edits
              + "\r\nN:Conformance;davpush;;;\r\nEND:VCARD\r\n";
    } else {
      type = "text/plain; charset=utf-8";
      body = "davpush conformance check, edit " + edits + "\n";
    }
    return new MemberBody(type, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a kit member with new content.
   *
   * @param member the member URL
   * @param pushDontNotify field lines of {@code Push-Dont-Notify}, possibly none
   * @param create whether the member must not exist yet ({@code If-None-Match: *})
   * @return the answer, 2xx
   * @throws TargetException if the write is refused: the kit needs write access
   */
  public HttpResult putMember(URI member, List<String> pushDontNotify, boolean create) {
    MemberBody body = memberBody(member);
    HttpResult r = client.put(member, body.type(), body.bytes(), pushDontNotify, create);
    refuseAuthentication(r);
    if (r.status() / 100 != 2) {
      throw new TargetException(
          "cannot write the member the kit needs: "
              + r.evidence()
              + "; the kit needs write access to the collection");
    }
    return r;
  }

  /**
   * Writes a kit member with new content and returns the answer whatever its status: for checks of
   * how a server treats a request header.
   *
   * @param member the member URL
   * @param pushDontNotify field lines of {@code Push-Dont-Notify}
   * @return the answer
   */
  public HttpResult putMemberAnyStatus(URI member, List<String> pushDontNotify) {
    MemberBody body = memberBody(member);
    HttpResult r = client.put(member, body.type(), body.bytes(), pushDontNotify, false);
    refuseAuthentication(r);
    return r;
  }

  /**
   * Stops a scenario whose checks need readable push messages when the first one was not: those
   * checks would only repeat R-WDP-48's or R-WDP-35's failure.
   *
   * @throws Unmet if the first message did not decrypt or is no push-message
   */
  public void requireReadableMessages() {
    ReceivedPush first = delivered().first();
    if (first.plaintext().isEmpty()) {
      throw new Unmet("the server's push messages do not decrypt (R-WDP-48)");
    }
    try {
      dev.davpush.xml.PushMessageReader.read(first.plaintext().get());
    } catch (PushException e) {
      throw new Unmet("the server's push messages are no push-message documents (R-WDP-35)");
    }
  }

  // --- cleanup ---

  /** Deletes what the current scenario created: registrations first, so no message follows. */
  void cleanUpScenario() {
    deleteAll(scenarioRegistrations);
    deleteAll(scenarioMembers);
  }

  /** Deletes what the run shares. */
  void cleanUpRun() {
    cleanUpScenario();
    deleteAll(sharedRegistrations);
    deleteAll(sharedMembers);
  }

  private void deleteAll(List<URI> uris) {
    for (URI u : List.copyOf(uris)) {
      try {
        client.delete(u);
      } catch (PushException e) {
        // best effort: the target may be gone
      }
    }
    uris.clear();
  }

  /** {@return a short hint of an answer's body, for evidence} */
  static String bodyHint(HttpResult r) {
    String t = r.bodyText().strip();
    if (t.isEmpty()) {
      return "";
    }
    return " (" + (t.length() > 120 ? t.substring(0, 119) + "…" : t).replaceAll("\\s+", " ") + ")";
  }
}
