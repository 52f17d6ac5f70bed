package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** RFC 8292 tokens: the published example (digest §7.2) and our own. */
class VapidTest {
  static final String T =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOj"
          + "E0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_HLG"
          + "kMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA";
  static final String K =
      "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";
  static final String EXAMPLE = "vapid t=" + T + ", k=" + K;
  static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Nested
  class Rfc8292Example {
    @Test
    void verifiesTheSignatureAndReadsThePublishedClaims() {
      VapidClaims c = Vapid.verifySignature(EXAMPLE);
      assertThat(c.audience()).isEqualTo("https://push.example.net");
      assertThat(c.expiry()).isEqualTo(Instant.ofEpochSecond(1453523768L));
      assertThat(c.expiry()).isEqualTo(Instant.parse("2016-01-23T04:36:08Z"));
      assertThat(c.subject()).contains("mailto:push@example.com");
      assertThat(c.publicKey().toBase64Url()).isEqualTo(K);
      assertThat(T).hasSize(235);
    }

    @Test
    void isClassifiedExpiredAfterItsSignatureVerified() {
      assertThatThrownBy(() -> Vapid.verify(EXAMPLE, NOW))
          .isInstanceOf(ExpiredVapidTokenException.class)
          .hasMessageContaining("expired")
          .satisfies(
              e ->
                  assertThat(((ExpiredVapidTokenException) e).claims().audience())
                      .isEqualTo("https://push.example.net"));
    }

    @Test
    void verifiesCompletelyJustBeforeItsExpiry() {
      assertThat(Vapid.verify(EXAMPLE, Instant.ofEpochSecond(1453523768L)).subject()).isPresent();
    }

    @Test
    void toleratesLineBreaksAndExtraParametersInTheHeader() {
      VapidClaims c =
          Vapid.verifySignature("Vapid  realm=\"x\" ,\n   t=" + T + ",\n   k=\"" + K + "\"");
      assertThat(c.audience()).isEqualTo("https://push.example.net");
    }

    @Test
    void readsQuotedStringParametersWithBackslashEscapes() {
      String escapedT = "\\" + T.substring(0, 10) + "\\" + T.substring(10);
      String escapedK = K.substring(0, 5) + "\\" + K.substring(5);

      VapidClaims c =
          Vapid.verifySignature(
              "vapid realm=\"a, \\\"b\\\" = c\", t=\"" + escapedT + "\" , k=\"" + escapedK + "\"");

      assertThat(c.audience()).isEqualTo("https://push.example.net");
      assertThat(c.publicKey().toBase64Url()).isEqualTo(K);
    }

    @Test
    void rejectsAnUnterminatedQuotedString() {
      for (String bad :
          new String[] {
            "vapid t=\"" + T + ", k=" + K,
            "vapid t=" + T + ", k=\"" + K + "\\\"",
            "vapid t=" + T + ", k=\"" + K + "\" x",
          }) {
        assertThatThrownBy(() -> Vapid.verifySignature(bad))
            .as(bad)
            .isExactlyInstanceOf(PushCryptoException.class);
      }
    }

    @Test
    void rejectsATamperedClaimsSegment() {
      String[] parts = T.split("\\.");
      String claims =
          Base64Url.encode(
              "{\"aud\":\"https://evil.example\",\"exp\":1453523768}"
                  .getBytes(StandardCharsets.US_ASCII));
      String header = "vapid t=" + parts[0] + "." + claims + "." + parts[2] + ", k=" + K;
      assertThatThrownBy(() -> Vapid.verifySignature(header))
          .isInstanceOf(PushCryptoException.class)
          .isNotInstanceOf(ExpiredVapidTokenException.class)
          .hasMessageContaining("does not verify");
    }

    @Test
    void rejectsTheTokenWithAnotherKey() {
      String other = VapidKeyPair.generate().publicKey().toBase64Url();
      assertThatThrownBy(() -> Vapid.verifySignature("vapid t=" + T + ", k=" + other))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("does not verify");
    }
  }

  @Nested
  class OurTokens {
    final VapidKeyPair key = VapidKeyPair.generate();

    String sign(String audience) {
      return Vapid.authorization(
          key, audience, NOW.plus(Duration.ofHours(12)), "mailto:ops@example.com", CLOCK);
    }

