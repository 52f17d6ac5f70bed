package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PropertyName;
import dev.davpush.PushException;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.Trigger;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.testkit.internal.client.DavClientException;
import dev.davpush.testkit.internal.client.DavHttpClient;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.pushservice.Violation;
import dev.davpush.webpush.crypto.Aes128GcmCodec;
import dev.davpush.webpush.crypto.VapidClaims;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.ErrorReader;
import dev.davpush.xml.HttpDates;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushMessageReader;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks a WebDAV-Push server black-box, given only the URL of a push-capable collection.
 *
 * <p>The run discovers (OPTIONS, PROPFIND), registers a push resource of the kit's embedded push
 * service (content-update, depth 1), PUTs a member it names itself (an iCalendar event into a
 * calendar, a vCard into an address book, a text file otherwise), waits a bounded time for the push
 * message, checks the push request and decrypts it, checks topic and sync-token against a fresh
 * PROPFIND, writes again with {@code Push-Dont-Notify} naming its own registration and watches a
 * quiet period, writes with an invalid {@code Push-Dont-Notify}, has the push service answer 410
 * Gone for a second push resource and checks that the server stops sending to it, with a second
 * user's credentials checks that registrations are bound to their user, registers the same push
 * resource again (an update), deletes the registration twice (204, then 404), checks that no
 * message follows, and removes what it created. Each check carries the requirement ID of the
 * project's requirements digest.
 *
 * <p>Thread safety: each {@link #run} is independent; a runner holds no state between runs.
 */
public final class ConformanceRunner {
  private static final Pattern IMF_FIXDATE =
      Pattern.compile(
          "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
              + "|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
  private static final PropertyName RESOURCETYPE =
      PropertyName.of(PropertyName.DAV, "resourcetype");
  private static final PropertyName COLLECTION = PropertyName.of(PropertyName.DAV, "collection");
  private static final PropertyName CALENDAR =
      PropertyName.of("urn:ietf:params:xml:ns:caldav", "calendar");
  private static final PropertyName ADDRESSBOOK =
      PropertyName.of("urn:ietf:params:xml:ns:carddav", "addressbook");
  private static final List<PropertyName> DISCOVERY =
      List.of(
          RESOURCETYPE,
          PropertyName.SYNC_TOKEN,
          WebDavPush.TRANSPORTS,
          WebDavPush.TOPIC,
          WebDavPush.SUPPORTED_TRIGGERS);

  private ConformanceRunner() {}

  /**
   * Runs every check against the target.
   *
   * @param options the target and timeouts
   * @return the report, one result per catalogue requirement
   * @throws TargetException if the target is unreachable, refuses the credentials, is not a
   *     collection, shows no WebDAV-Push support, or refuses the writes the kit needs
   */
  public static ConformanceReport run(RunnerOptions options) {
    requireNonNull(options, "options");
    Instant started = Instant.now();
    Checks checks = new Checks();
    DavHttpClient http =
        new DavHttpClient(options.user().orElse(null), options.password().orElse(null));
    try (EmbeddedPushService service = EmbeddedPushService.start()) {
      WebDavPushClient second =
          options
              .secondUser()
              .map(
                  u ->
                      new WebDavPushClient(
                          new DavHttpClient(u, options.secondPassword().orElse(""))))
              .orElse(null);
      new Run(options, checks, new WebDavPushClient(http), second, service).execute();
    } catch (DavClientException e) {
      throw new TargetException(
          Objects.requireNonNullElse(e.getMessage(), "the DAV server gave no HTTP answer"), e);
    }
    return new ConformanceReport(options.target(), started, Instant.now(), checks.complete());
  }

  /** The state of one run. */
  private static final class Run {
    private final RunnerOptions options;
    private final Checks checks;
    private final WebDavPushClient client;
    private final @Nullable WebDavPushClient secondUser;
    private final EmbeddedPushService service;
    private final URI target;
    private final URI memberBase;
    private final List<URI> created = new ArrayList<>();
    private final List<URI> registrations = new ArrayList<>();
    private int edits;

    Run(
        RunnerOptions options,
        Checks checks,
        WebDavPushClient client,
        @Nullable WebDavPushClient secondUser,
        EmbeddedPushService service) {
      this.options = options;
      this.checks = checks;
      this.client = client;
      this.secondUser = secondUser;
      this.service = service;
      this.target = options.target();
      String t = target.toString();
      this.memberBase = t.endsWith("/") ? target : URI.create(t + "/");
    }

    void execute() {
      try {
        steps();
      } catch (StopRun stop) {
        checks.stoppedBecause(stop.why);
      } finally {
        cleanUp();
      }
    }

    private void steps() {
      // 1. OPTIONS
      HttpResult optionsAnswer = client.options(target);
      refuseAuthentication(optionsAnswer);
      Set<String> tokens = WebDavPushClient.davTokens(optionsAnswer);
      checks.check(
          "R-WDP-4",
          tokens.contains(WebDavPush.COMPLIANCE_CLASS),
          optionsAnswer.evidence() + ", DAV: " + String.join(", ", optionsAnswer.headers("DAV")));

      // 2. PROPFIND Depth 0
      WebDavPushClient.Propfind pf = propfind(target);
      DavResponse self =
          pf.self()
              .orElseThrow(
                  () ->
                      new TargetException(
                          "PROPFIND " + target.getRawPath() + " returned no response element"));
      if (!self.resourceTypes().contains(COLLECTION)) {
        throw new TargetException(
            target
                + " is not a collection (DAV:resourcetype has no"
                + " DAV:collection); give the URL of a push-capable collection");
      }
      List<String> unreadable = new ArrayList<>();
      Optional<Topic> topic = read("topic", self::topic, unreadable);
      Optional<List<TransportDescriptor>> transportsProperty =
          read("transports", self::transports, unreadable);
      Optional<SupportedTriggers> supportedProperty =
          read("supported-triggers", self::supportedTriggers, unreadable);
      if (topic.isEmpty()
          && !tokens.contains(WebDavPush.COMPLIANCE_CLASS)
          && unreadable.isEmpty()) {
        throw new TargetException(
            target
                + " shows no WebDAV-Push support: no webdav-push token in"
                + " the DAV header and no topic property");
      }
      boolean allThree =
          isPresent(self, WebDavPush.TRANSPORTS)
              && isPresent(self, WebDavPush.TOPIC)
              && isPresent(self, WebDavPush.SUPPORTED_TRIGGERS);
      checks.check(
          "R-WDP-5",
          allThree,
          pf.result().evidence()
              + ": transports "
              + present(self, WebDavPush.TRANSPORTS)
              + ", topic "
              + present(self, WebDavPush.TOPIC)
              + ", supported-triggers "
              + present(self, WebDavPush.SUPPORTED_TRIGGERS)
              + (unreadable.isEmpty() ? "" : "; " + unreadable));
      SupportedTriggers supported = supportedProperty.orElse(null);
      checks.check(
          "R-WDP-9",
          supported != null,
          supported == null
              ? "supported-triggers missing or without a valid depth"
              : "content-update "
                  + supported.contentUpdate().map(Depth::token).orElse("-")
                  + ", property-update "
                  + supported.propertyUpdate().map(Depth::token).orElse("-"));
      if (supported != null) {
        checks.check(
            "R-WDP-18",
            supported.contentUpdate().map(d -> d.compareTo(Depth.ONE) >= 0).orElse(false),
            "content-update maximum depth "
                + supported.contentUpdate().map(Depth::token).orElse("none"));
      }
      List<TransportDescriptor> transports = transportsProperty.orElse(List.of());
      Optional<String> badTransports =
          unreadable.stream().filter(u -> u.startsWith("transports")).findFirst();
      if (badTransports.isPresent()) {
        if (badTransports.get().toLowerCase(java.util.Locale.ROOT).contains("vapid")) {
          checks.fail("R-WDP-51", badTransports.get());
          checks.notTested("R-WDP-49", "transports could not be read past its VAPID key");
        } else {
          checks.fail("R-WDP-49", badTransports.get());
        }
      }
      Optional<WebPushTransportDescriptor> webPush =
          transports.stream()
              .filter(WebPushTransportDescriptor.class::isInstance)
              .map(WebPushTransportDescriptor.class::cast)
              .findFirst();
      if (badTransports.isEmpty()) {
        checks.check(
            "R-WDP-49",
            webPush.isPresent(),
            "transports: " + transports.stream().map(TransportDescriptor::name).toList());
      }
      Optional<P256PublicKey> vapidKey = webPush.flatMap(WebPushTransportDescriptor::vapidKey);
      if (webPush.isPresent()) {
        if (vapidKey.isPresent()) {
          checks.pass("R-WDP-51", "vapid-public-key type=p256ecdsa, 65-byte point on P-256");
        } else {
          checks.notApplicable("R-WDP-51", "the server publishes no VAPID key");
        }
      }
      if (topic.isEmpty() || webPush.isEmpty()) {
        throw new StopRun(
            "discovery gave no usable topic or web-push transport, so the kit could"
                + " not register");
      }
      String syncTokenBefore = read("sync-token", self::syncToken, unreadable).orElse(null);

      // 3. negative registration: off-curve key → 403 invalid-subscription
      PushServiceSubscription scratch = service.subscribe(vapidKey.orElse(null));
      WebDavPushClient.RegisterResponse bad =
          client.registerRaw(target, invalidKeyRegistration(scratch));
      Set<Precondition> badPreconditions = preconditions(bad.result());
      checks.check(
          "R-WDP-24",
          bad.status() == 403 && badPreconditions.contains(Precondition.INVALID_SUBSCRIPTION),
          "off-curve subscription-public-key: " + bad.result().evidence() + " " + badPreconditions);
      if (bad.status() / 100 == 2 && bad.location() != null) {
        registrations.add(resolve(bad.location()));
      }

      // 4. register
      PushServiceSubscription sub = service.subscribe(vapidKey.orElse(null));
      Instant requested = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
      RegisterRequest request =
          new RegisterRequest(
              sub.toWebPushSubscription(),
              List.of(new Trigger.ContentUpdate(Depth.ONE)),
              requested);
      WebDavPushClient.RegisterResponse reg = client.register(target, request);
      refuseAuthentication(reg.result());
      boolean registered = reg.status() == 201 || reg.status() == 204;
      checks.check(
          "R-WDP-24",
          registered,
          "push-register (content-update depth 1): "
              + reg.result().evidence()
              + bodyHint(reg.result()));
      if (!registered) {
        throw new StopRun(
            "the server refused a valid registration: "
                + reg.result().evidence()
                + bodyHint(reg.result()));
      }
      URI location = checkLocation(reg);
      registrations.add(location);
      checkExpires(reg, requested);

      // 5. R-WDP-19: depth infinity is downgraded, not refused
      checkDowngrade(supported, vapidKey);

      // 6. a member change → a push message
      URI member = memberUri(self);
      HttpResult put = putMember(member, List.of(), true);
      created.add(member);
      Optional<ReceivedPush> first = sub.awaitMessage(options.pushTimeout());
      checks.check(
          "R-WDP-34",
          first.isPresent(),
          first.isPresent()
              ? put.evidence() + " → push received"
              : put.evidence()
                  + " → no push message within "
                  + options.pushTimeout().toSeconds()
                  + " s");
      PushMessage message = null;
      if (first.isPresent()) {
        checkPushRequest(first.get(), sub, vapidKey);
        message = checkMessage(first.get(), topic.get());
        checkSyncToken(message, syncTokenBefore);
        Topic again =
            propfind(target)
                .self()
                .flatMap(r -> read("topic", r::topic, new ArrayList<>()))
                .orElse(null);
        checks.check(
            "R-WDP-8",
            topic.get().equals(again),
            "topic before and after a member change: "
                + (topic.get().equals(again) ? "equal" : "different"));
      } else {
        for (String id :
            List.of(
                "R-WDP-35",
                "R-WDP-36",
                "R-WDP-48",
                "R-WDP-54",
                "R-8030-4",
                "R-8291-9",
                "R-8291-6",
                "R-8291-7",
                "R-8030-7",
                "R-8292-2",
                "R-8292-3",
                "R-8292-5",
                "R-8292-10",
                "R-WDP-39",
                "R-WDP-42",
                "R-8291-2")) {
          checks.notTested(id, "no push message arrived (R-WDP-34), so this could not be checked");
        }
      }
      checkMemberHasNoPushProperties(member);

      // 7. Push-Dont-Notify with the own registration → nothing
      if (first.isPresent()) {
        drain(sub);
        HttpResult quiet =
            putMember(member, List.of(PushDontNotify.format(List.of(location))), false);
        Optional<ReceivedPush> leaked = sub.awaitMessage(options.quietPeriod());
        checks.check(
            "R-WDP-39",
            leaked.isEmpty(),
            quiet.evidence()
                + " with Push-Dont-Notify: own"
                + " registration → "
                + (leaked.isEmpty()
                    ? "no push within " + options.quietPeriod().toSeconds() + " s"
                    : "a push arrived"));

        // 8. invalid Push-Dont-Notify values are ignored: normal status and a push
        drain(sub);
        HttpResult invalid = putMember(member, List.of("garbage, not-a-quoted-url"), false);
        Optional<ReceivedPush> third = sub.awaitMessage(options.pushTimeout());
        checks.check(
            "R-WDP-42",
            invalid.status() / 100 == 2 && third.isPresent(),
            invalid.evidence()
                + " with Push-Dont-Notify: garbage → "
                + (third.isPresent() ? "push received" : "no push"));
        if (third.isPresent()) {
          checkPushRequest(third.get(), sub, vapidKey);
          byte[] k1 = keyId(first.get());
          byte[] k3 = keyId(third.get());
          checks.check(
              "R-8291-2",
              k1 != null && k3 != null && !Arrays.equals(k1, k3),
              "two messages: application server keys "
                  + (k1 != null && Arrays.equals(k1, k3) ? "identical" : "different"));
        }
      }

      // 9. another user can neither delete the registration nor silence it (R-WDP-62)
      if (first.isPresent()) {
        checkBoundToItsUser(member, vapidKey);
      } else {
        checks.notTested(
            "R-WDP-62", "no push message arrived (R-WDP-34), so this could not be checked");
      }

      // 10. a subscription the push service reports gone (410) is dropped
      if (first.isPresent()) {
        checkGoneSubscriptionIsDropped(member, vapidKey);
      } else {
        checks.notTested(
            "R-WDP-45", "no push message arrived (R-WDP-34), so this could not be checked");
      }

      // 11. registering the same push resource again updates the registration
      WebDavPushClient.RegisterResponse again =
          client.register(
              target,
              new RegisterRequest(
                  sub.toWebPushSubscription(),
                  List.of(new Trigger.ContentUpdate(Depth.ONE)),
                  requested.plus(Duration.ofDays(1))));
      URI againLocation = again.location() == null ? null : resolve(again.location());
      checks.check(
          "R-WDP-28",
          again.status() / 100 == 2 && location.equals(againLocation),
          "second push-register of the same push resource: "
              + again.result().evidence()
              + ", Location "
              + (location.equals(againLocation)
                  ? "unchanged"
                  : "different: " + redact(again.location())));
      if (againLocation != null && !location.equals(againLocation)) {
        registrations.add(againLocation);
      }

      // 12. DELETE the registration: 204, then 404; then no more messages
      HttpResult del = client.delete(location);
      HttpResult del2 = client.delete(location);
      checks.check(
          "R-WDP-30",
          del.status() == 204 && del2.status() == 404,
          "DELETE "
              + redact(location.toString())
              + " → "
              + del.status()
              + ", again → "
              + del2.status());
      if (del.status() / 100 == 2) {
        registrations.remove(location);
        if (first.isPresent()) {
          drain(sub);
          HttpResult after = putMember(member, List.of(), false);
          Optional<ReceivedPush> stray = sub.awaitMessage(options.quietPeriod());
          if (stray.isPresent()) {
            checks.fail("R-WDP-30", after.evidence() + " after unregistering → a push arrived");
          }
        }
      }
    }

    // --- discovery helpers ---

    private WebDavPushClient.Propfind propfind(URI uri) {
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

    /** Reads a property that may be malformed; a malformed one is noted and reads as absent. */
    private static <T> Optional<T> read(
        String name, java.util.function.Supplier<Optional<T>> accessor, List<String> unreadable) {
      try {
        return accessor.get();
      } catch (PushException e) {
        unreadable.add(name + " unreadable: " + e.getMessage());
        return Optional.empty();
      }
    }

    private static void refuseAuthentication(HttpResult r) {
      if (r.status() == 401 || r.status() == 407) {
        throw new TargetException(
            r.evidence() + ": authentication refused; pass --user and" + " --password-env");
      }
    }

    private void checkMemberHasNoPushProperties(URI member) {
      WebDavPushClient.Propfind pf = client.propfind(member, "0", DISCOVERY);
      Optional<DavResponse> r = pf.self();
      boolean topic = r.isPresent() && isPresent(r.get(), WebDavPush.TOPIC);
      boolean triggers = r.isPresent() && isPresent(r.get(), WebDavPush.SUPPORTED_TRIGGERS);
      checks.check(
          "R-WDP-6",
          r.isPresent() && !topic && !triggers,
          pf.result().evidence()
              + " (a member, not push-capable): topic "
              + (topic ? "present" : "absent")
              + ", supported-triggers "
              + (triggers ? "present" : "absent"));
    }

    /** Whether a property came back in a 200 propstat, whatever its content. */
    private static boolean isPresent(DavResponse r, PropertyName name) {
      return r.status(name).orElse(404) / 100 == 2;
    }

    // --- registration helpers ---

    private URI checkLocation(WebDavPushClient.RegisterResponse reg) {
      String raw = reg.location();
      if (raw == null) {
        checks.fail("R-WDP-25", reg.result().evidence() + " without Location");
        throw new StopRun("the registration answer has no Location");
      }
      URI parsed;
      try {
        parsed = new URI(raw.trim());
      } catch (URISyntaxException e) {
        checks.fail("R-WDP-25", "Location is not a URI: " + redact(raw));
        throw new StopRun("the registration answer's Location is not a URI");
      }
      checks.check(
          "R-WDP-25",
          parsed.isAbsolute(),
          "Location: " + redact(raw) + (parsed.isAbsolute() ? " (absolute)" : " (relative)"));
      return reg.result().uri().resolve(parsed);
    }

    private void checkExpires(WebDavPushClient.RegisterResponse reg, Instant requested) {
      String raw = reg.expires();
      Optional<Instant> when = raw == null ? Optional.empty() : HttpDates.parse(raw);
      boolean fixdate = raw != null && IMF_FIXDATE.matcher(raw.trim()).matches();
      Instant now = Instant.now();
      checks.check(
          "R-WDP-26",
          fixdate && when.isPresent() && when.get().isAfter(now),
          raw == null
              ? "no Expires header"
              : "Expires: " + raw + (fixdate ? "" : " (not an IMF-fixdate)"));
      when.ifPresent(
          w ->
              checks.check(
                  "R-WDP-31",
                  !w.isBefore(now.plus(Duration.ofDays(3)).minusSeconds(60)),
                  "requested " + HttpDates.format(requested) + ", granted " + raw));
    }

    private void checkDowngrade(
        @Nullable SupportedTriggers supported, Optional<P256PublicKey> vapidKey) {
      if (supported == null || supported.contentUpdate().isEmpty()) {
        checks.notApplicable("R-WDP-19", "no content-update in supported-triggers");
        return;
      }
      if (supported.contentUpdate().get() == Depth.INFINITY) {
        checks.notApplicable(
            "R-WDP-19", "content-update depth infinity is supported; nothing to downgrade");
        return;
      }
      PushServiceSubscription other = service.subscribe(vapidKey.orElse(null));
      WebDavPushClient.RegisterResponse r =
          client.register(
              target,
              new RegisterRequest(
                  other.toWebPushSubscription(),
                  List.of(new Trigger.ContentUpdate(Depth.INFINITY)),
                  null));
      checks.check(
          "R-WDP-19",
          r.status() / 100 == 2,
          "content-update depth infinity where "
              + supported.contentUpdate().get().token()
              + " is the maximum: "
              + r.result().evidence());
      if (r.location() != null && r.status() / 100 == 2) {
        client.delete(resolve(r.location()));
      }
    }

    /**
     * R-WDP-62: a second user tries to delete the first user's registration and to suppress its
     * message with {@code Push-Dont-Notify}; the registration must survive and be notified.
     */
    private void checkBoundToItsUser(URI member, Optional<P256PublicKey> vapidKey) {
      if (secondUser == null) {
        checks.notTested("R-WDP-62", "needs a second user (--second-user, --second-password-env)");
        return;
      }
      // a registration of its own, so that a server that lets the other user delete it spoils
      // no later check
      PushServiceSubscription own = service.subscribe(vapidKey.orElse(null));
      WebDavPushClient.RegisterResponse r =
          client.register(
              target,
              new RegisterRequest(
                  own.toWebPushSubscription(),
                  List.of(new Trigger.ContentUpdate(Depth.ONE)),
                  null));
      if (r.status() / 100 != 2 || r.location() == null) {
        checks.notTested(
            "R-WDP-62", "a further registration was refused: " + r.result().evidence());
        return;
      }
      URI ownLocation = resolve(r.location());
      registrations.add(ownLocation);
      HttpResult delete = secondUser.delete(ownLocation);
      MemberBody body = memberBody(member);
      HttpResult put =
          secondUser.put(
              member,
              body.type(),
              body.bytes(),
              List.of(PushDontNotify.format(List.of(ownLocation))),
              false);
      if (put.status() / 100 != 2) {
        checks.notTested("R-WDP-62", "the second user cannot write the member: " + put.evidence());
        return;
      }
      Optional<ReceivedPush> still = own.awaitMessage(options.pushTimeout());
      boolean deleteRefused = delete.status() == 403 || delete.status() == 404;
      checks.check(
          "R-WDP-62",
          deleteRefused && still.isPresent(),
          "second user: DELETE of the first user's registration → "
              + delete.status()
              + "; "
              + put.evidence()
              + " with Push-Dont-Notify: first user's registration → "
              + (still.isPresent() ? "first user still notified" : "first user not notified"));
    }

    /**
     * R-WDP-45: registers a second push resource, has the push service answer 410 Gone for it,
     * triggers one message, lets the quiet period pass, and checks that the next change sends
     * nothing more to it.
     */
    private void checkGoneSubscriptionIsDropped(URI member, Optional<P256PublicKey> vapidKey) {
      PushServiceSubscription dead = service.subscribe(vapidKey.orElse(null));
      WebDavPushClient.RegisterResponse r =
          client.register(
              target,
              new RegisterRequest(
                  dead.toWebPushSubscription(),
                  List.of(new Trigger.ContentUpdate(Depth.ONE)),
                  null));
      if (r.status() / 100 != 2) {
        checks.notTested("R-WDP-45", "a second registration was refused: " + r.result().evidence());
        return;
      }
      if (r.location() != null) {
        registrations.add(resolve(r.location()));
      }
      dead.unsubscribe();
      HttpResult put = putMember(member, List.of(), false);
      Optional<ReceivedPush> refused = dead.awaitMessage(options.pushTimeout());
      if (refused.isEmpty()) {
        checks.notTested("R-WDP-45", put.evidence() + " → the second registration got no message");
        return;
      }
      // the server acts on the 410 after it arrives; the quiet period gives it that time
      dead.expectNothing(options.quietPeriod());
      drain(dead);
      HttpResult again = putMember(member, List.of(), false);
      Optional<ReceivedPush> stray = dead.awaitMessage(options.quietPeriod());
      checks.check(
          "R-WDP-45",
          stray.isEmpty(),
          "push service answered "
              + refused.get().status()
              + " Gone; "
              + again.evidence()
              + " → "
              + (stray.isEmpty()
                  ? "no further message to that push resource"
                  : "sent again to the gone push resource"));
    }

    private byte[] invalidKeyRegistration(PushServiceSubscription s) {
      byte[] key = s.keys().publicKey().bytes();
      key[64] ^= 0x01;
      String xml =
          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              + "<push-register xmlns=\""
              + WebDavPush.NAMESPACE
              + "\" xmlns:D=\"DAV:\">"
              + "<subscription><web-push-subscription>"
              + "<push-resource>"
              + s.pushResource().uri()
              + "</push-resource>"
              + "<content-encoding>aes128gcm</content-encoding>"
              + "<subscription-public-key type=\"p256dh\">"
              + dev.davpush.Base64Url.encode(key)
              + "</subscription-public-key>"
              + "<auth-secret>"
              + s.keys().authSecret().toBase64Url()
              + "</auth-secret>"
              + "</web-push-subscription></subscription>"
              + "<trigger><content-update><D:depth>1</D:depth></content-update></trigger>"
              + "</push-register>";
      return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<Precondition> preconditions(HttpResult r) {
      try {
        return r.body().length == 0 ? Set.of() : ErrorReader.read(r.body());
      } catch (PushException e) {
        return Set.of();
      }
    }

    // --- push message checks ---

    private void checkPushRequest(
        ReceivedPush p, PushServiceSubscription sub, Optional<P256PublicKey> vapidKey) {
      String line = "POST /push/[redacted] → " + p.status();
      Optional<String> ttl = p.header("TTL");
      checks.check(
          "R-8030-4",
          !p.hasViolation(Violation.MISSING_TTL) && !p.hasViolation(Violation.BAD_TTL),
          line + ", TTL: " + ttl.orElse("(absent)"));
      checks.check(
          "R-8291-9",
          !p.hasViolation(Violation.BAD_CONTENT_ENCODING),
          "Content-Encoding: " + String.join(", ", p.headerValues("Content-Encoding")));
      checks.check(
          "R-8030-7",
          !p.hasViolation(Violation.BODY_TOO_LARGE),
          "body " + p.body().length + " bytes");
      checks.check(
          "R-8030-5",
          !p.hasViolation(Violation.BAD_URGENCY),
          "Urgency: " + p.header("Urgency").orElse("(absent)"));
      checks.check(
          "R-8030-6",
          !p.hasViolation(Violation.BAD_TOPIC),
          "Topic: " + p.header("Topic").map(t -> t.length() + " characters").orElse("(absent)"));
      p.header("Content-Type")
          .ifPresentOrElse(
              ct ->
                  checks.check(
                      "R-WDP-59",
                      ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/xml"),
                      "Content-Type: " + ct),
              () -> checks.fail("R-WDP-59", "no Content-Type"));
      byte[] keyId = null;
      try {
        Aes128GcmCodec.Header h = Aes128GcmCodec.Header.parse(p.body());
        keyId = h.keyId();
        boolean validKey = keyId.length == 65 && isPoint(keyId);
        checks.check(
            "R-8291-7",
            validKey,
            "idlen "
                + keyId.length
                + (validKey ? ", keyid a P-256 point" : ", keyid not a 65-byte P-256 point"));
        long recordBytes = p.body().length - h.length();
        checks.check(
            "R-8291-6",
            h.recordSize() >= 18 && recordBytes <= h.recordSize(),
            "rs " + h.recordSize() + ", one record of " + recordBytes + " bytes");
      } catch (PushException e) {
        checks.fail("R-8291-7", "unreadable aes128gcm header: " + e.getMessage());
        checks.fail("R-8291-6", "unreadable aes128gcm header: " + e.getMessage());
      }
      checks.check(
          "R-WDP-48",
          p.plaintext().isPresent(),
          p.plaintext().isPresent()
              ? "decrypted with the subscription's keys (RFC 8291)"
              : "could not decrypt: " + violationText(p));
      if (vapidKey.isEmpty()) {
        for (String id : List.of("R-WDP-54", "R-8292-2", "R-8292-3", "R-8292-5", "R-8292-10")) {
          checks.notApplicable(id, "the server publishes no VAPID key");
        }
        return;
      }
      Optional<VapidClaims> claims = p.vapidClaims();
      boolean vapidOk =
          claims.isPresent()
              && claims.get().publicKey().equals(vapidKey.get())
              && !p.hasViolation(Violation.VAPID_MISSING)
              && !p.hasViolation(Violation.VAPID_INVALID)
              && !p.hasViolation(Violation.VAPID_KEY_MISMATCH);
      checks.check(
          "R-WDP-54",
          vapidOk,
          vapidOk
              ? "Authorization: vapid t=…, k=<published key>"
              : "Authorization: "
                  + (p.header("Authorization").isPresent() ? violationText(p) : "(absent)"));
      checks.check(
          "R-8292-3",
          claims.isPresent() && !p.hasViolation(Violation.VAPID_INVALID),
          claims.isPresent() ? "ES256 signature (64-byte R||S) verifies with k" : violationText(p));
      if (claims.isPresent()) {
        VapidClaims c = claims.get();
        boolean audOk =
            c.audience().equals(service.origin())
                && !p.hasViolation(Violation.VAPID_AUDIENCE_MISMATCH);
        boolean expOk =
            !p.hasViolation(Violation.VAPID_EXPIRED)
                && !p.hasViolation(Violation.VAPID_EXPIRY_TOO_FAR);
        checks.check(
            "R-8292-2",
            audOk && expOk,
            "aud "
                + c.audience()
                + " (expected "
                + service.origin()
                + "), exp in "
                + Duration.between(p.receivedAt(), c.expiry()).toMinutes()
                + " min");
        checks.check(
            "R-8292-5",
            c.subject().map(s -> s.startsWith("mailto:") || s.startsWith("https:")).orElse(false),
            "sub "
                + c.subject()
                    .map(s -> s.startsWith("mailto:") ? "mailto:…" : s)
                    .orElse("(absent)"));
        checks.check(
            "R-8292-10",
            keyId != null && !Arrays.equals(keyId, c.publicKey().bytes()),
            "message ECDH key and VAPID key "
                + (keyId != null && Arrays.equals(keyId, c.publicKey().bytes())
                    ? "identical"
                    : "different"));
      }
    }

    private @Nullable PushMessage checkMessage(ReceivedPush p, Topic topic) {
      if (p.plaintext().isEmpty()) {
        checks.notTested("R-WDP-35", "the message could not be decrypted");
        return null;
      }
      try {
        PushMessage m = PushMessageReader.read(p.plaintext().get());
        boolean ok = m.topic().map(topic::equals).orElse(false) && m.contentUpdate().isPresent();
        checks.check(
            "R-WDP-35",
            ok,
            "push-message topic "
                + (m.topic().map(topic::equals).orElse(false)
                    ? "= PROPFIND topic"
                    : "≠ PROPFIND topic (" + m.topic().map(Topic::value).orElse("absent") + ")")
                + ", content-update "
                + (m.contentUpdate().isPresent() ? "present" : "absent"));
        return m;
      } catch (PushException e) {
        checks.fail("R-WDP-35", "the decrypted payload is not a push-message: " + e.getMessage());
        return null;
      }
    }

    private void checkSyncToken(@Nullable PushMessage m, @Nullable String before) {
      if (m == null) {
        checks.notTested("R-WDP-36", "no readable push-message");
        return;
      }
      Optional<String> inMessage =
          m.contentUpdate().flatMap(PushMessage.ContentUpdate::syncTokenValue);
      Optional<String> now =
          propfind(target).self().flatMap(r -> read("sync-token", r::syncToken, new ArrayList<>()));
      if (now.isEmpty() && before == null) {
        checks.notApplicable("R-WDP-36", "the collection has no DAV:sync-token");
        return;
      }
      checks.check(
          "R-WDP-36",
          inMessage.isPresent() && inMessage.equals(now),
          "message sync-token "
              + inMessage.orElse("(absent)")
              + ", PROPFIND sync-token "
              + now.orElse("(absent)"));
    }

    private static byte @Nullable [] keyId(ReceivedPush p) {
      try {
        return Aes128GcmCodec.Header.parse(p.body()).keyId();
      } catch (PushException e) {
        return null;
      }
    }

    private static boolean isPoint(byte[] key) {
      try {
        P256PublicKey.of(key);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static String violationText(ReceivedPush p) {
      return p.violations().isEmpty()
          ? "no violation recorded"
          : p.violations().stream().map(v -> v.code() + ": " + v.message()).toList().toString();
    }

    private static void drain(PushServiceSubscription sub) {
      while (sub.awaitMessage(Duration.ofMillis(50)).isPresent()) {
        // discard messages that belong to earlier steps
      }
    }

    // --- members ---

    private URI memberUri(DavResponse self) {
      String name = "davpush-kit-" + UUID.randomUUID();
      if (self.resourceTypes().contains(CALENDAR)) {
        name += ".ics";
      } else if (self.resourceTypes().contains(ADDRESSBOOK)) {
        name += ".vcf";
      } else {
        name += ".txt";
      }
      return memberBase.resolve(name);
    }

    /** The content and media type of the kit's member, changed on every edit. */
    private MemberBody memberBody(URI member) {
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

    private HttpResult putMember(URI member, List<String> pushDontNotify, boolean create) {
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

    private URI resolve(String location) {
      try {
        return target.resolve(new URI(location.trim()));
      } catch (URISyntaxException e) {
        return target;
      }
    }

    private void cleanUp() {
      for (URI r : registrations) {
        try {
          client.delete(r);
        } catch (PushException e) {
          // best effort
        }
      }
      for (URI m : created) {
        try {
          client.delete(m);
        } catch (PushException e) {
          // best effort
        }
      }
    }
  }

  /** A member's media type and content. */
  private record MemberBody(String type, byte[] bytes) {}

  /** Ends a run early: later checks cannot be made; the report says why. */
  private static final class StopRun extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String why;

    StopRun(String why) {
      super(why, null, false, false);
      this.why = why;
    }
  }

  private static String present(DavResponse r, PropertyName name) {
    return r.status(name).orElse(404) / 100 == 2 ? "present" : "missing";
  }

  private static String bodyHint(HttpResult r) {
    String t = r.bodyText().strip();
    if (t.isEmpty()) {
      return "";
    }
    return " (" + (t.length() > 120 ? t.substring(0, 119) + "…" : t).replaceAll("\\s+", " ") + ")";
  }

  /** A registration URL with its last path segment hidden. */
  static String redact(@Nullable String url) {
    if (url == null) {
      return "(none)";
    }
    String u = url.trim();
    int slash = u.lastIndexOf('/', u.endsWith("/") ? u.length() - 2 : u.length() - 1);
    return slash < 0 ? "[redacted]" : u.substring(0, slash + 1) + "[redacted]";
  }
}
