package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushResource;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class PushRequestInspectorPropertyTest {
  private static final String ORIGIN = "http://127.0.0.1:8080";
  private static final VapidKeyPair VAPID = VapidKeyPair.generate();
  private static final PushServiceSubscription RESTRICTED =
      new PushServiceSubscription(
          new PushResource(URI.create(ORIGIN + "/push/AAAAAAAAAAAAAAAAAAAAAA")),
          UserAgentKeyPair.generate(),
          VAPID.publicKey());
  private static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");
  private static final String AUTHORIZATION =
      Vapid.authorization(
          VAPID, ORIGIN, Instant.now().plus(Duration.ofHours(2)), "mailto:ops@example.org");
  private static final Set<String> VAPID_CODES =
      Set.of(
          Violation.VAPID_MISSING,
          Violation.VAPID_INVALID,
          Violation.VAPID_KEY_MISMATCH,
          Violation.VAPID_AUDIENCE_MISMATCH,
          Violation.VAPID_EXPIRED,
          Violation.VAPID_EXPIRY_TOO_FAR);

  private static PushRequestInspector.Result inspect(
      Map<String, List<String>> headers, byte[] body) {
    return PushRequestInspector.inspect(
        "POST", headers, body, false, RESTRICTED, ORIGIN, Instant.now());
  }

  private static Set<String> codes(PushRequestInspector.Result r) {
    return r.violations.stream().map(Violation::code).collect(Collectors.toSet());
  }

  @Property
  void acceptsEveryTtlOfDigitsOnly(
      @ForAll @NumericChars @StringLength(min = 1, max = 40) String ttl) {
    PushRequestInspector.Result r = inspect(Map.of("TTL", List.of(ttl)), new byte[0]);

    assertThat(codes(r)).doesNotContain(Violation.BAD_TTL, Violation.MISSING_TTL);
  }

  @Property
  void refusesEveryTtlHoldingANonDigit(@ForAll @StringLength(max = 40) String ttl) {
    String stripped = ttl.strip();
    Assume.that(stripped.isEmpty() || !stripped.chars().allMatch(c -> c >= '0' && c <= '9'));

    PushRequestInspector.Result r = inspect(Map.of("TTL", List.of(ttl)), new byte[0]);

    assertThat(codes(r)).contains(Violation.BAD_TTL);
    assertThat(r.status()).isEqualTo(401); // restricted, no Authorization: 401 outranks 400
  }

  @Property
  void acceptsEveryTopicOfUpTo32Base64UrlCharacters(
      @ForAll @AlphaChars @NumericChars @Chars({'-', '_'}) @StringLength(min = 1, max = 32)
          String topic) {
    PushRequestInspector.Result r = inspect(Map.of("Topic", List.of(topic)), new byte[0]);

    assertThat(codes(r)).doesNotContain(Violation.BAD_TOPIC);
  }

  @Property
  void refusesEveryTopicLongerThan32Characters(
      @ForAll @AlphaChars @NumericChars @Chars({'-', '_'}) @StringLength(min = 33, max = 200)
          String topic) {
    PushRequestInspector.Result r = inspect(Map.of("Topic", List.of(topic)), new byte[0]);

    assertThat(codes(r)).contains(Violation.BAD_TOPIC);
  }

  @Property
  void refusesEveryTopicWithACharacterOutsideTheAlphabet(
      @ForAll @AlphaChars @StringLength(min = 0, max = 15) String before,
      @ForAll("outsideTheAlphabet") char bad,
      @ForAll @AlphaChars @StringLength(min = 0, max = 15) String after) {
    PushRequestInspector.Result r =
        inspect(Map.of("Topic", List.of(before + bad + after)), new byte[0]);

    assertThat(codes(r)).contains(Violation.BAD_TOPIC);
  }

  @Property
  void turnsAnyAuthorizationValueIntoAtMostOneVapidViolation(@ForAll String authorization) {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("TTL", List.of("60"));
    headers.put("Authorization", List.of(authorization));

    PushRequestInspector.Result r = inspect(headers, new byte[0]);

    List<String> vapid =
        r.violations.stream().map(Violation::code).filter(VAPID_CODES::contains).toList();
    assertThat(vapid).hasSize(1);
    assertThat(r.status()).isEqualTo(403);
  }

  @Property(tries = 200)
  void turnsAnyAes128gcmBodyIntoAPlaintextOrADecryptFailure(@ForAll @Size(max = 4096) byte[] body) {
    Map<String, List<String>> headers =
        Map.of(
            "TTL",
            List.of("60"),
            "Content-Encoding",
            List.of("aes128gcm"),
            "Authorization",
            List.of(AUTHORIZATION));

    PushRequestInspector.Result r = inspect(headers, body);

    assertThat(r.plaintext == null).isEqualTo(codes(r).contains(Violation.DECRYPT_FAILED));
    assertThat(codes(r)).containsOnly(Violation.DECRYPT_FAILED);
  }

  @Property(tries = 50)
  void classifiesTokenTimeAgainstTheServiceClock(@ForAll("offsets") long offsetMinutes) {
    Instant now = NOW.plus(Duration.ofMinutes(offsetMinutes));
    Instant exp = NOW.plus(Duration.ofHours(2));
    // sign at a time the signer accepts: one hour before exp
    String header =
        Vapid.authorization(
            VAPID,
            ORIGIN,
            exp,
            "mailto:ops@example.org",
            Clock.fixed(exp.minus(Duration.ofHours(1)), ZoneOffset.UTC));
    Map<String, List<String>> headers =
        Map.of("TTL", List.of("60"), "Authorization", List.of(header));

    PushRequestInspector.Result r =
        PushRequestInspector.inspect("POST", headers, new byte[0], false, RESTRICTED, ORIGIN, now);

    Set<String> codes = codes(r);
    boolean expired = !exp.isAfter(now.minus(EmbeddedPushService.CLOCK_SKEW));
    boolean tooFar =
        exp.isAfter(now.plus(Duration.ofHours(24)).plus(EmbeddedPushService.CLOCK_SKEW));
    assertThat(codes.contains(Violation.VAPID_EXPIRED)).isEqualTo(expired);
    assertThat(codes.contains(Violation.VAPID_EXPIRY_TOO_FAR)).isEqualTo(tooFar);
    assertThat(codes)
        .doesNotContain(
            Violation.VAPID_INVALID,
            Violation.VAPID_KEY_MISMATCH,
            Violation.VAPID_AUDIENCE_MISMATCH);
    assertThat(r.claims).isNotNull();
  }

  @Provide
  Arbitrary<Character> outsideTheAlphabet() {
    return Arbitraries.of('/', '+', '=', '.', '~', ':', '\u00e9', '"', ',');
  }

  @Provide
  Arbitrary<Long> offsets() {
    // from 26 h before to 3 h after NOW, with the edges around exp (+120 min) and exp-24h
    return Arbitraries.oneOf(
        Arbitraries.longs().between(-26 * 60, 3 * 60),
        Arbitraries.of(119L, 120L, 121L, 122L, -1319L, -1320L, -1321L, -1322L));
  }
}