    @Test
    void haveTheJoseHeaderA64OctetSignatureAndAnUncompressedKey() {
      String h = sign("https://push.example.net");
      assertThat(h).startsWith("vapid t=").contains(", k=");
      String t = h.substring("vapid t=".length(), h.indexOf(", k="));
      String k = h.substring(h.indexOf(", k=") + 4);
      String[] parts = t.split("\\.");
      assertThat(new String(Base64Url.decode(parts[0]), StandardCharsets.UTF_8))
          .isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
      assertThat(Base64Url.decode(parts[2])).hasSize(64);
      assertThat(k).hasSize(87).isEqualTo(key.publicKey().toBase64Url());
      assertThat(new String(Base64Url.decode(parts[1]), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"aud\":\"https://push.example.net\",\"exp\":"
                  + (NOW.getEpochSecond() + 43200)
                  + ",\"sub\":\"mailto:ops@example.com\"}");
    }

    @Test
    void verifyWithTheirKeyAndClaims() {
      VapidClaims c = Vapid.verify(sign("https://push.example.net"), NOW);
      assertThat(c.publicKey()).isEqualTo(key.publicKey());
      assertThat(c.expiry()).isEqualTo(NOW.plus(Duration.ofHours(12)));
      assertThat(c.subject()).contains("mailto:ops@example.com");
    }

    @Test
    void useTheOriginOfThePushResourceAsAudience() {
      assertThat(Vapid.verify(sign("https://push.example.net/push/x"), NOW).audience())
          .isEqualTo("https://push.example.net");
      assertThat(Vapid.verify(sign("https://Push.Example.net:443/x"), NOW).audience())
          .isEqualTo("https://push.example.net");
      assertThat(Vapid.verify(sign("https://h:8443/x"), NOW).audience())
          .isEqualTo("https://h:8443");
      assertThat(Vapid.audience("https://h:8443/x")).isEqualTo("https://h:8443");
    }

    @Test
    void refuseAnExpiryMoreThan24HoursAhead() {
      assertThatThrownBy(
              () ->
                  Vapid.authorization(
                      key,
                      "https://push.example.net",
                      NOW.plus(Duration.ofHours(24)).plusSeconds(1),
                      null,
                      CLOCK))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("24 hours");
      assertThat(
              Vapid.authorization(
                  key, "https://push.example.net", NOW.plus(Duration.ofHours(24)), null, CLOCK))
          .startsWith("vapid ");
    }

    @Test
    void refuseAnExpiryInThePast() {
      assertThatThrownBy(
              () ->
                  Vapid.authorization(
                      key, "https://push.example.net", NOW.minusSeconds(1), null, CLOCK))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refuseASubjectThatIsNeitherMailtoNorHttps() {
      for (String bad :
          new String[] {"ops@example.com", "http://example.com", "mailto:", "https:x"}) {
        assertThatThrownBy(
                () ->
                    Vapid.authorization(key, "https://p.example", NOW.plusSeconds(60), bad, CLOCK))
            .as(bad)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(
              Vapid.authorization(
                  key,
                  "https://p.example",
                  NOW.plusSeconds(60),
                  "https://example.com/contact",
                  CLOCK))
          .isNotEmpty();
    }

    @Test
    void areRefusedWhenMoreThan24HoursAheadOfTheVerifier() {
      String h = sign("https://push.example.net");
      assertThatThrownBy(() -> Vapid.verify(h, NOW.minus(Duration.ofHours(13))))
          .isInstanceOf(ExpiredVapidTokenException.class)
          .hasMessageContaining("more than 24 hours");
    }

    @Test
    void omitTheSubjectWhenNoneIsGiven() {
      String h = Vapid.authorization(key, "https://p.example", NOW.plusSeconds(60), null, CLOCK);
      assertThat(Vapid.verify(h, NOW).subject()).isEmpty();
    }
  }

  @Nested
  class MalformedHeaders {
    @Test
    void areRejectedWithTheTypedException() {
      String[] bad = {
        "",
        "Bearer abc",
        "vapid",
        "vapid t=" + T,
        "vapid k=" + K,
        "vapid t=a.b, k=" + K,
        "vapid t=" + T + ", k=AAAA",
        "vapid t=" + T + ", t=" + T + ", k=" + K,
        "vapid t=" + T.replace('.', ',') + ", k=" + K,
        "vapid t=!!!.!!!.!!!, k=" + K,
        "vapid garbage, k=" + K,
        "WebPush " + T,
      };
      for (String h : bad) {
        assertThatThrownBy(() -> Vapid.verifySignature(h))
            .as(h)
            .isInstanceOf(PushCryptoException.class);
      }
    }

    @Test
    void rejectADerSignature() {
      String[] parts = T.split("\\.");
      byte[] der = new byte[71];
      der[0] = 0x30;
      String h = "vapid t=" + parts[0] + "." + parts[1] + "." + Base64Url.encode(der) + ", k=" + K;
      assertThatThrownBy(() -> Vapid.verifySignature(h))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("expected 64");
    }

    @Test
    void rejectANoneAlgorithm() {
      String[] parts = T.split("\\.");
      String header =
          Base64Url.encode(
              "{\"typ\":\"JWT\",\"alg\":\"none\"}".getBytes(StandardCharsets.US_ASCII));
      String h = "vapid t=" + header + "." + parts[1] + "." + parts[2] + ", k=" + K;
      assertThatThrownBy(() -> Vapid.verifySignature(h))
          .isInstanceOf(PushCryptoException.class)
          .hasMessageContaining("ES256");
    }

    @Test
    void keyFromTheExampleIsTheJwkOfTheRfc() {
      P256PublicKey k = P256PublicKey.fromBase64Url(K);
      assertThat(P256Jwk.toJwk(k))
          .isEqualTo(
              "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"DUfHPKLVFQzVvnCPGyfucbECzPDa7rWbXriLcysAjEc\","
                  + "\"y\":\"F6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs\"}");
      assertThat(
              P256Jwk.parsePublicKey(
                  "{ \"crv\":\"P-256\", \"kty\":\"EC\", \"x\":\"DUfHPKLVFQzVvnCPGyfucbECzPDa7rWbXriLcysAjEc\","
                      + " \"y\":\"F6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs\" }"))
          .isEqualTo(k);
    }
  }
}
