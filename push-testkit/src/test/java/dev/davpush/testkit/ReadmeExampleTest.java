package dev.davpush.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.server.Change;
import dev.davpush.server.HandlerRequest;
import dev.davpush.server.HandlerResponse;
import dev.davpush.server.PublishResult;
import dev.davpush.server.PushEngine;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PendingDelivery;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushPropertyWriter;
import dev.davpush.xml.PushRegisterWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "Wiring the engine into a server" example: it compiles (it is {@link #example}'s
 * body between the markers), it runs against a fake {@link DavResources}, and the README shows
 * exactly it.
 */
class ReadmeExampleTest {
  private static final String BEGIN = "// README-EXAMPLE-BEGIN";
  private static final String END = "// README-EXAMPLE-END";
  private static final int MAX_EXAMPLE_LINES = 40;

  /** What the example leaves behind, for the test to check. */
  record Outcome(
      Optional<HandlerResponse> answer,
      CompletionStage<PublishResult> published,
      List<PendingDelivery> undelivered) {}

  /**
   * The example. Its parameters are what a server has at hand: its resource view, its stored VAPID
   * key, one HTTP request as its framework parsed it, and the PROPFIND writer.
   */
  static Outcome example(
      DavResources myDavResources,
      String vapidPem,
      String method,
      URI absoluteUri,
      String path,
      Map<String, List<String>> headers,
      InputStream bodyStream,
      String user,
      XMLStreamWriter prop) {
    // README-EXAMPLE-BEGIN
    WebPushTransport webPush =
        WebPushTransport.builder()
            .vapidKeyPair(
                VapidKeyPair.fromPem(vapidPem)) // made once with generate().toPem(); a secret
            .subject("mailto:admin@example.com")
            .build();
    PushEngine engine =
        PushEngine.builder()
            .resources(myDavResources) // your server's view: topics, triggers, parents, ACL
            .transport(webPush)
            .registrationBase(URI.create("https://dav.example.com/push/registrations/"))
            .build();
    PushRequestHandler push = PushRequestHandler.of(engine);

    // in your HTTP layer, first for every request: POST push-register, DELETE of registrations
    HandlerRequest request =
        HandlerRequest.builder(method, absoluteUri, path)
            .headers(headers)
            .body(bodyStream)
            .principal(user)
            .build();
    Optional<HandlerResponse> answer = push.handle(request); // empty: not a WebDAV-Push request

    // in PROPFIND, inside <D:prop> (and in OPTIONS, "webdav-push" in the DAV header):
    engine.properties(path, user).ifPresent(p -> PushPropertyWriter.writeProperties(prop, p));

    // after a committed PUT/DELETE/MKCOL/PROPPATCH, with the request that caused it:
    CompletionStage<PublishResult> published =
        engine.publish(PushRequestHandler.dontNotify(Change.contentUpdate(path), request).build());

    // at shutdown: the engine first, it hands back what has no outcome yet ...
    engine.close();
    List<PendingDelivery> undelivered = engine.undelivered(); // persist; send after a restart
    // ... then the transport, which the engine does not close
    webPush.close();
    // README-EXAMPLE-END
    return new Outcome(answer, published, undelivered);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void exampleRegistersAdvertisesPublishesAndHandsBackOnClose() throws Exception {
    Topic topic = Topic.random();
    DavResources calendar = new OneCalendar("/cal/work/", topic, "alice");
    VapidKeyPair vapid = VapidKeyPair.generate();
    UserAgentKeyPair keys = UserAgentKeyPair.generate();
    // a push resource under .invalid (RFC 6761): it never resolves, so nothing is ever sent
    WebPushSubscription subscription =
        WebPushSubscription.of(
            new PushResource(URI.create("https://push.invalid/push/readme")),
            keys.publicKey(),
            keys.authSecret());
    byte[] register =
        PushRegisterWriter.write(
            new RegisterRequest(subscription, List.of(new Trigger.ContentUpdate(Depth.ONE)), null));
    StringWriter xml = new StringWriter();
    XMLStreamWriter prop = XMLOutputFactory.newFactory().createXMLStreamWriter(xml);
    prop.writeStartElement("D", "prop", "DAV:");
    prop.writeNamespace("D", "DAV:");

    Outcome outcome =
        example(
            calendar,
            vapid.toPem(),
            "POST",
            URI.create("https://dav.example.com/cal/work/"),
            "/cal/work/",
            Map.of("Content-Type", List.of("application/xml; charset=utf-8")),
            new ByteArrayInputStream(register),
            "alice",
            prop);
    prop.writeEndElement();
    prop.close();

    assertThat(outcome.answer())
        .hasValueSatisfying(
            r -> {
              assertThat(r.status()).isEqualTo(204);
              assertThat(r.header("Location"))
                  .startsWith("https://dav.example.com/push/registrations/");
            });
    assertThat(xml.toString())
        .contains(vapid.publicKey().toBase64Url())
        .contains(">" + topic.value() + "<")
        .contains("supported-triggers");
    assertThat(outcome.published().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .as("the message had no outcome when the engine closed, so it was handed back")
        .isEqualTo(new PublishResult(1, 0, 0, 0, 0, 1));
    assertThat(outcome.undelivered())
        .singleElement()
        .satisfies(d -> assertThat(d.subscriptionId()).isEqualTo(subscription.id()));
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    Path module = Path.of(System.getProperty("user.dir"));
    List<String> source =
        Files.readAllLines(
            module.resolve("src/test/java/dev/davpush/testkit/ReadmeExampleTest.java"));
    List<String> example = stripCommonIndentation(between(source));
    List<String> readme = Files.readAllLines(module.getParent().resolve("README.md"));

    assertThat(example).hasSizeBetween(10, MAX_EXAMPLE_LINES);
    assertThat(Collections.indexOfSubList(readme, example))
        .as(
            "README.md holds the lines between %s and %s of ReadmeExampleTest, verbatim:%n%s",
            BEGIN, END, String.join("\n", example))
        .isNotNegative();
  }

  private static List<String> between(List<String> lines) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals(BEGIN)) {
        assertThat(begin).as("one %s", BEGIN).isNegative();
        begin = i;
      } else if (t.equals(END)) {
        assertThat(end).as("one %s", END).isNegative();
        end = i;
      }
    }
    assertThat(begin).as("%s found", BEGIN).isNotNegative();
    assertThat(end).as("%s after %s", END, BEGIN).isGreaterThan(begin);
    return lines.subList(begin + 1, end);
  }

  private static List<String> stripCommonIndentation(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
          n++;
        }
        indent = Math.min(indent, n);
      }
    }
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return out;
  }

  /** One push-capable calendar collection under {@code /cal/}; one principal may subscribe. */
  private static final class OneCalendar implements DavResources {
    private final DavResource calendar;
    private final String owner;

    OneCalendar(String path, Topic topic, String owner) {
      this.calendar =
          new DavResource(path, topic, SupportedTriggers.of(Depth.ONE, Depth.ZERO), true);
      this.owner = owner;
    }

    @Override
    public Optional<DavResource> resource(String path) {
      return path.equals(calendar.path()) ? Optional.of(calendar) : Optional.empty();
    }

    @Override
    public Optional<String> parent(String path) {
      return path.equals(calendar.path()) ? Optional.of("/cal/") : Optional.empty();
    }

    @Override
    public boolean maySubscribe(String principal, String path) {
      return principal.equals(owner) && path.equals(calendar.path());
    }

    @Override
    public Optional<String> syncToken(String path) {
      return Optional.of("https://dav.example.com/sync/1");
    }
  }
}
