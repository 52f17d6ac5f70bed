package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PreconditionException;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.PushProperties;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.SupportedTriggers;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.internal.RetryPolicy;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.SubscriptionStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PushEngineTest {
  // RFC 8291 Appendix A ua_public: a valid P-256 point
  static final P256PublicKey KEY =
      P256PublicKey.fromBase64Url(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
  static final URI BASE = URI.create("https://dav.example/push/");
  static final Instant START = Instant.parse("2026-01-01T00:00:00.250Z");
  static final Trigger CONTENT_1 = new Trigger.ContentUpdate(Depth.ONE);

  final FakeResources resources = new FakeResources();
  final RecordingTransport transport = new RecordingTransport();
  final SubscriptionStore store = new InMemorySubscriptionStore();
  final MutableClock clock = new MutableClock(START);
  final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
  final BlockingQueue<Runnable> heldRetries = new LinkedBlockingQueue<>();
  volatile boolean holdRetries;
  PushEngine engine;

  DavResource root;
  DavResource home;
  DavResource work;
  DavResource sub;

  @BeforeEach
  void tree() {
    root = resources.collection("/cal/");
    home = resources.collection("/cal/alice/");
    work = resources.collection("/cal/alice/work/");
    sub = resources.collection("/cal/alice/work/sub/");
    resources.allow("alice", "/cal/", "/cal/alice/", "/cal/alice/work/", "/cal/alice/work/sub/");
    resources.allow("bob", "/cal/alice/work/");
    engine = engine(b -> {});
  }

  @AfterEach
  void close() {
    engine.close();
  }

  PushEngine engine(Consumer<PushEngine.Builder> custom) {
    PushEngine.Builder b =
        PushEngine.builder()
            .resources(resources)
            .store(store)
            .transport(transport)
            .messageEncoder(transport.encoder())
            .registrationBase(BASE)
            .clock(clock)
            .delayer(
                (task, delay) -> {
                  // a wake-up: move the test clock to the moment it is for, then run it
                  retryDelays.add(delay);
                  Runnable due =
                      () -> {
                        clock.advance(delay);
                        task.run();
                      };
                  if (holdRetries) {
                    heldRetries.add(due);
                  } else {
                    due.run();
                  }
                })
            .jitter(() -> 0.5);
    custom.accept(b);
    return b.build();
  }

  static WebPushSubscription subscription(String name) {
    return WebPushSubscription.of(
        PushResource.parse("https://push.example/" + name), KEY, AuthSecret.random());
  }

  static RegisterRequest request(WebPushSubscription s, Trigger... triggers) {
    return new RegisterRequest(s, List.of(triggers), null);
  }

  Registration register(String principal, String path, String pushName, Trigger... triggers) {
    return engine
        .register(path, principal, request(subscription(pushName), triggers))
        .registration();
  }

  Runnable awaitHeldRetry() throws InterruptedException {
    Runnable r = heldRetries.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("a retry was scheduled").isNotNull();
    return r;
  }

  PublishResult publish(Change change) throws Exception {
    return engine.publish(change).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Nested
  class Building {
    @Test
    void namesEveryMissingPart() {
      assertThatThrownBy(() -> PushEngine.builder().build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("resources")
          .hasMessageContaining("registrationBase")
          .hasMessageContaining("transport");
    }

    @Test
    void refusesADefaultExpiryAboveTheMaximum() {
      assertThatThrownBy(() -> engine(b -> b.defaultExpiry(Duration.ofDays(40))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("minimumExpiry <= defaultExpiry <= maximumExpiry");
    }

    @Test
    void refusesAMinimumAboveTheDefault() {
      assertThatThrownBy(() -> engine(b -> b.minimumExpiry(Duration.ofDays(8))))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesARegistrationBaseWithoutTrailingSlashOrRelative() {
      assertThatThrownBy(
              () -> PushEngine.builder().registrationBase(URI.create("https://dav.example/push")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'/'");
      assertThatThrownBy(() -> PushEngine.builder().registrationBase(URI.create("/push/")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("absolute");
    }

    @Test
    void refusesNonPositiveExpiries() {
      assertThatThrownBy(() -> PushEngine.builder().defaultExpiry(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("defaultExpiry");
      assertThatThrownBy(() -> PushEngine.builder().minimumExpiry(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsTransportDescriptorsInOrder() {
      assertThat(engine.transports()).containsExactly(transport.descriptor());
    }
  }

  @Nested
  class Discovery {
    @Test
    void showsTopicTransportsAndTriggersToAnAllowedPrincipal() {
      PushProperties p = engine.properties("/cal/alice/work/", "alice").orElseThrow();
      assertThat(p.topic()).isEqualTo(work.topic());
      assertThat(p.supportedTriggers()).isEqualTo(work.supportedTriggers());
      assertThat(p.transports()).containsExactly(transport.descriptor());
    }

    @Test
    void showsNothingToAnonymousRequests() {
      assertThat(engine.properties("/cal/alice/work/", null)).isEmpty();
    }

    @Test
    void showsNothingToAPrincipalThatMayNotSubscribe() {
      assertThat(engine.properties("/cal/alice/", "bob")).isEmpty();
    }

    @Test
    void showsNothingOnResourcesWithoutPush() {
      assertThat(engine.properties("/elsewhere/", "alice")).isEmpty();
    }
  }

  @Nested
  class Registering {
    @Test
    void createsARegistrationWithAnAbsoluteUnguessableUrlUnderTheBase() {
      RegistrationResult r =
          engine.register("/cal/alice/work/", "alice", request(subscription("a"), CONTENT_1));
      Registration reg = r.registration();
      assertThat(r.created()).isTrue();
      assertThat(reg.id()).matches("[A-Za-z0-9_-]{22}");
      assertThat(reg.registrationUrl()).isEqualTo(BASE.resolve(reg.id()));
      assertThat(reg.owner()).isEqualTo("alice");
      assertThat(reg.topic()).isEqualTo(work.topic());
      assertThat(reg.created()).isEqualTo(START);
      assertThat(store.find(reg.id())).contains(reg);
      assertThat(engine.registration(reg.registrationUrl())).contains(reg);
    }

    @Test
    void aRepeatedRegistrationUpdatesTheSameUrlWithNewKeysTriggersAndExpiry() {
      WebPushSubscription first = subscription("a");
      Registration one =
          engine.register("/cal/alice/work/", "alice", request(first, CONTENT_1)).registration();
      WebPushSubscription rotated =
          WebPushSubscription.of(first.pushResource(), KEY, AuthSecret.random());
      clock.advance(Duration.ofHours(1));
      Trigger prop = new Trigger.PropertyUpdate(Depth.ZERO);
      RegistrationResult two = engine.register("/cal/alice/work/", "alice", request(rotated, prop));

      assertThat(two.created()).isFalse();
      assertThat(two.registration().registrationUrl()).isEqualTo(one.registrationUrl());
      assertThat(two.registration().subscription()).isEqualTo(rotated);
      assertThat(two.registration().triggers()).containsExactly(prop);
      assertThat(two.registration().expires()).isAfter(one.expires());
      assertThat(two.registration().created()).isEqualTo(one.created());
      assertThat(store.findBySubscription(first.id())).hasSize(1);
    }

    @Test
    void theSamePushResourceOnAnotherCollectionGetsAnotherUrl() {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      Registration b = register("alice", "/cal/alice/", "a", CONTENT_1);
      assertThat(b.registrationUrl()).isNotEqualTo(a.registrationUrl());
    }

    @Test
    void anotherPrincipalWithTheSamePushResourceGetsItsOwnRegistration() {
      WebPushSubscription s = subscription("shared");
      Registration a =
          engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1)).registration();
      RegistrationResult b = engine.register("/cal/alice/work/", "bob", request(s, CONTENT_1));
      assertThat(b.created()).isTrue();
      assertThat(b.registration().id()).isNotEqualTo(a.id());
    }

    @Test
    void newKeysReachThePrincipalsOtherRegistrationsOfThePushResourceOnly() {
      WebPushSubscription s = subscription("k");
      Registration onWork =
          engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1)).registration();
      Registration bobs =
          engine.register("/cal/alice/work/", "bob", request(s, CONTENT_1)).registration();
      WebPushSubscription rotated =
          WebPushSubscription.of(s.pushResource(), KEY, AuthSecret.random());
      engine.register("/cal/alice/", "alice", request(rotated, CONTENT_1));

      assertThat(store.find(onWork.id()).orElseThrow().subscription()).isEqualTo(rotated);
      assertThat(store.find(bobs.id()).orElseThrow().subscription()).isEqualTo(s);
    }

    @Test
    void anExpiredRegistrationIsReplacedByANewOne() {
      Registration old = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      clock.advance(PushEngine.DEFAULT_EXPIRY);
      RegistrationResult again =
          engine.register("/cal/alice/work/", "alice", request(subscription("a"), CONTENT_1));
      assertThat(again.created()).isTrue();
      assertThat(again.registration().registrationUrl()).isNotEqualTo(old.registrationUrl());
      assertThat(store.find(old.id())).isEmpty();
    }

    @Test
    void usesTheDefaultExpiryWhenNoneIsRequestedTruncatedToSeconds() {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      assertThat(r.expires()).isEqualTo(Instant.parse("2026-01-08T00:00:00Z"));
    }

    @Test
    void usesTheDefaultExpiryForARequestInThePast() {
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(subscription("a"), List.of(CONTENT_1), START.minusSeconds(5)))
              .registration();
      assertThat(r.expires()).isEqualTo(Instant.parse("2026-01-08T00:00:00Z"));
    }

    @Test
    void capsAFarExpiryAtTheMaximum() {
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(
                      subscription("a"), List.of(CONTENT_1), START.plus(Duration.ofDays(365))))
              .registration();
      assertThat(r.expires()).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }

    @Test
    void honoursAShortRequestedExpiry() {
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(subscription("a"), List.of(CONTENT_1), START.plusSeconds(60)))
              .registration();
      assertThat(r.expires())
          .isEqualTo(START.plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void raisesAShortExpiryToAConfiguredFloor() {
      engine.close();
      engine = engine(b -> b.minimumExpiry(Duration.ofDays(3)));
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(subscription("a"), List.of(CONTENT_1), START.plusSeconds(60)))
              .registration();
      assertThat(r.expires()).isEqualTo(Instant.parse("2026-01-04T00:00:00Z"));
    }

    @Test
    void honoursARequestedExpiryInsideTheWindow() {
      Instant want = Instant.parse("2026-01-10T12:34:56.789Z");
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(subscription("a"), List.of(CONTENT_1), want))
              .registration();
      assertThat(r.expires()).isEqualTo(Instant.parse("2026-01-10T12:34:56Z"));
    }

    @Test
    void downgradesADepthAboveTheSupportedMaximum() {
      resources.collection("/cal/alice/small/", SupportedTriggers.contentUpdate(Depth.ONE));
      resources.allow("alice", "/cal/alice/small/");
      Registration r =
          register("alice", "/cal/alice/small/", "a", new Trigger.ContentUpdate(Depth.INFINITY));
      assertThat(r.triggers()).containsExactly(new Trigger.ContentUpdate(Depth.ONE));
    }

    @Test
    void lowersEveryDepthToZeroOnANonCollection() {
      resources.file("/cal/alice/work/event.ics");
      resources.allow("alice", "/cal/alice/work/event.ics");
      Registration r =
          register(
              "alice",
              "/cal/alice/work/event.ics",
              "a",
              new Trigger.ContentUpdate(Depth.INFINITY),
              new Trigger.PropertyUpdate(Depth.ONE));
      assertThat(r.triggers())
          .containsExactly(
              new Trigger.ContentUpdate(Depth.ZERO), new Trigger.PropertyUpdate(Depth.ZERO));
    }

    @Test
    void refusesWithNoSupportedTriggerWhenNoRequestedKindIsSupported() {
      resources.collection("/cal/alice/small/", SupportedTriggers.contentUpdate(Depth.ONE));
      resources.allow("alice", "/cal/alice/small/");
      assertPrecondition(
          () -> register("alice", "/cal/alice/small/", "a", new Trigger.PropertyUpdate(Depth.ZERO)),
          Precondition.NO_SUPPORTED_TRIGGER);
      assertPrecondition(
          () -> register("alice", "/cal/alice/small/", "a"), Precondition.NO_SUPPORTED_TRIGGER);
    }

    @Test
    void refusesWithPushNotAvailableOnAResourceWithoutPush() {
      assertPrecondition(
          () -> register("alice", "/nothing/", "a", CONTENT_1), Precondition.PUSH_NOT_AVAILABLE);
    }

    @Test
    void refusesWithPushNotAvailableWhenThePrincipalMayNotSubscribe() {
      assertPrecondition(
          () -> register("bob", "/cal/alice/", "a", CONTENT_1), Precondition.PUSH_NOT_AVAILABLE);
    }

    @Test
    void refusesWithInvalidSubscriptionForAnEncodingOtherThanAes128gcm() {
      WebPushSubscription legacy =
          WebPushSubscription.of(
              PushResource.parse("https://push.example/x"),
              ContentEncoding.AESGCM,
              KEY,
              AuthSecret.random());
      assertPrecondition(
          () -> engine.register("/cal/alice/work/", "alice", request(legacy, CONTENT_1)),
          Precondition.INVALID_SUBSCRIPTION);
    }

    @Test
    void refusesWithInvalidSubscriptionWhenNoTransportAcceptsIt() {
      transport.accepts = s -> false;
      assertPrecondition(
          () -> register("alice", "/cal/alice/work/", "a", CONTENT_1),
          Precondition.INVALID_SUBSCRIPTION);
    }

    @Test
    void storesNothingWhenRefusing() {
      transport.accepts = s -> false;
      WebPushSubscription s = subscription("a");
      assertThatThrownBy(() -> engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1)))
          .isInstanceOf(PreconditionException.class);
      assertThat(store.findBySubscription(s.id())).isEmpty();
    }

    void assertPrecondition(Runnable r, Precondition expected) {
      assertThatThrownBy(r::run)
          .isInstanceOfSatisfying(
              PreconditionException.class, e -> assertThat(e.precondition()).isEqualTo(expected));
    }
  }

  @Nested
  class Unregistering {
    @Test
    void removesTheOwnersRegistrationThenReportsItUnknown() {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      assertThat(engine.unregister(r.registrationUrl(), "alice"))
          .isEqualTo(UnregisterResult.REMOVED);
      assertThat(engine.unregister(r.registrationUrl(), "alice"))
          .isEqualTo(UnregisterResult.NOT_FOUND);
      assertThat(engine.registration(r.registrationUrl())).isEmpty();
    }

    @Test
    void forbidsRemovingAnotherPrincipalsRegistration() {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      assertThat(engine.unregister(r.registrationUrl(), "bob"))
          .isEqualTo(UnregisterResult.FORBIDDEN);
      assertThat(store.find(r.id())).isPresent();
    }

    @Test
    void reportsUnknownAndForeignUrlsAsNotFound() {
      assertThat(engine.unregister(BASE.resolve("madeUp"), "alice"))
          .isEqualTo(UnregisterResult.NOT_FOUND);
      assertThat(engine.unregister(URI.create("https://other.example/push/x"), "alice"))
          .isEqualTo(UnregisterResult.NOT_FOUND);
    }

    @Test
    void reportsAnExpiredRegistrationAsNotFound() {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      clock.advance(Duration.ofDays(8));
      assertThat(engine.unregister(r.registrationUrl(), "alice"))
          .isEqualTo(UnregisterResult.NOT_FOUND);
      assertThat(engine.registration(r.registrationUrl())).isEmpty();
    }
  }

  @Nested
  class RegistrationUrls {
    @Test
    void recognisesUrlsUnderTheBaseIgnoringCaseOfSchemeAndHostAndDefaultPort() {
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example/push/abc"))).isTrue();
      assertThat(engine.isRegistrationUrl(URI.create("HTTPS://DAV.Example:443/push/abc"))).isTrue();
      assertThat(engine.isRegistrationUrl(URI.create("/push/abc"))).isTrue();
    }

    @Test
    void rejectsOtherOriginsPathsAndNestedSegments() {
      assertThat(engine.isRegistrationUrl(URI.create("http://dav.example/push/abc"))).isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example:8443/push/abc")))
          .isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://other.example/push/abc"))).isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example/push/"))).isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example/push/a/b"))).isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example/pushy/abc"))).isFalse();
      assertThat(engine.isRegistrationUrl(URI.create("https://dav.example/push/abc?x=1")))
          .isFalse();
    }
  }

  @Nested
  class Publishing {
    @Test
    void depthZeroFiresOnlyForTheResourceItself() throws Exception {
      Registration r =
          register("alice", "/cal/alice/work/", "a", new Trigger.ContentUpdate(Depth.ZERO));
      assertThat(publish(Change.contentUpdate("/cal/alice/work/x.ics").build()).matched()).isZero();
      PublishResult own = publish(Change.contentUpdate("/cal/alice/work/").build());
      assertThat(own.delivered()).isEqualTo(1);
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(1);
    }

    @Test
    void depthOneFiresForMembersButNotDeeper() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      assertThat(publish(Change.contentUpdate("/cal/alice/work/x.ics").build()).delivered())
          .isEqualTo(1);
      assertThat(publish(Change.contentUpdate("/cal/alice/work/sub/y.ics").build()).matched())
          .isZero();
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(1);
    }

    @Test
    void depthInfinityFiresForMembersAtAnyLevel() throws Exception {
      Registration r = register("alice", "/cal/", "a", new Trigger.ContentUpdate(Depth.INFINITY));
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/sub/deep/z.ics").build());
      assertThat(res).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(1);
    }

    @Test
    void sendsTheTopicAndTheSubscribedCollectionsSyncToken() throws Exception {
      resources.syncTokens.put("/cal/alice/work/", "http://example.com/sync/42");
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(transport.messagesTo(r.subscription().id()))
          .containsExactly(PushMessage.contentUpdate(work.topic(), "http://example.com/sync/42"));
      assertThat(transport.sent.get(0).delivery().ttl()).isPositive();
    }

    @Test
    void aPropertyChangeSendsAnEmptyPropertyUpdate() throws Exception {
      Registration r =
          register("alice", "/cal/alice/work/", "a", new Trigger.PropertyUpdate(Depth.ZERO));
      PublishResult res =
          publish(
              Change.propertyUpdate("/cal/alice/work/", Set.of(PropertyName.DISPLAYNAME)).build());
      assertThat(res.delivered()).isEqualTo(1);
      PushMessage m = transport.messagesTo(r.subscription().id()).get(0);
      assertThat(m.topic()).contains(work.topic());
      assertThat(m.contentUpdate()).isEmpty();
      assertThat(m.propertyUpdate()).contains(new PushMessage.PropertyUpdate());
    }

    @Test
    void propertiesThatChangeWithContentNeverTriggerAPropertyUpdate() throws Exception {
      register("alice", "/cal/alice/work/", "a", new Trigger.PropertyUpdate(Depth.ZERO));
      Change etagOnly =
          Change.propertyUpdate(
                  "/cal/alice/work/",
                  Set.of(
                      PropertyName.GETETAG, PropertyName.GETLASTMODIFIED, PropertyName.SYNC_TOKEN))
              .build();
      assertThat(publish(etagOnly).matched()).isZero();
      assertThat(transport.sent).isEmpty();
    }

    @Test
    void aPropertyListLimitsWhichPropertiesTrigger() throws Exception {
      PropertyName color = PropertyName.of("http://apple.com/ns/ical/", "calendar-color");
      register(
          "alice", "/cal/alice/work/", "a", new Trigger.PropertyUpdate(Depth.ZERO, Set.of(color)));
      assertThat(
              publish(
                      Change.propertyUpdate("/cal/alice/work/", Set.of(PropertyName.DISPLAYNAME))
                          .build())
                  .matched())
          .isZero();
      assertThat(
              publish(Change.propertyUpdate("/cal/alice/work/", Set.of(color)).build()).matched())
          .isEqualTo(1);
    }

    @Test
    void aContentChangeDoesNotReachAPropertyOnlyRegistration() throws Exception {
      register("alice", "/cal/alice/work/", "a", new Trigger.PropertyUpdate(Depth.ONE));
      assertThat(publish(Change.contentUpdate("/cal/alice/work/x.ics").build()).matched()).isZero();
    }

    @Test
    void pushDontNotifySuppressesTheListedRegistrationOfTheSamePrincipal() throws Exception {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      Registration b = register("alice", "/cal/alice/work/", "b", CONTENT_1);
      PublishResult res =
          publish(
              Change.contentUpdate("/cal/alice/work/x.ics")
                  .principal("alice")
                  .dontNotify(Set.of(a.registrationUrl()))
                  .build());
      assertThat(res).isEqualTo(new PublishResult(2, 1, 1, 0, 0, 0));
      assertThat(transport.messagesTo(a.subscription().id())).isEmpty();
      assertThat(transport.messagesTo(b.subscription().id())).hasSize(1);
    }

    @Test
    void pushDontNotifyMatchesTheRegistrationIdUnderAnotherAuthority() throws Exception {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      URI viaProxy = URI.create("https://proxy.example/dav/push/" + a.id());
      PublishResult res =
          publish(
              Change.contentUpdate("/cal/alice/work/x.ics")
                  .principal("alice")
                  .dontNotify(Set.of(viaProxy))
                  .build());
      assertThat(res.suppressed()).isEqualTo(1);
    }

    @Test
    void pushDontNotifyFromAnotherPrincipalIsIgnored() throws Exception {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      PublishResult res =
          publish(
              Change.contentUpdate("/cal/alice/work/x.ics")
                  .principal("bob")
                  .dontNotify(Set.of(a.registrationUrl()))
                  .dontNotifyAll(true)
                  .build());
      assertThat(res).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
    }

    @Test
    void pushDontNotifyWithoutAKnownPrincipalIsIgnored() throws Exception {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      PublishResult res =
          publish(
              Change.contentUpdate("/cal/alice/work/x.ics")
                  .dontNotify(Set.of(a.registrationUrl()))
                  .build());
      assertThat(res.delivered()).isEqualTo(1);
    }

    @Test
    void pushDontNotifyStarSuppressesEveryRegistrationOfThatPrincipalOnly() throws Exception {
      register("alice", "/cal/alice/work/", "a", CONTENT_1);
      register("alice", "/cal/alice/work/", "b", CONTENT_1);
      Registration bobs = register("bob", "/cal/alice/work/", "c", CONTENT_1);
      PublishResult res =
          publish(
              Change.contentUpdate("/cal/alice/work/x.ics")
                  .principal("alice")
                  .dontNotifyAll(true)
                  .build());
      assertThat(res).isEqualTo(new PublishResult(3, 2, 1, 0, 0, 0));
      assertThat(transport.messagesTo(bobs.subscription().id())).hasSize(1);
    }

    @Test
    void anExpiredRegistrationIsNeverSentTo() throws Exception {
      engine.close();
      engine = engine(b -> b.minimumExpiry(Duration.ZERO));
      Registration r =
          engine
              .register(
                  "/cal/alice/work/",
                  "alice",
                  new RegisterRequest(
                      subscription("a"), List.of(CONTENT_1), START.plus(Duration.ofMinutes(10))))
              .registration();
      clock.advance(Duration.ofMinutes(10)); // expired, and the hourly sweep is not yet due
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(res).isEqualTo(new PublishResult(1, 1, 0, 0, 0, 0));
      assertThat(transport.messagesTo(r.subscription().id())).isEmpty();
    }

    @Test
    void aPrincipalThatLostAccessIsNoLongerNotified() throws Exception {
      Registration bobs = register("bob", "/cal/alice/work/", "b", CONTENT_1);
      resources.allowed.get("bob").remove("/cal/alice/work/");
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(res).isEqualTo(new PublishResult(1, 1, 0, 0, 0, 0));
      assertThat(transport.messagesTo(bobs.subscription().id())).isEmpty();
    }

    @Test
    void sendsOneMessagePerPushResourceAndTopic() throws Exception {
      WebPushSubscription s = subscription("shared");
      engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1));
      engine.register("/cal/alice/work/", "bob", request(s, CONTENT_1));
      engine.register(
          "/cal/alice/", "alice", request(s, new Trigger.ContentUpdate(Depth.INFINITY)));
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(res.matched()).isEqualTo(3);
      assertThat(res.delivered()).isEqualTo(2);
      assertThat(transport.messagesTo(s.id()))
          .extracting(m -> m.topic().orElseThrow())
          .containsExactlyInAnyOrder(work.topic(), home.topic());
    }

    @Test
    void goneRemovesEveryRegistrationOfThePushResource() throws Exception {
      WebPushSubscription s = subscription("dead");
      engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1));
      engine.register("/cal/alice/", "alice", request(s, CONTENT_1));
      Registration other = register("alice", "/cal/alice/work/", "alive", CONTENT_1);
      transport.answer(s.id(), new DeliveryResult.Gone(410));

      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());

      assertThat(res.gone()).isEqualTo(1);
      assertThat(res.delivered()).isEqualTo(1);
      assertThat(store.findBySubscription(s.id())).isEmpty();
      assertThat(store.find(other.id())).isPresent();
    }

    @Test
    void retriesAfter429NoEarlierThanRetryAfterThenDelivers() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      transport.answer(
          r.subscription().id(), new DeliveryResult.RetryLater(429, Duration.ofSeconds(30)));

      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());

      assertThat(res).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(2);
      // wake-ups for work already due carry 0; the one retry waits for Retry-After
      assertThat(retryDelays.stream().filter(d -> !d.isZero()))
          .singleElement()
          .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aRetryAfterBeyondAnyClockGivesUpInsteadOfHanging() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      transport.answer(
          r.subscription().id(),
          new DeliveryResult.RetryLater(503, Duration.ofSeconds(Long.MAX_VALUE)));

      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());

      assertThat(res).isEqualTo(new PublishResult(1, 0, 0, 0, 1, 0));
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(1);
    }

    @Test
    void backsOffExponentiallyWithoutRetryAfterAndGivesUpAfterTheLastAttempt() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      DeliveryResult busy = new DeliveryResult.RetryLater(503, null);
      transport.answer(r.subscription().id(), busy, busy, busy, busy, busy, busy);

      engine.close();
      engine =
          engine(
              b -> b.retryPolicy(new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(5))));
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());

      assertThat(res.failed()).isEqualTo(1);
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(5);
      // jitter 0.5: three quarters of 2 s, 4 s, 8 s, 16 s (wake-ups for work already due carry 0)
      assertThat(retryDelays.stream().filter(d -> !d.isZero()))
          .containsExactly(
              Duration.ofMillis(1500),
              Duration.ofMillis(3000),
              Duration.ofMillis(6000),
              Duration.ofMillis(12000));
    }

    @Test
    void givesUpWhenTheNextAttemptWouldMissTheTtl() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      transport.answer(
          r.subscription().id(), new DeliveryResult.RetryLater(429, Duration.ofDays(2)));
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(res.failed()).isEqualTo(1);
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(1);
    }

    @Test
    void aRetryUsesTheNewestKeysOfTheRegistration() throws Exception {
      WebPushSubscription s = subscription("a");
      engine.register("/cal/alice/work/", "alice", request(s, CONTENT_1));
      transport.answer(s.id(), new DeliveryResult.RetryLater(429, null));
      holdRetries = true;
      var stage = engine.publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      Runnable retry = awaitHeldRetry();
      WebPushSubscription rotated =
          WebPushSubscription.of(s.pushResource(), KEY, AuthSecret.random());
      engine.register("/cal/alice/work/", "alice", request(rotated, CONTENT_1));
      retry.run();

      assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS).delivered()).isEqualTo(1);
      assertThat(transport.sent.get(1).delivery().subscription()).isEqualTo(rotated);
    }

    @Test
    void rejectedAndUnansweredDeliveriesCountAsFailed() throws Exception {
      Registration a = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      Registration b = register("alice", "/cal/alice/work/", "b", CONTENT_1);
      transport.answer(a.subscription().id(), new DeliveryResult.Rejected(413, "too large"));
      transport.answer(
          b.subscription().id(),
          new dev.davpush.DeliveryException(
              dev.davpush.DeliveryException.Reason.ENCRYPTION, "unusable key", null));
      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(res).isEqualTo(new PublishResult(2, 0, 0, 0, 2, 0));
      assertThat(store.find(a.id())).isPresent();
      assertThat(engine.statistics().givenUp()).isEqualTo(2);
    }

    @Test
    void retriesAFailureWithoutAnswerThenDelivers() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      transport.answer(
          r.subscription().id(),
          new dev.davpush.DeliveryException(
              dev.davpush.DeliveryException.Reason.CONNECTION_FAILED, "reset", null),
          new dev.davpush.DeliveryException(
              dev.davpush.DeliveryException.Reason.TIMEOUT, "response timeout", null));

      PublishResult res = publish(Change.contentUpdate("/cal/alice/work/x.ics").build());

      assertThat(res).isEqualTo(new PublishResult(1, 0, 1, 0, 0, 0));
      assertThat(transport.messagesTo(r.subscription().id())).hasSize(3);
      assertThat(engine.statistics().retries()).isEqualTo(2);
    }

    @Test
    void completesAtOnceWhenNothingMatches() throws Exception {
      assertThat(publish(Change.contentUpdate("/unknown/x").build()))
          .isEqualTo(new PublishResult(0, 0, 0, 0, 0, 0));
    }

    @Test
    void neverRunsOnTheCallersThreadAndUsesNamedDaemonThreads() throws Exception {
      register("alice", "/cal/alice/work/", "a", CONTENT_1);
      resources.callers.clear();
      Thread me = Thread.currentThread();
      publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      assertThat(transport.sent).hasSize(1);
      Thread sender = transport.sent.get(0).thread();
      assertThat(sender).isNotSameAs(me);
      assertThat(sender.getName()).startsWith("davpush-engine-");
      assertThat(sender.isDaemon()).isTrue();
      assertThat(resources.callers).isNotEmpty().doesNotContain(me);
    }
  }

  @Nested
  class Housekeeping {
    @Test
    void removesExpiredRegistrationsAtMostOnceAnHour() {
      PushEngine direct = engine(b -> b.executor(Runnable::run).minimumExpiry(Duration.ZERO));
      try {
        Registration old =
            direct
                .register(
                    "/cal/alice/work/",
                    "alice",
                    new RegisterRequest(
                        subscription("old"),
                        List.of(CONTENT_1),
                        START.plus(Duration.ofMinutes(10))))
                .registration();
        clock.advance(Duration.ofMinutes(20));
        direct.register("/cal/alice/work/", "alice", request(subscription("new"), CONTENT_1));
        assertThat(store.find(old.id())).as("within the hour after the first sweep").isPresent();
        clock.advance(Duration.ofHours(1));
        direct.register("/cal/alice/work/", "alice", request(subscription("newer"), CONTENT_1));
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.findByTopic(work.topic())).hasSize(2);
      } finally {
        direct.close();
      }
    }

    @Test
    void storesTheCanonicalPathOfTheResource() {
      resources.resources.put(
          "/cal/alice/work",
          new DavResource("/cal/alice/work/", work.topic(), work.supportedTriggers(), true));
      Registration r = register("alice", "/cal/alice/work", "a", CONTENT_1);
      assertThat(r.resourcePath()).isEqualTo("/cal/alice/work/");
      RegistrationResult again =
          engine.register(
              "/cal/alice/work/",
              "alice",
              request((WebPushSubscription) r.subscription(), CONTENT_1));
      assertThat(again.created()).isFalse();
    }
  }

  @Nested
  class Closing {
    @Test
    void closeIsIdempotentAndPublishAfterwardsFails() {
      engine.close();
      engine.close();
      assertThat(engine.publish(Change.contentUpdate("/cal/").build()).toCompletableFuture())
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeHandsBackWaitingRetriesAndCountsThemUndelivered() throws Exception {
      Registration r = register("alice", "/cal/alice/work/", "a", CONTENT_1);
      transport.answer(r.subscription().id(), new DeliveryResult.RetryLater(503, null));
      holdRetries = true;
      var stage = engine.publish(Change.contentUpdate("/cal/alice/work/x.ics").build());
      Runnable retry = awaitHeldRetry();
      engine.close();
      assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(new PublishResult(1, 0, 0, 0, 0, 1));
      assertThat(engine.undelivered()).hasSize(1);
      assertThat(engine.undelivered().get(0).attempt()).isEqualTo(2);
      retry.run(); // a late timer firing changes nothing
      assertThat(transport.sent).hasSize(1);
    }

    @Test
    void doesNotShutDownACallerSuppliedExecutor() throws Exception {
      ExecutorService mine = Executors.newSingleThreadExecutor();
      try {
        PushEngine e = engine(b -> b.executor(mine));
        register("alice", "/cal/alice/work/", "a", CONTENT_1);
        assertThat(
                e.publish(Change.contentUpdate("/cal/alice/work/x.ics").build())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .delivered())
            .isEqualTo(1);
        e.close();
        assertThat(mine.isShutdown()).isFalse();
      } finally {
        mine.shutdownNow();
      }
    }
  }
}
