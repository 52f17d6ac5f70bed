package dev.davpush.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.Urgency;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link PendingDelivery}: its text form reads back to an equal value for any content, its parser
 * answers garbage with a value or {@link IllegalArgumentException} only, merging keeps the waiting
 * delivery's identity, and {@link PendingDelivery#toString()} shows no capability.
 */
class PendingDeliveryPropertyTest {
  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  // ---- generators ----------------------------------------------------------------------------

  /** Code points, rich in the characters a line-based, percent-encoded form must survive. */
  static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            3,
            Arbitraries.of(
                (int) '=',
                (int) '%',
                (int) '\n',
                (int) '\r',
                (int) ' ',
                (int) '+',
                (int) '&',
                (int) '{',
                (int) '}',
                (int) ':',
                0,
                0x7f,
                0x85,
                0x2028,
                0xfeff)),
        Tuple.of(3, Arbitraries.integers().between(0x20, 0x7e)),
        Tuple.of(
            2,
            Arbitraries.integers()
                .between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)));
  }

  /** Well-formed Unicode text (no unpaired surrogates). */
  static Arbitrary<String> text(Arbitrary<Integer> codePoints, int min, int max) {
    return codePoints
        .list()
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(
            cps -> {
              StringBuilder s = new StringBuilder();
              cps.forEach(s::appendCodePoint);
              return s.toString();
            });
  }

  static Arbitrary<String> base64Url(int min, int max) {
    return Arbitraries.strings().withChars(BASE64URL).ofMinLength(min).ofMaxLength(max);
  }

  static Arbitrary<Topic> topics() {
    return text(codePoints().filter(cp -> !Character.isISOControl(cp)), 1, 30).map(Topic::of);
  }

  static Arbitrary<PropertyName> propertyNames() {
    Arbitrary<String> namespaces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                PropertyName.DAV,
                "https://bitfire.at/webdav-push",
                "urn:x y",
                "%41",
                "a b+c",
                "{x}",
                "=",
                "line\nbreak"),
            text(codePoints(), 0, 12));
    Arbitrary<String> localNames =
        text(
            codePoints()
                .filter(
                    cp ->
                        cp != ':'
                            && !Character.isWhitespace(cp)
                            && !Character.isISOControl(cp)
                            && "<>&\"'/".indexOf(cp) < 0),
            1,
            12);
    return Combinators.combine(namespaces, localNames).as(PropertyName::of);
  }

  static Arbitrary<PushMessage> messages() {
    Arbitrary<PushMessage.ContentUpdate> contentUpdates =
        text(codePoints(), 0, 30)
            .injectNull(0.2)
            .map(PushMessage.ContentUpdate::new)
            .injectNull(0.3);
    Arbitrary<PushMessage.PropertyUpdate> propertyUpdates =
        propertyNames().set().ofMaxSize(4).map(PushMessage.PropertyUpdate::new).injectNull(0.5);
    Arbitrary<PushMessage> topicMessages =
        Combinators.combine(topics(), contentUpdates, propertyUpdates)
            .as(
                (t, c, p) ->
                    PushMessage.builder().topic(t).contentUpdate(c).propertyUpdate(p).build());
    Arbitrary<PushMessage> keyRotations =
        Arbitraries.oneOf(
            propertyNames().map(PushMessage::keyRotation),
            Combinators.combine(contentUpdates, propertyUpdates)
                .as((c, p) -> PushMessage.builder().contentUpdate(c).propertyUpdate(p).build()));
    return Arbitraries.frequencyOf(Tuple.of(4, topicMessages), Tuple.of(1, keyRotations));
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.longs()
                    .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                Arbitraries.integers().between(0, 999_999_999))
            .as(Instant::ofEpochSecond),
        Combinators.combine(
                Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L),
                Arbitraries.of(0, 1, 500_000_000, 999_999_999))
            .as(Instant::ofEpochSecond),
        Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH));
  }

  static Arbitrary<String> idempotencyKeys() {
    return base64Url(1, 64);
  }

  static Arbitrary<String> registrationIds() {
    return base64Url(22, 22);
  }

  static Arbitrary<String> pushResources() {
    return base64Url(40, 150)
        .map(p -> "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB" + p);
  }

  static Arbitrary<PendingDelivery> deliveries(
      Arbitrary<String> registrationIds,
      Arbitrary<String> subscriptionIds,
      Arbitrary<PushMessage> messages) {
    return Combinators.combine(
            registrationIds,
            subscriptionIds,
            messages,
            Arbitraries.of(Urgency.class),
            Arbitraries.integers().between(1, Integer.MAX_VALUE),
            instants(),
            instants(),
            idempotencyKeys())
        .as(
            (r, s, m, u, a, nb, dl, k) ->
                PendingDelivery.builder()
                    .registrationId(r)
                    .subscriptionId(s)
                    .message(m)
                    .urgency(u)
                    .attempt(a)
                    .notBefore(nb)
                    .deadline(dl)
                    .idempotencyKey(k)
                    .build());
  }

  @Provide
  Arbitrary<PendingDelivery> anyDeliveries() {
    Arbitrary<String> anyText = text(codePoints(), 0, 40);
    return deliveries(
        Arbitraries.oneOf(registrationIds(), anyText),
        Arbitraries.oneOf(pushResources(), anyText),
        messages());
  }

  @Provide
  Arbitrary<PendingDelivery> realisticDeliveries() {
    return deliveries(registrationIds(), pushResources(), messages());
  }

  // ---- round trip ----------------------------------------------------------------------------

  @Property
  void parseReadsBackWhatSerializeWrites(@ForAll("anyDeliveries") PendingDelivery d) {
    String text = d.serialize();
    PendingDelivery back = PendingDelivery.parse(text);
    assertThat(back).isEqualTo(d);
    assertThat(back.hashCode()).isEqualTo(d.hashCode());
    assertThat(back.serialize()).as("the form is stable").isEqualTo(text);
  }

  @Property
  void theFormIsOneLinePerPartAfterTheFormatLine(@ForAll("anyDeliveries") PendingDelivery d) {
    String[] lines = d.serialize().split("\n", -1);
    assertThat(lines[0]).isEqualTo(PendingDelivery.FORMAT);
    assertThat(lines[lines.length - 1]).as("ends with a newline").isEmpty();
    for (String line : Arrays.copyOfRange(lines, 1, lines.length - 1)) {
      assertThat(line).matches("[a-z-]+=[A-Za-z0-9.*_+%-]*");
    }
  }

  // ---- robustness ----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> garbage() {
    Arbitrary<String> names =
        Arbitraries.of(
            "registration",
            "subscription",
            "urgency",
            "attempt",
            "not-before",
            "deadline",
            "idempotency-key",
            "topic",
            "content-update",
            "property-update",
            "property",
            "x",
            "");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            text(codePoints(), 0, 20),
            Arbitraries.of(
                "%",
                "%4",
                "%zz",
                "%C3",
                "%FF%FE",
                "-1",
                "0",
                "1",
                "2147483648",
                "normal",
                "2026-01-01T00:00:00Z",
                "+1000000001-01-01T00:00:00Z",
                "=",
                "=%0A",
                "+",
                " ",
                "a+b",
                "a b c",
                "%20x"));
    Arbitrary<String> line = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
    Arbitrary<String> form =
        line.list().ofMaxSize(14).map(ls -> PendingDelivery.FORMAT + "\n" + String.join("\n", ls));
    return Arbitraries.oneOf(text(codePoints(), 0, 60), form);
  }

  @Property
  void parseOfGarbageGivesAValueOrIllegalArgumentException(@ForAll("garbage") String text) {
    parsesOrRefuses(text);
  }

  /** One edit to a valid form. */
  record Mutation(int kind, int position, int codePoint) {
    String apply(String form) {
      List<String> lines = new ArrayList<>(Arrays.asList(form.split("\n", -1)));
      int at = Math.floorMod(position, form.length() + 1);
      int line = Math.floorMod(position, lines.size());
      String cp = Character.toString(codePoint);
      return switch (kind) {
        case 0 -> form.substring(0, at) + cp + form.substring(at); // insert
        case 1 -> at < form.length() ? form.substring(0, at) + form.substring(at + 1) : form;
        case 2 -> at < form.length() ? form.substring(0, at) + cp + form.substring(at + 1) : form;
        case 3 -> form.substring(0, at); // truncate
        case 4 -> { // drop a line
          lines.remove(line);
          yield String.join("\n", lines);
        }
        case 5 -> { // repeat a line
          lines.add(line, lines.get(line));
          yield String.join("\n", lines);
        }
        default -> { // swap a line with the next
          int next = (line + 1) % lines.size();
          String l = lines.get(line);
          lines.set(line, lines.get(next));
          lines.set(next, l);
          yield String.join("\n", lines);
        }
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 6), Arbitraries.integers(), codePoints())
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Property
  void parseOfAMutatedFormGivesAValueOrIllegalArgumentException(
      @ForAll("anyDeliveries") PendingDelivery d, @ForAll("mutations") List<Mutation> edits) {
    String text = d.serialize();
    for (Mutation m : edits) {
      text = m.apply(text);
    }
    parsesOrRefuses(text);
  }

  private static void parsesOrRefuses(String text) {
    try {
      PendingDelivery parsed = PendingDelivery.parse(text);
      assertThat(PendingDelivery.parse(parsed.serialize()))
          .as("what parse accepts, it reads back")
          .isEqualTo(parsed);
    } catch (IllegalArgumentException refused) {
      // the one exception the contract allows
    }
  }

  // ---- merging -------------------------------------------------------------------------------

  @Property
  void mergingKeepsTheWaitingDeliverysIdentityAndMergesTheMessage(
      @ForAll("realisticDeliveries") PendingDelivery waiting,
      @ForAll("realisticDeliveries") PendingDelivery later) {
    PendingDelivery sameKey =
        later.toBuilder()
            .subscriptionId(waiting.subscriptionId())
            .message(
                later.message().toBuilder().topic(waiting.message().topic().orElse(null)).build())
            .build();

    PendingDelivery merged = waiting.mergedWith(sameKey);

    assertThat(merged.registrationId()).isEqualTo(waiting.registrationId());
    assertThat(merged.subscriptionId()).isEqualTo(waiting.subscriptionId());
    assertThat(merged.attempt()).isEqualTo(waiting.attempt());
    assertThat(merged.notBefore()).isEqualTo(waiting.notBefore());
    assertThat(merged.idempotencyKey()).isEqualTo(waiting.idempotencyKey());
    assertThat(merged.coalescingKey()).isEqualTo(waiting.coalescingKey());
    assertThat(merged.deadline())
        .isEqualTo(
            sameKey.deadline().isAfter(waiting.deadline())
                ? sameKey.deadline()
                : waiting.deadline());
    assertThat(merged.urgency())
        .as("the more urgent of the two")
        .isEqualTo(
            sameKey.urgency().compareTo(waiting.urgency()) > 0
                ? sameKey.urgency()
                : waiting.urgency());

    PushMessage m = merged.message();
    assertThat(m.topic()).isEqualTo(waiting.message().topic());
    assertThat(m.contentUpdate())
        .as("the newest sync-token wins")
        .isEqualTo(
            sameKey.message().contentUpdate().isPresent()
                ? sameKey.message().contentUpdate()
                : waiting.message().contentUpdate());
    Optional<Set<PropertyName>> before = properties(waiting.message());
    Optional<Set<PropertyName>> after = properties(sameKey.message());
    if (before.isEmpty() && after.isEmpty()) {
      assertThat(m.propertyUpdate()).isEmpty();
    } else {
      Set<PropertyName> union = new HashSet<>(before.orElse(Set.of()));
      union.addAll(after.orElse(Set.of()));
      assertThat(properties(m)).as("property updates united").contains(union);
    }
  }

  private static Optional<Set<PropertyName>> properties(PushMessage m) {
    return m.propertyUpdate().map(PushMessage.PropertyUpdate::properties);
  }

  @Property
  void mergingRefusesAnotherPushResourceOrTopic(
      @ForAll("realisticDeliveries") PendingDelivery waiting,
      @ForAll("realisticDeliveries") PendingDelivery later) {
    if (later.coalescingKey().equals(waiting.coalescingKey())) {
      later = later.toBuilder().subscriptionId(later.subscriptionId() + "x").build();
    }
    PendingDelivery other = later;
    assertThatThrownBy(() -> waiting.mergedWith(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(waiting.subscriptionId())
        .hasMessageNotContaining(other.subscriptionId());
  }

  @Property
  void mergingRefusesTheSamePushResourceWithAnotherTopic(
      @ForAll("realisticDeliveries") PendingDelivery waiting, @ForAll("topics") Topic topic) {
    Optional<Topic> own = waiting.message().topic();
    Topic other =
        own.isPresent() && own.get().equals(topic) ? Topic.of(topic.value() + "x") : topic;
    PendingDelivery later =
        waiting.toBuilder().message(waiting.message().toBuilder().topic(other).build()).build();
    assertThatThrownBy(() -> waiting.mergedWith(later))
        .isInstanceOf(IllegalArgumentException.class);
    if (own.isPresent()) {
      PendingDelivery keyRotation =
          waiting.toBuilder().message(waiting.message().toBuilder().topic(null).build()).build();
      assertThatThrownBy(() -> waiting.mergedWith(keyRotation))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Provide("topics")
  Arbitrary<Topic> topicValues() {
    return topics().filter(t -> t.value().length() < Topic.MAX_LENGTH);
  }

  // ---- secrets -------------------------------------------------------------------------------

  @Property
  void toStringShowsNeitherThePushResourceNorTheWholeRegistrationId(
      @ForAll("realisticDeliveries") PendingDelivery d) {
    String s = d.toString();
    assertThat(s)
        .doesNotContain(d.subscriptionId())
        .doesNotContain(d.subscriptionId().substring(d.subscriptionId().indexOf("/wpush")))
        .doesNotContain(d.registrationId());
    // long enough not to occur in the printed instants or key by chance
    d.message()
        .topic()
        .map(Topic::value)
        .filter(t -> t.length() >= 10)
        .ifPresent(t -> assertThat(s).doesNotContain(t));
    d.message()
        .contentUpdate()
        .flatMap(PushMessage.ContentUpdate::syncTokenValue)
        .filter(token -> token.length() >= 10)
        .ifPresent(token -> assertThat(s).doesNotContain(token));
  }
}
