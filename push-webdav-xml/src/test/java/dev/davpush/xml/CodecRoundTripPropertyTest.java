package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code read(write(x)) == x} for generated model values, and byte-stable writing. The number of
 * tries is jqwik's default, which the build sets from {@code -Djqwik.tries=…} (CI: 10,000).
 */
class CodecRoundTripPropertyTest {

  @Provide
  Arbitrary<RegisterRequest> registerRequests() {
    return Generators.registerRequests();
  }

  @Provide
  Arbitrary<PushMessage> pushMessages() {
    return Generators.pushMessages();
  }

  @Property
  void pushRegisterReadsBackWhatWasWritten(@ForAll("registerRequests") RegisterRequest request) {
    byte[] written = PushRegisterWriter.write(request);

    RegisterRequest read = PushRegisterReader.read(new ByteArrayInputStream(written));

    assertThat(read).isEqualTo(request);
    assertThat(PushRegisterWriter.write(read)).isEqualTo(written);
  }

  @Property
  void pushMessageReadsBackWhatWasWritten(@ForAll("pushMessages") PushMessage message) {
    byte[] written = PushMessageWriter.write(message);

    PushMessage read = PushMessageReader.read(written);

    assertThat(read).isEqualTo(message);
    assertThat(PushMessageWriter.write(read)).isEqualTo(written);
  }

  @Property
  void httpDatesReadBackWhatWasWritten(@ForAll("wholeSeconds") Instant instant) {
    assertThat(HttpDates.parse(HttpDates.format(instant))).contains(instant);
  }

  @Provide
  Arbitrary<Instant> wholeSeconds() {
    long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond);
  }

  @Property
  void pushDontNotifyReadsBackWhatWasWritten(@ForAll("urlSets") Set<URI> urls) {
    String header = PushDontNotify.format(urls);

    assertThat(PushDontNotify.parse(List.of(header)).urls()).isEqualTo(urls);
    assertThat(header).doesNotContain("\r", "\n");
  }

  @Provide
  Arbitrary<Set<URI>> urlSets() {
    return Generators.pushResources().map(p -> p.uri()).set().ofMinSize(1).ofMaxSize(5);
  }
}
