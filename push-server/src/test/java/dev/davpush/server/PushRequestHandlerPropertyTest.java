package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.xml.PushMessageWriter;
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
    engine =
        PushEngine.builder()
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
    Arbitrary<byte[]> golden =
        Arbitraries.of(
                "sample-push-register.xml",
                "register-davx5-no-trigger.xml",
                "register-legacy-dav-push-2025-02.xml",
                "register-2024-no-keys.xml",
                "register-push-subscribe-2023.xml")
            .map(Golden::bytes);
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.of(
                    (int) '<', (int) '>', (int) '&', (int) '/', (int) '"', 0, (int) 'x', (int) ':',
                    (int) ' ', 0xc3))
            .as((op, pos, b) -> new int[] {op, pos, b})
            .list()
            .ofMaxSize(4);
    return Combinators.combine(golden, edits).as(PushRequestHandlerPropertyTest::apply);
  }

  @Property
  void answersEveryRegistrationAttemptWithADefinedStatus(
      @ForAll("bodies") byte[] body, @ForAll("paths") String path) {
    HandlerRequest request =
        HandlerRequest.builder("POST", URI.create("https://dav.example" + path), path)
            .header("Content-Type", "application/xml")
            .body(body)
            .principal("alice")
            .build();

    Optional<HandlerResponse> response = handler.handle(request);

    response.ifPresent(r -> assertThat(r.status()).isIn(201, 204, 400, 403));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("/cal/", "/plain/");
  }

  /** Applies byte edits (0 replace, 1 insert, 2 delete, 3 truncate) at positions modulo size. */
  static byte[] apply(byte[] doc, List<int[]> edits) {
    List<Byte> b = new java.util.ArrayList<>(doc.length + 8);
    for (byte x : doc) {
      b.add(x);
    }
    for (int[] e : edits) {
      if (b.isEmpty()) {
        break;
      }
      int pos = e[1] % b.size();
      switch (e[0]) {
        case 0 -> b.set(pos, (byte) e[2]);
        case 1 -> b.add(pos, (byte) e[2]);
        case 2 -> b.remove(pos);
        default -> b.subList(pos, b.size()).clear();
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }
}
