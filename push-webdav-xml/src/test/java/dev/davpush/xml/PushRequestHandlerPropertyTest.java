package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.server.PushEngine;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Whatever a client POSTs, the handler answers with a defined status and never throws (no 500). */
class PushRequestHandlerPropertyTest {
  static PushEngine engine;
  static PushRequestHandler handler;

  @BeforeContainer
  static void start() {
    engine = PushEngine.builder()
        .resources(new PushRequestHandlerTest.Resources())
        .transport(new PushRequestHandlerTest.AcceptingTransport())
        .messageEncoder(PushMessageWriter.encoder())
        .registrationBase(URI.create("https://dav.example/push/"))
        .build();
    handler = PushRequestHandler.of(engine);
  }

  @AfterContainer
  static void stop() {
    engine.close();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> golden = Arbitraries.of("sample-push-register.xml",
        "register-davx5-no-trigger.xml", "register-legacy-dav-push-2025-02.xml",
        "register-2024-no-keys.xml", "register-push-subscribe-2023.xml").map(Golden::bytes);
    Arbitrary<List<int[]>> edits = Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 100_000),
            Arbitraries.of((int) '<', (int) '>', (int) '&', (int) '/', (int) '"', 0, (int) 'x',
                (int) ':', (int) ' ', 0xc3))
        .as((op, pos, b) -> new int[] {op, pos, b})
        .list().ofMaxSize(4);
    return Combinators.combine(golden, edits).as(ReaderRobustnessPropertyTest::apply);
  }

  @Property
  void answersEveryRegistrationAttemptWithADefinedStatus(
      @ForAll("bodies") byte[] body, @ForAll("paths") String path) {
    HandlerRequest request = HandlerRequest.builder("POST", URI.create("https://dav.example"
            + path), path)
        .header("Content-Type", "application/xml").body(body).principal("alice").build();

    Optional<HandlerResponse> response = handler.handle(request);

    response.ifPresent(r -> assertThat(r.status()).isIn(201, 204, 400, 403));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("/cal/", "/plain/");
  }
}
