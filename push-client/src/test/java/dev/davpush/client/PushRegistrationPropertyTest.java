package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushResource;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The storage string round-trips for any registration value, and garbage is refused cleanly. */
class PushRegistrationPropertyTest {
  private static final List<P256PublicKey> KEYS =
      List.of(
          UserAgentKeyPair.generate().publicKey(),
          UserAgentKeyPair.generate().publicKey(),
          UserAgentKeyPair.generate().publicKey());

  @Property
  void storageStringRoundTrips(@ForAll("registrations") PushRegistration r) {
    String s = r.toStorageString();
    assertThat(s).startsWith(PushRegistration.STORAGE_PREFIX);
    PushRegistration back = PushRegistration.fromStorageString(s);
    assertThat(back).isEqualTo(r);
    assertThat(back.toStorageString()).isEqualTo(s);
  }

  @Property
  void garbageIsRefusedWithoutEchoingIt(@ForAll("garbage") String text) {
    assertThatThrownBy(() -> PushRegistration.fromStorageString(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              // short texts may occur in the fixed message by chance; long ones must not be echoed
              String payload = text.strip().replace(PushRegistration.STORAGE_PREFIX, "");
              if (payload.length() >= 8) {
                assertThat(e.getMessage()).doesNotContain(payload);
              }
            });
  }

  @Property(tries = 200)
  void truncatedStorageStringsAreRefused(
      @ForAll("registrations") PushRegistration r, @ForAll("fractions") double cut) {
    String s = r.toStorageString();
    int end =
        PushRegistration.STORAGE_PREFIX.length()
            + (int) ((s.length() - PushRegistration.STORAGE_PREFIX.length() - 1) * cut);
    assertThatThrownBy(() -> PushRegistration.fromStorageString(s.substring(0, end)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings()
            .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            .ofMaxLength(200)
            .map(t -> PushRegistration.STORAGE_PREFIX + t));
  }

  @Provide
  Arbitrary<PushRegistration> registrations() {
    Arbitrary<String> seg = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
    Arbitrary<URI> url =
        Combinators.combine(
                Arbitraries.of("http", "https"),
                Arbitraries.of("dav.example.com", "127.0.0.1", "xn--bcher-kva.example"),
                Arbitraries.integers().between(1, 65535).injectNull(0.5),
                seg.list().ofMaxSize(4))
            .as(
                (scheme, host, port, path) ->
                    URI.create(
                        scheme
                            + "://"
                            + host
                            + (port == null ? "" : ":" + port)
                            + "/"
                            + String.join("/", path)));
    Arbitrary<Topic> topic =
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(64)
            .filter(t -> t.chars().noneMatch(Character::isISOControl))
            .filter(t -> !t.isBlank() && t.strip().equals(t))
            .map(Topic::of)
            .injectNull(0.3);
    Arbitrary<Depth> depth = Arbitraries.of(Depth.class);
    Arbitrary<PropertyName> prop =
        Combinators.combine(Arbitraries.of("DAV:", "urn:x", "https://bitfire.at/webdav-push"), seg)
            .as(PropertyName::of);
    Arbitrary<Trigger> trigger =
        Arbitraries.oneOf(
            depth.map(Trigger.ContentUpdate::new),
            Combinators.combine(depth, prop.set().ofMaxSize(3))
                .as((d, p) -> (Trigger) new Trigger.PropertyUpdate(d, Set.copyOf(p))));
    Arbitrary<WebPushSubscription> sub =
        Combinators.combine(
                url, Arbitraries.of(KEYS), Arbitraries.bytes().array(byte[].class).ofSize(16))
            .as((u, k, a) -> WebPushSubscription.of(new PushResource(u), k, AuthSecret.of(a)));
    Arbitrary<Instant> instant =
        Combinators.combine(
                Arbitraries.longs().between(0, 253_402_300_799L),
                Arbitraries.integers().between(0, 999_999_999))
            .as(Instant::ofEpochSecond);
    return Combinators.combine(
            url,
            url,
            topic,
            sub,
            trigger.list().ofMaxSize(2),
            instant,
            instant,
            Arbitraries.of(KEYS).injectNull(0.5))
        .as(
            (reg, col, t, s, tr, exp, granted, vapid) ->
                PushRegistration.builder()
                    .registrationUrl(reg)
                    .collection(col)
                    .topic(t)
                    .subscription(s)
                    .triggers(tr)
                    .expires(exp)
                    .granted(granted)
                    .vapidKey(vapid)
                    .build());
  }
}
