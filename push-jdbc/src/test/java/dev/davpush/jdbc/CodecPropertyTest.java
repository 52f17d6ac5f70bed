package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.server.Change;
import java.net.URI;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The stored text forms read back to equal values, whatever characters the values hold. */
class CodecPropertyTest {
  @Property(tries = 300)
  void triggerListsRoundTrip(@ForAll("triggers") List<Trigger> triggers) {
    String text = Codec.triggers(triggers);
    assertThat(Codec.parseTriggers(text)).isEqualTo(triggers);
    assertThat(Codec.triggers(Codec.parseTriggers(text))).isEqualTo(text);
  }

  @Property(tries = 300)
  void changesRoundTrip(@ForAll("changes") Change change) {
    String text = Codec.change(change);
    Change back = Codec.parseChange(text);
    assertThat(Codec.change(back)).isEqualTo(text);
    assertThat(back.path()).isEqualTo(change.path());
    assertThat(back.isContentUpdate()).isEqualTo(change.isContentUpdate());
    assertThat(back.properties()).isEqualTo(change.properties());
    assertThat(back.principal()).isEqualTo(change.principal());
    assertThat(back.dontNotify()).isEqualTo(change.dontNotify());
    assertThat(back.dontNotifyAll()).isEqualTo(change.dontNotifyAll());
    assertThat(back.deletedTopic()).isEqualTo(change.deletedTopic());
    assertThat(back.importance()).isEqualTo(change.importance());
  }

  @Property(tries = 300)
  void aDamagedChangeIsRefusedWithIllegalArgument(
      @ForAll("changes") Change change, @ForAll("cuts") int cut) {
    String text = Codec.change(change);
    String damaged = text.substring(0, Math.min(cut, text.length()));
    // either it still reads (a cut after a whole line of optional parts) or it is refused cleanly
    try {
      Codec.parseChange(damaged);
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageStartingWith("stored change");
    }
  }

  @Property(tries = 100)
  void garbageIsRefused(@ForAll("texts") String text) {
    assertThatThrownBy(() -> Codec.parseChange("x" + text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 400);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().ofMaxLength(200);
  }

  static Arbitrary<String> anyText() {
    return Arbitraries.strings()
        .all()
        .ofMinLength(1)
        .ofMaxLength(20)
        // Java strings may hold unpaired surrogates; text in PostgreSQL (UTF-8) cannot
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
  }

  static Arbitrary<PropertyName> names() {
    return Combinators.combine(
            Arbitraries.of("DAV:", "urn:x", "http://ex.org/ns#", "urn:a b=c%"),
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('-', '_', '.')
                .ofMinLength(1)
                .ofMaxLength(12))
        .as(PropertyName::of)
        .ignoreException(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<List<Trigger>> triggers() {
    Arbitrary<Depth> depth = Arbitraries.of(Depth.class);
    Arbitrary<Trigger> content = depth.map(Trigger.ContentUpdate::new);
    Arbitrary<Trigger> property =
        Combinators.combine(depth, names().set().ofMaxSize(4))
            .as((d, ns) -> (Trigger) new Trigger.PropertyUpdate(d, ns));
    return Arbitraries.oneOf(content, property).list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<Change> changes() {
    Arbitrary<String> path =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('/', ' ', '%', '=', 'é', '\n')
            .ofMinLength(1)
            .ofMaxLength(30)
            .map(s -> "/" + s);
    Arbitrary<Set<PropertyName>> props = names().set().ofMinSize(0).ofMaxSize(3);
    Arbitrary<Set<URI>> dont =
        Arbitraries.integers()
            .between(0, 999)
            .map(i -> URI.create("https://dav.example/push/r" + i))
            .set()
            .ofMaxSize(3);
    return Combinators.combine(
            path,
            Arbitraries.of(true, false),
            props,
            anyText().injectNull(0.3),
            dont,
            Arbitraries.of(true, false),
            Arbitraries.of(Change.Importance.class))
        .as(
            (p, content, ps, principal, dn, all, imp) -> {
              Change.Builder b = content ? Change.contentUpdate(p) : Change.propertyUpdate(p, ps);
              return b.principal(principal)
                  .dontNotify(dn)
                  .dontNotifyAll(all)
                  .deletedTopic(all ? Topic.random() : null)
                  .importance(imp)
                  .build();
            });
  }
}
