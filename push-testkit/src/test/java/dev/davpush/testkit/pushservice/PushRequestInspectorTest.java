package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushResource;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushRequestInspectorTest {
  private static final String ORIGIN = "http://127.0.0.1:8080";
  private final VapidKeyPair vapid = VapidKeyPair.generate();
  private final PushServiceSubscription unrestricted =
      new PushServiceSubscription(
          new PushResource(URI.create(ORIGIN + "/push/AAAAAAAAAAAAAAAAAAAAAA")),
          UserAgentKeyPair.generate(),
          null);

  private PushRequestInspector.Result inspect(Map<String, List<String>> headers) {
    return PushRequestInspector.inspect(
        "POST", headers, new byte[0], false, unrestricted, ORIGIN, Instant.now());
  }

  private static List<String> codes(PushRequestInspector.Result r) {
    return r.violations.stream().map(Violation::code).toList();
  }

  @Test
  void refusesATtlSentTwice() {
    PushRequestInspector.Result r = inspect(Map.of("TTL", List.of("60", "60")));

    assertThat(codes(r)).contains(Violation.BAD_TTL);
    assertThat(r.violations.get(0).message()).contains("2 times");
  }

  @Test
  void refusesATtlListInOneFieldLine() {
    assertThat(codes(inspect(Map.of("TTL", List.of("60, 120"))))).contains(Violation.BAD_TTL);
  }

  @Test
  void toleratesWhitespaceAroundFieldValues() {
    PushRequestInspector.Result r =
        inspect(
            Map.of(
                "TTL", List.of(" 60\t"), "Urgency", List.of(" high "), "Topic", List.of(" abc ")));

    assertThat(codes(r))
        .doesNotContain(Violation.BAD_TTL, Violation.BAD_URGENCY, Violation.BAD_TOPIC);
  }

  @Test
  void refusesTwoUrgencyValues() {
    assertThat(codes(inspect(Map.of("TTL", List.of("1"), "Urgency", List.of("low", "high")))))
        .contains(Violation.BAD_URGENCY);
  }

  @Test
  void readsUrgencyCaseInsensitivelyAsAbnfLiteralsAre() {
    assertThat(codes(inspect(Map.of("TTL", List.of("1"), "Urgency", List.of("Very-Low")))))
        .doesNotContain(Violation.BAD_URGENCY);
  }

  @Test
  void findsHeadersWhateverTheirCase() {
    PushRequestInspector.Result r =
        inspect(Map.of("ttl", List.of("1"), "content-ENCODING", List.of("AES128GCM")));

    assertThat(codes(r)).doesNotContain(Violation.MISSING_TTL, Violation.BAD_CONTENT_ENCODING);
  }

  @Test
  void refusesTwoContentEncodings() {
    assertThat(
            codes(
                inspect(
                    Map.of(
                        "TTL",
                        List.of("1"),
                        "Content-Encoding",
                        List.of("aes128gcm", "aes128gcm")))))
        .contains(Violation.BAD_CONTENT_ENCODING);
  }

  @Test
  void refusesAnAuthorizationWithoutK() {
    String header =
        Vapid.authorization(vapid, ORIGIN, Instant.now().plus(Duration.ofHours(1)), null);
    String withoutK = header.substring(0, header.indexOf(','));

    PushRequestInspector.Result r =
        inspect(Map.of("TTL", List.of("1"), "Authorization", List.of(withoutK)));

    assertThat(codes(r)).contains(Violation.VAPID_INVALID);
    assertThat(r.violations.get(r.violations.size() - 1).message()).contains("'k'");
  }

  @Test
  void readsQuotedAndReorderedVapidParameters() {
    String header =
        Vapid.authorization(vapid, ORIGIN, Instant.now().plus(Duration.ofHours(1)), null);
    String t = header.substring(header.indexOf("t=") + 2, header.indexOf(','));
    String k = header.substring(header.indexOf("k=") + 2);
    String reordered = "VAPID k=\"" + k + "\", realm=\"x\", t=" + t;

    PushRequestInspector.Result r =
        inspect(Map.of("TTL", List.of("1"), "Authorization", List.of(reordered)));

    assertThat(codes(r)).doesNotContain(Violation.VAPID_INVALID);
  }

  @Test
  void answersTheMostImportantStatus() {
    PushRequestInspector.Result r = new PushRequestInspector.Result();
    r.add(Violation.DECRYPT_FAILED, "x");
    r.add(Violation.BODY_TOO_LARGE, "x");
    assertThat(r.status()).isEqualTo(413);
    r.add(Violation.VAPID_EXPIRED, "x");
    assertThat(r.status()).isEqualTo(403);
    r.add(Violation.VAPID_MISSING, "x");
    assertThat(r.status()).isEqualTo(401);
    assertThat(new PushRequestInspector.Result().status()).isEqualTo(201);
  }
}
