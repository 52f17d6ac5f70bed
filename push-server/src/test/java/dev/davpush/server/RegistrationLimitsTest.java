package dev.davpush.server;

import static dev.davpush.server.EngineHarness.CONTENT_1;
import static dev.davpush.server.EngineHarness.register;
import static dev.davpush.server.EngineHarness.subscription;
import static dev.davpush.server.EngineHarness.subscriptionNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.xml.XmlLimits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caps of {@link RegistrationLimits}, in the engine and through the request handler. */
class RegistrationLimitsTest {
  static final String WORK = "/cal/alice/work/";
  static final String HOME = "/cal/alice/home/";
  static final PropertyName COLOR = PropertyName.of("http://apple.com/ns/ical/", "calendar-color");

  final EngineHarness h = new EngineHarness();

  @AfterEach
  void close() {
    h.close();
  }

  PushEngine engine(Consumer<RegistrationLimits.Builder> limits) {
    RegistrationLimits.Builder b = RegistrationLimits.builder();
    limits.accept(b);
    return h.engine(e -> e.registrationLimits(b.build()));
  }

  static void assertRefused(Runnable r, RegistrationLimitException.Limit limit, boolean quota) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            RegistrationLimitException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(limit);
              assertThat(e.isQuota()).isEqualTo(quota);
            });
  }

  @Test
  void refusesANewRegistrationOverThePerPrincipalLimitAndStoresNothing() {
    PushEngine engine = engine(l -> l.perPrincipal(2));
    register(engine, "alice", WORK, subscriptionNamed("1"), CONTENT_1);
    register(engine, "alice", HOME, subscriptionNamed("2"), CONTENT_1);
    WebPushSubscription third = subscriptionNamed("3");

    assertRefused(
        () -> register(engine, "alice", WORK, third, CONTENT_1),
        RegistrationLimitException.Limit.PER_PRINCIPAL,
        true);
    assertThat(h.store.findBySubscription(third.id())).isEmpty();
    assertThat(h.store.countByOwner("alice")).isEqualTo(2);
  }

  @Test
  void anUpdateOfAnExistingRegistrationIsAllowedAtThePerPrincipalLimit() {
    PushEngine engine = engine(l -> l.perPrincipal(1));
    WebPushSubscription s = subscriptionNamed("1");
    register(engine, "alice", WORK, s, CONTENT_1);

    RegistrationResult again =
        engine.register(WORK, "alice", new RegisterRequest(s, List.of(CONTENT_1), null));

    assertThat(again.created()).isFalse();
  }

  @Test
  void refusesANewRegistrationOverThePerResourceLimitAndStoresNothing() {
    PushEngine engine = engine(l -> l.perResource(1));
    register(engine, "alice", WORK, subscriptionNamed("1"), CONTENT_1);
    WebPushSubscription bobs = subscriptionNamed("2");

    assertRefused(
        () -> register(engine, "bob", WORK, bobs, CONTENT_1),
        RegistrationLimitException.Limit.PER_RESOURCE,
        true);
    assertThat(h.store.countByResource(WORK)).isEqualTo(1);
    assertThat(h.store.findBySubscription(bobs.id())).isEmpty();
  }

  @Test
  void refusesAPushResourceLongerThanTheLimitWithoutNamingItAndStoresNothing() {
    PushEngine engine = engine(l -> l.pushResourceLength(40));
    WebPushSubscription fits = subscription("https://push.example/" + "a".repeat(19)); // 40
    WebPushSubscription longer =
        subscription("https://push.example/" + "SECRETPATH" + "a".repeat(10));

    register(engine, "alice", WORK, fits, CONTENT_1);
    assertThatThrownBy(() -> register(engine, "alice", WORK, longer, CONTENT_1))
        .isInstanceOfSatisfying(
            RegistrationLimitException.class,
            e ->
                assertThat(e.limit())
                    .isEqualTo(RegistrationLimitException.Limit.PUSH_RESOURCE_LENGTH))
        .hasMessageContaining("40")
        .hasMessageNotContaining("SECRETPATH");
    assertThat(h.store.findBySubscription(longer.id())).isEmpty();
  }

  @Test
  void refusesAPropertyUpdateTriggerNamingTooManyPropertiesAndStoresNothing() {
    PushEngine engine = engine(l -> l.propertiesPerTrigger(1));
    WebPushSubscription s = subscriptionNamed("1");
    Trigger two = new Trigger.PropertyUpdate(Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, COLOR));

    register(
        engine,
        "alice",
        WORK,
        subscriptionNamed("ok"),
        new Trigger.PropertyUpdate(Depth.ZERO, Set.of(COLOR)));
    assertRefused(
        () -> register(engine, "alice", WORK, s, two),
        RegistrationLimitException.Limit.PROPERTIES_PER_TRIGGER,
        false);
    assertThat(h.store.findBySubscription(s.id())).isEmpty();
  }

  // ------------------------------------------------------------------ through the handler

  static String body(String pushResource) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        + "<push-register xmlns=\"https://bitfire.at/webdav-push\"><subscription>"
        + "<web-push-subscription><push-resource>"
        + pushResource
        + "</push-resource>"
        + "<subscription-public-key type=\"p256dh\">"
        + "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
        + "</subscription-public-key><auth-secret>BTBZMqHH6r4Tts7J_aSIgg</auth-secret>"
        + "</web-push-subscription></subscription><trigger><content-update>"
        + "<depth xmlns=\"DAV:\">1</depth></content-update></trigger></push-register>";
  }

  static HandlerRequest post(String path, String pushResource, String principal) {
    return HandlerRequest.builder("POST", URI.create("https://dav.example" + path), path)
        .header("Content-Type", "application/xml; charset=utf-8")
        .body(body(pushResource).getBytes(StandardCharsets.UTF_8))
        .principal(principal)
        .build();
  }

  static void assertQuotaError(HandlerResponse r, int status) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/xml");
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("<D:error xmlns:D=\"DAV:\"><D:quota-not-exceeded/></D:error>");
  }

  @Test
  void theHandlerAnswersACountOverItsLimitWith507AndADavError() {
    PushRequestHandler handler = PushRequestHandler.of(engine(l -> l.perPrincipal(1)));
    assertThat(handler.handle(post(WORK, "https://push.example/1", "alice")).orElseThrow().status())
        .isEqualTo(204);

    HandlerResponse r = handler.handle(post(HOME, "https://push.example/2", "alice")).orElseThrow();

    assertQuotaError(r, 507);
    assertThat(h.store.countByOwner("alice")).isEqualTo(1);
  }

  @Test
  void theHandlerAnswersAResourceCountOverItsLimitWith507() {
    PushRequestHandler handler = PushRequestHandler.of(engine(l -> l.perResource(1)));
    handler.handle(post(WORK, "https://push.example/1", "alice"));

    assertQuotaError(
        handler.handle(post(WORK, "https://push.example/2", "bob")).orElseThrow(), 507);
  }

  @Test
  void theHandlerAnswersASizeOverItsLimitWith413AndADavError() {
    PushRequestHandler handler = PushRequestHandler.of(engine(l -> l.pushResourceLength(30)));

    HandlerResponse r =
        handler.handle(post(WORK, "https://push.example/" + "a".repeat(30), "alice")).orElseThrow();

    assertQuotaError(r, 413);
    assertThat(h.store.countByOwner("alice")).isZero();
  }

  @Test
  void theHandlersUnauthorizedAnswerToARegistrationCarriesTheChallenge() {
    PushRequestHandler handler = PushRequestHandler.of(h.engine(b -> {}));

    HandlerResponse r = handler.handle(post(WORK, "https://push.example/1", null)).orElseThrow();

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo(PushRequestHandler.DEFAULT_CHALLENGE);
  }

  @Test
  void theHandlersUnauthorizedAnswerToAnUnregistrationCarriesTheServersOwnChallenge() {
    PushEngine engine = h.engine(b -> {});
    PushRequestHandler handler =
        PushRequestHandler.of(engine, XmlLimits.defaults(), "Bearer realm=\"dav\"");
    URI location =
        URI.create(
            handler
                .handle(post(WORK, "https://push.example/1", "alice"))
                .orElseThrow()
                .header("Location"));

    HandlerResponse r =
        handler
            .handle(HandlerRequest.builder("DELETE", location, location.getPath()).build())
            .orElseThrow();

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"dav\"");
    assertThat(engine.registration(location)).isPresent();
  }
}
