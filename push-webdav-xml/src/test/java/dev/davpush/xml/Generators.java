package dev.davpush.xml;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik arbitraries for the model values the codecs carry. */
final class Generators {
  private static final List<P256PublicKey> KEYS = keys(12);

  private Generators() {}

  private static List<P256PublicKey> keys(int n) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      List<P256PublicKey> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ECPublicKey k = (ECPublicKey) g.generateKeyPair().getPublic();
        byte[] b = new byte[65];
        b[0] = 4;
        copy(k.getW().getAffineX(), b, 1);
        copy(k.getW().getAffineY(), b, 33);
        out.add(P256PublicKey.of(b));
      }
      return List.copyOf(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(BigInteger v, byte[] out, int offset) {
    byte[] raw = v.toByteArray();
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, offset + 32 - len, len);
  }

  /** Text XML 1.0 can carry, without surrounding white space (readers strip it). */
  static Arbitrary<String> xmlText(int min, int max) {
    return Arbitraries.strings()
        .withCharRange(' ', '\uD7FF')
        .withChars('\t', '\n', '\r', '&', '<', '>', '"', '\'', ']', 'é', '€', '\uE000', '\uFFFD')
        .ofMinLength(min)
        .ofMaxLength(max)
        .map(String::strip)
        .filter(s -> s.length() >= min);
  }

  static Arbitrary<Topic> topics() {
    return xmlText(1, 60).filter(s -> s.chars().noneMatch(Character::isISOControl)).map(Topic::of);
  }

  static Arbitrary<PropertyName> propertyNames() {
    Arbitrary<String> ns =
        Arbitraries.of(
            "DAV:",
            WebDavPush.NAMESPACE,
            "",
            "urn:ietf:params:xml:ns:caldav",
            "http://apple.com/ns/ical/",
            "urn:x&y<z>\"q\"");
    Arbitrary<String> local =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('-', '_', '.')
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> Character.isLetter(s.charAt(0)));
    return Combinators.combine(ns, local).as(PropertyName::of);
  }

  static Arbitrary<PushResource> pushResources() {
    return Combinators.combine(
            Arbitraries.of("https", "http", "HTTPS"),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
            Arbitraries.of("", ":8443", ":443"),
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars('-', '_', '/', '.', '~', '%')
                .ofMaxLength(60),
            Arbitraries.of("", "?a=b&c=d", "?x=%20"))
        .as(
            (scheme, host, port, path, query) -> {
              String p = path.replace("%", "%25");
              return new PushResource(
                  URI.create(scheme + "://" + host + ".example" + port + "/" + p + query));
            });
  }

  static Arbitrary<WebPushSubscription> webPushSubscriptions() {
    return Combinators.combine(
            pushResources(),
            Arbitraries.of(
                ContentEncoding.AES128GCM, ContentEncoding.AESGCM, ContentEncoding.of("x-custom")),
            Arbitraries.of(KEYS),
            Arbitraries.bytes().array(byte[].class).ofSize(16).map(AuthSecret::of))
        .as(WebPushSubscription::of);
  }

  static Arbitrary<List<Trigger>> triggers() {
    Arbitrary<Trigger> content = Arbitraries.of(Depth.class).map(Trigger.ContentUpdate::new);
    Arbitrary<Trigger> property =
        Combinators.combine(Arbitraries.of(Depth.class), propertyNames().set().ofMaxSize(5))
            .as(Trigger.PropertyUpdate::new);
    return Combinators.combine(content.optional(), property.optional())
        .as(
            (c, p) -> {
              List<Trigger> out = new ArrayList<>();
              c.ifPresent(out::add);
              p.ifPresent(out::add);
              return out;
            });
  }

  /** Future whole-second instants the IMF-fixdate can carry, or null. */
  static Arbitrary<Instant> futureExpiries() {
    long from = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond).injectNull(0.3);
  }

  static Arbitrary<RegisterRequest> registerRequests() {
    return Combinators.combine(webPushSubscriptions(), triggers(), futureExpiries())
        .as(RegisterRequest::new);
  }

  static Arbitrary<PushMessage> pushMessages() {
    Arbitrary<PushMessage.ContentUpdate> content =
        xmlText(0, 80).map(s -> new PushMessage.ContentUpdate(s.isEmpty() ? null : s));
    Arbitrary<PushMessage.PropertyUpdate> property =
        propertyNames().set().ofMaxSize(4).map(PushMessage.PropertyUpdate::new);
    return Combinators.combine(
            topics().injectNull(0.2), content.injectNull(0.3), property.injectNull(0.5))
        .as((t, c, p) -> PushMessage.builder().topic(t).contentUpdate(c).propertyUpdate(p).build())
        // a topic-only message reads back as a content update (Nextcloud 2024 leniency)
        .filter(
            m ->
                !(m.topic().isPresent()
                    && m.contentUpdate().isEmpty()
                    && m.propertyUpdate().isEmpty()));
  }
}
