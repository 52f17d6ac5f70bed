package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.davpush.PreconditionException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Garbage into every reader yields a value or the typed exception, never another exception and
 * never past a time bound: random bytes, and valid documents with mutations.
 */
class ReaderRobustnessPropertyTest {
  static final Duration BOUND = Duration.ofSeconds(5);
  static final List<String> GOLDEN =
      List.of(
          "sample-push-register.xml",
          "register-legacy-dav-push-2025-02.xml",
          "register-push-subscribe-2023.xml",
          "sample-push-message.xml",
          "push-message-vapid-key.xml",
          "push-message-wrapped-propstat-2024-11.xml",
          "sample-propfind-multistatus.xml",
          "multistatus-propstat-404.xml",
          "multistatus-apple.xml",
          "multistatus-calconnect.xml",
          "error-no-supported-trigger.xml",
          "calconnect-subscribe.xml");

  static final List<Function<byte[], Object>> READERS =
      List.of(
          b -> PushRegisterReader.read(b),
          b -> PushMessageReader.read(b),
          b -> readAllOfMultistatus(b),
          b -> ErrorReader.read(b),
          b -> CalConnect.readSubscribe(new ByteArrayInputStream(b)));

  static Object readAllOfMultistatus(byte[] b) {
    List<Object> out = new ArrayList<>();
    for (DavResponse r : MultistatusReader.read(b)) {
      // the typed accessors interpret content lazily and may throw only PushXmlException
      out.add(r.transports());
      out.add(r.topic());
      out.add(r.supportedTriggers());
      out.add(r.applePushTransports());
      out.add(r.calConnectDiscovery());
      out.add(r.resourceTypes());
      out.add(r.syncToken());
    }
    return out;
  }

  static void valueOrTypedException(byte[] input) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (Function<byte[], Object> reader : READERS) {
            try {
              assertThat(reader.apply(input)).isNotNull();
            } catch (PushXmlException | PreconditionException expected) {
              assertThat(expected.getMessage()).isNotBlank();
            }
          }
        });
  }

  @Property
  void randomBytesGiveAValueOrTheTypedException(@ForAll @Size(max = 300) byte[] input) {
    valueOrTypedException(input);
  }

  @Property
  void mutatedDocumentsGiveAValueOrTheTypedException(@ForAll("mutated") byte[] input) {
    valueOrTypedException(input);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    Arbitrary<byte[]> golden = Arbitraries.of(GOLDEN).map(Golden::bytes);
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.of(
                    (int) '<', (int) '>', (int) '&', (int) '/', (int) '"', (int) '=', 0, 0xff,
                    (int) 'x', (int) ':', (int) ' ', (int) ';', (int) '!', (int) '?', 0xc3))
            .as((op, pos, b) -> new int[] {op, pos, b})
            .list()
            .ofMinSize(1)
            .ofMaxSize(8);
    return Combinators.combine(golden, edits).as(ReaderRobustnessPropertyTest::apply);
  }

  static byte[] apply(byte[] doc, List<int[]> edits) {
    List<Byte> b = new ArrayList<>(doc.length + 8);
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

  @Property
  void pushDontNotifyParsingNeverThrows(@ForAll List<@Size(max = 80) String> lines) {
    PushDontNotify p = PushDontNotify.parse(lines);

    assertThat(p.urls()).allSatisfy(u -> assertThat(u.isAbsolute()).isTrue());
    assertThat(p.all() && !p.urls().isEmpty()).isFalse();
  }

  @Property
  void pushDontNotifyParsingNeverThrowsOnHeaderLikeText(@ForAll("headerish") String line) {
    PushDontNotify p = PushDontNotify.parse(List.of(line));

    assertThat(p.all() && !p.urls().isEmpty()).isFalse();
  }

  @Provide
  Arbitrary<String> headerish() {
    return Arbitraries.strings()
        .withChars(
            '"', '\\', ',', '*', ' ', '\t', ':', '/', 'h', 't', 'p', 's', 'a', '.', '%', '\r', '\n',
            '\u00e9')
        .ofMaxLength(60)
        .map(s -> "\"https://x.example/" + s);
  }

  @Property
  void httpDateParsingNeverThrows(@ForAll @Size(max = 70) String text) {
    assertThat(HttpDates.parse(text)).isNotNull();
    assertThat(HttpDates.parseRfc3339(text)).isNotNull();
  }
}
