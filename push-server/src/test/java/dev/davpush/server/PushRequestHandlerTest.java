package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.Subscription;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushSubscription;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import dev.davpush.xml.ErrorReader;
import dev.davpush.xml.HttpDates;
import dev.davpush.xml.PushMessageWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PushRequestHandlerTest {
  static final URI BASE = URI.create("https://dav.example/");
  static final String REGISTER =
      new String(Golden.bytes("register-davx5-no-trigger.xml"), StandardCharsets.UTF_8);

  PushEngine engine;
  PushRequestHandler handler;

  static final class Resources implements DavResources {
    @Override
    public Optional<DavResource> resource(String path) {
      return path.equals("/cal/")
          ? Optional.of(
              new DavResource(
                  "/cal/", Topic.of("t-cal"), SupportedTriggers.contentUpdate(Depth.ONE), true))
          : Optional.empty();
    }

    @Override
    public Optional<String> parent(String path) {
      return path.equals("/") ? Optional.empty() : Optional.of("/");
    }

    @Override
    public boolean maySubscribe(String principal, String path) {
      return !principal.equals("mallory");
    }

    @Override
    public Optional<String> syncToken(String path) {
      return Optional.empty();
    }
  }

  static final class AcceptingTransport implements PushTransport {
    @Override
    public String name() {
      return "web-push";
    }

    @Override
    public TransportDescriptor descriptor() {
      return new WebPushTransportDescriptor(null);
    }

    @Override
    public boolean accepts(Subscription subscription) {
      return subscription instanceof WebPushSubscription;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
      return CompletableFuture.completedFuture(new DeliveryResult.Delivered(201));
    }
  }

  @BeforeEach
  void start() {
    engine =
        PushEngine.builder()
            .resources(new Resources())
            .transport(new AcceptingTransport())
            .messageEncoder(PushMessageWriter.encoder())
            .registrationBase(URI.create("https://dav.example/push/"))
            .build();
    handler = PushRequestHandler.of(engine);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  static HandlerRequest post(String path, String body, String principal) {
    return HandlerRequest.builder("POST", BASE.resolve(path), path)
        .header("content-type", "application/xml; charset=utf-8")
        .body(body.getBytes(StandardCharsets.UTF_8))
        .principal(principal)
        .build();
  }

  static HandlerRequest delete(URI url, String principal) {
    return HandlerRequest.builder("DELETE", url, url.getPath()).principal(principal).build();
  }

  @Test
  void registersWith204AndAbsoluteLocationAndExpiresButNoBody() {
    HandlerResponse r = handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow();

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    URI location = URI.create(r.header("Location"));
    assertThat(location.isAbsolute()).isTrue();
    assertThat(engine.isRegistrationUrl(location)).isTrue();
    Instant expires = HttpDates.parse(r.header("Expires")).orElseThrow();
    assertThat(expires).isAfter(Instant.now());
    assertThat(r.header("Expires")).endsWith(" GMT");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void answersARepeatedRegistrationWith204AndTheSameLocation() {
    HandlerResponse first = handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow();
    HandlerResponse second = handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow();

    assertThat(second.status()).isEqualTo(204);
    assertThat(second.header("Location")).isEqualTo(first.header("Location"));
  }

  @Test
  void leavesOtherPostBodiesToTheServerWithTheBodyUnread() throws IOException {
    String other = "<?xml version=\"1.0\"?><D:share-resource xmlns:D=\"DAV:\"/>";
    HandlerRequest request = post("/cal/", other, "alice");

    assertThat(handler.handle(request)).isEmpty();
    assertThat(new String(request.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(other);
  }

  @Test
  void leavesNonXmlPostsToTheServer() {
    HandlerRequest request =
        HandlerRequest.builder("POST", BASE.resolve("/cal/"), "/cal/")
            .header("Content-Type", "text/calendar")
            .body(REGISTER.getBytes(StandardCharsets.UTF_8))
            .principal("alice")
            .build();

    assertThat(handler.handle(request)).isEmpty();
  }

  @Test
  void leavesGetAndPropfindToTheServer() {
    HandlerRequest get = HandlerRequest.builder("GET", BASE.resolve("/cal/"), "/cal/").build();

    assertThat(handler.handle(get)).isEmpty();
  }

  @Test
  void asksForAuthenticationWithoutPrincipal() {
    assertThat(handler.handle(post("/cal/", REGISTER, null)).orElseThrow().status()).isEqualTo(401);
  }

  @Test
  void answersMalformedXmlWith400AndStoresNothing() {
    HandlerResponse bad =
        handler
            .handle(
                post(
                    "/cal/",
                    "<push-register xmlns=\"https://bitfire.at/webdav-push\"><subscription>",
                    "alice"))
            .orElseThrow();

    assertThat(bad.status()).isEqualTo(400);
    assertThat(handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow().status())
        .isEqualTo(204);
  }

  @Test
  void answersAHostileDocumentWith400() {
    String laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE push-register [<!ENTITY a \"aaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;\">]><push-register xmlns=\"https://bitfire.at/webdav-push\">"
            + "&b;</push-register>";

    assertThat(handler.handle(post("/cal/", laughs, "alice")).orElseThrow().status())
        .isEqualTo(400);
  }

  @Test
  void answersAnInvalidSubscriptionWith403AndThePrecondition() {
    HandlerResponse r =
        handler
            .handle(
                post(
                    "/cal/",
                    new String(Golden.bytes("register-2024-no-keys.xml"), StandardCharsets.UTF_8),
                    "alice"))
            .orElseThrow();

    assertThat(r.status()).isEqualTo(403);
    assertThat(ErrorReader.read(r.body())).containsExactly(Precondition.INVALID_SUBSCRIPTION);
    assertThat(r.header("Content-Type")).startsWith("application/xml");
  }

  @Test
  void answersAResourceWithoutPushWith403PushNotAvailable() {
    HandlerResponse r = handler.handle(post("/plain/", REGISTER, "alice")).orElseThrow();

    assertThat(r.status()).isEqualTo(403);
    assertThat(ErrorReader.read(r.body())).containsExactly(Precondition.PUSH_NOT_AVAILABLE);
  }

  @Test
  void answersUnsupportedTriggersWith403AndBothSpellings() {
    String onlyProperties =
        REGISTER.replace(
            "<expires>",
            "<trigger><property-update><depth xmlns=\"DAV:\">0</depth></property-update></trigger>"
                + "<expires>");
    HandlerResponse r = handler.handle(post("/cal/", onlyProperties, "alice")).orElseThrow();

    assertThat(r.status()).isEqualTo(403);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("<P:no-supported-trigger/><P:no-trigger-supported/>");
  }

  @Test
  void unregistersWith204ThenAnswers404() {
    URI location =
        URI.create(
            handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow().header("Location"));

    assertThat(handler.handle(delete(location, "alice")).orElseThrow().status()).isEqualTo(204);
    assertThat(handler.handle(delete(location, "alice")).orElseThrow().status()).isEqualTo(404);
  }

  @Test
  void refusesToUnregisterAnotherPrincipalsRegistration() {
    URI location =
        URI.create(
            handler.handle(post("/cal/", REGISTER, "alice")).orElseThrow().header("Location"));

    assertThat(handler.handle(delete(location, "bob")).orElseThrow().status()).isEqualTo(403);
    assertThat(handler.handle(delete(location, null)).orElseThrow().status()).isEqualTo(401);
    assertThat(handler.handle(delete(location, "alice")).orElseThrow().status()).isEqualTo(204);
  }

  @Test
  void leavesDeletesOfOtherResourcesToTheServer() {
    assertThat(handler.handle(delete(URI.create("https://dav.example/cal/x.ics"), "alice")))
        .isEmpty();
  }

  @Test
  void appliesPushDontNotifyAndThePrincipalToAChange() {
    URI a = URI.create("https://dav.example/push/abc");
    HandlerRequest put =
        HandlerRequest.builder("PUT", BASE.resolve("/cal/x.ics"), "/cal/x.ics")
            .header("Push-Dont-Notify", "\"" + a + "\"")
            .principal("alice")
            .build();

    Change c = PushRequestHandler.dontNotify(Change.contentUpdate("/cal/x.ics"), put).build();

    assertThat(c.dontNotify()).containsExactly(a);
    assertThat(c.principal()).contains("alice");
  }
}
