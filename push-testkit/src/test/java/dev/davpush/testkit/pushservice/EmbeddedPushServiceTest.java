package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EmbeddedPushServiceTest {
  private static final byte[] MESSAGE =
      "<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>O7M1nQ7cKkKTKsoS_j6Z3w</topic></push-message>"
          .getBytes(StandardCharsets.UTF_8);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EmbeddedPushService service;
  private VapidKeyPair vapid;

  @BeforeEach
  void startService() {
    service = EmbeddedPushService.start();
    vapid = VapidKeyPair.generate();
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  private String authorization(VapidKeyPair key, String audience, Instant expiry) {
    return Vapid.authorization(key, audience, expiry, "mailto:ops@example.org");
  }

  private String validAuthorization() {
    return authorization(vapid, service.origin(), Instant.now().plus(Duration.ofHours(12)));
  }

  private static byte[] encryptFor(PushServiceSubscription sub, byte[] plaintext) {
    return WebPushEncryption.encrypt(plaintext, sub.keys().publicKey(), sub.keys().authSecret());
  }

  /** A fully valid push to {@code sub}, signed with {@code vapid}. */
  private TestPushClient validPush(PushServiceSubscription sub) {
    return TestPushClient.request()
        .header("TTL", "3600")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/xml; charset=\"UTF-8\"")
        .header("Authorization", validAuthorization())
        .body(encryptFor(sub, MESSAGE));
  }

  private static URI uri(PushServiceSubscription sub) {
    return sub.pushResource().uri();
  }

  @Nested
  class Subscriptions {
    @Test
    void handsOutPushResourcesOnLoopbackWith128RandomBits() {
      PushServiceSubscription a = service.subscribe(vapid.publicKey());
      PushServiceSubscription b = service.subscribe(vapid.publicKey());

      URI ua = uri(a);
      assertThat(ua.getScheme()).isEqualTo("http");
      assertThat(ua.getHost()).isEqualTo("127.0.0.1");
      assertThat(ua.getPort()).isEqualTo(service.port()).isPositive();
      assertThat(ua.getPath()).matches("/push/[A-Za-z0-9_-]{22}");
      assertThat(ua).isNotEqualTo(uri(b));
      assertThat(a.pushResource().origin()).isEqualTo(service.origin());
      assertThat(service.baseUri().toString()).isEqualTo(service.origin() + "/");
    }

    @Test
    void generatesFreshKeysPerSubscription() {
      PushServiceSubscription a = service.subscribe();
      PushServiceSubscription b = service.subscribe();

      assertThat(a.keys().publicKey()).isNotEqualTo(b.keys().publicKey());
      assertThat(a.keys().authSecret()).isNotEqualTo(b.keys().authSecret());
    }

    @Test
    void exposesTheWebPushSubscriptionAClientRegisters() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      WebPushSubscription wps = sub.toWebPushSubscription();

      assertThat(wps.pushResource()).isEqualTo(sub.pushResource());
      assertThat(wps.contentEncoding().token()).isEqualTo("aes128gcm");
      assertThat(wps.subscriptionPublicKey()).isEqualTo(sub.keys().publicKey());
      assertThat(wps.authSecret()).isEqualTo(sub.keys().authSecret());
      assertThat(sub.vapidKey()).contains(vapid.publicKey());
      assertThat(service.subscribe().vapidKey()).isEmpty();
    }

    @Test
    void keepsPushResourcePathOutOfToString() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      String id = uri(sub).getPath().substring("/push/".length());

      assertThat(sub.toString()).doesNotContain(id).contains("127.0.0.1");
      assertThat(service.toString()).doesNotContain(id);
    }
  }

  @Nested
  class AcceptedPushes {
    @Test
    void acceptsAValidRestrictedPushDecryptsAndVerifiesIt() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub)
              .header("Urgency", "high")
              .header("Topic", "calendar_1-update")
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).startsWith(service.origin() + "/message/"));
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations()).isEmpty();
      assertThat(push.status()).isEqualTo(201);
      assertThat(push.accepted()).isTrue();
      assertThat(push.method()).isEqualTo("POST");
      assertThat(push.plaintext()).hasValueSatisfying(p -> assertThat(p).isEqualTo(MESSAGE));
      assertThat(push.plaintextUtf8()).hasValue(new String(MESSAGE, StandardCharsets.UTF_8));
      assertThat(push.vapidClaims())
          .hasValueSatisfying(
              c -> {
                assertThat(c.audience()).isEqualTo(service.origin());
                assertThat(c.publicKey()).isEqualTo(vapid.publicKey());
                assertThat(c.subject()).hasValue("mailto:ops@example.org");
              });
    }

    @Test
    void acceptsAnUnrestrictedPushWithoutAuthorization() {
      PushServiceSubscription sub = service.subscribe(null);

      HttpResponse<String> response =
          TestPushClient.request()
              .header("TTL", "0")
              .header("Content-Encoding", "aes128gcm")
              .body(encryptFor(sub, MESSAGE))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(201);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations()).isEmpty();
      assertThat(push.vapidClaims()).isEmpty();
      assertThat(push.plaintext()).hasValueSatisfying(p -> assertThat(p).isEqualTo(MESSAGE));
    }

    @Test
    void acceptsABodyOfExactly4096Bytes() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      byte[] largest = new byte[WebPushEncryption.MAX_PLAINTEXT_LENGTH];
      Arrays.fill(largest, (byte) 'x');
      byte[] body = encryptFor(sub, largest);

      HttpResponse<String> response = validPush(sub).body(body).sendTo(uri(sub));

      assertThat(body).hasSize(4096);
      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().plaintext())
          .hasValueSatisfying(p -> assertThat(p).isEqualTo(largest));
    }

    @Test
    void acceptsAHugeTtlAsDigits() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub).header("TTL", "99999999999999999999999").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void recordsHeadersForCaseInsensitiveLookupAndTheRawBody() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      byte[] body = encryptFor(sub, MESSAGE);

      validPush(sub).body(body).header("Urgency", "low").sendTo(uri(sub));

      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.header("urgency")).hasValue("low");
      assertThat(push.header("URGENCY")).hasValue("low");
      assertThat(push.headers().get("content-encoding")).containsExactly("aes128gcm");
      assertThat(push.headerValues("ttl")).containsExactly("3600");
      assertThat(push.header("X-Absent")).isEmpty();
      assertThat(push.body()).isEqualTo(body);
      assertThat(push.bodyTruncated()).isFalse();
    }

    @Test
    void keepsTokenBodyAndPlaintextOutOfToString() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      String authorization = validAuthorization();

      validPush(sub).header("Authorization", authorization).sendTo(uri(sub));

      String text = sub.awaitMessage(WAIT).orElseThrow().toString();
      String token =
          authorization.substring(authorization.indexOf("t=") + 2, authorization.indexOf(','));
      assertThat(text)
          .contains("status=201")
          .doesNotContain(token.substring(token.length() - 20))
          .doesNotContain("push-message")
          .doesNotContain("/push/");
    }
  }

  @Nested
  class Violations {
    @Test
    void detectsAMissingTtl() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          TestPushClient.request()
              .header("Content-Encoding", "aes128gcm")
              .header("Authorization", validAuthorization())
              .body(encryptFor(sub, MESSAGE))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains(Violation.MISSING_TTL);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.MISSING_TTL);
      assertThat(push.status()).isEqualTo(400);
      assertThat(push.accepted()).isFalse();
      assertThat(push.plaintext()).isPresent();
    }

    @Test
    void detectsATtlThatIsNotDigits() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response = validPush(sub).header("TTL", "-1").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_TTL);
    }

    @Test
    void detectsAnUnknownUrgency() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response = validPush(sub).header("Urgency", "urgent").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_URGENCY);
    }

    @Test
    void detectsATopicLongerThan32Characters() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub).header("Topic", "a".repeat(33)).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_TOPIC);
    }

    @Test
    void detectsATopicOutsideTheBase64UrlAlphabet() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response = validPush(sub).header("Topic", "a/b").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().hasViolation(Violation.BAD_TOPIC)).isTrue();
    }

    @Test
    void detectsTheLegacyAesgcmEncodingAndDoesNotDecrypt() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub).header("Content-Encoding", "aesgcm").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_CONTENT_ENCODING);
      assertThat(push.violations().get(0).message()).contains("aesgcm");
      assertThat(push.plaintext()).isEmpty();
    }

    @Test
    void detectsAMissingContentEncoding() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          TestPushClient.request()
              .header("TTL", "60")
              .header("Authorization", validAuthorization())
              .body(encryptFor(sub, MESSAGE))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_CONTENT_ENCODING);
    }

    @Test
    void detectsABodyOver4096BytesWith413() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      byte[] big = new byte[4097];

      HttpResponse<String> response = validPush(sub).body(big).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(413);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BODY_TOO_LARGE);
      assertThat(push.body()).hasSize(4097);
    }

    @Test
    void keepsOnlyTheBeginningOfAnEnormousBody() {
      PushServiceSubscription sub = service.subscribe(null);
      byte[] enormous = new byte[EmbeddedPushService.MAX_RECORDED_BODY_BYTES + 10];

      HttpResponse<String> response = validPush(sub).body(enormous).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(413);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.bodyTruncated()).isTrue();
      assertThat(push.body()).hasSize(EmbeddedPushService.MAX_RECORDED_BODY_BYTES);
    }

    @Test
    void detectsAGarbageBodyThatDoesNotDecrypt() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      byte[] garbage = new byte[200];
      Arrays.fill(garbage, (byte) 0x5a);

      HttpResponse<String> response = validPush(sub).body(garbage).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.DECRYPT_FAILED);
      assertThat(push.plaintext()).isEmpty();
      assertThat(push.body()).isEqualTo(garbage);
    }

    @Test
    void detectsABodyEncryptedForAnotherSubscription() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      PushServiceSubscription other = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub).body(encryptFor(other, MESSAGE)).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().hasViolation(Violation.DECRYPT_FAILED))
          .isTrue();
    }

    @Test
    void detectsAMissingAuthorizationOnARestrictedSubscriptionWith401() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          TestPushClient.request()
              .header("TTL", "60")
              .header("Content-Encoding", "aes128gcm")
              .body(encryptFor(sub, MESSAGE))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(401);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_MISSING);
      assertThat(push.vapidClaims()).isEmpty();
    }

    @Test
    void detectsATokenSignedWithAnotherKeyWith403() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      VapidKeyPair other = VapidKeyPair.generate();

      HttpResponse<String> response =
          validPush(sub)
              .header(
                  "Authorization",
                  authorization(other, service.origin(), Instant.now().plus(Duration.ofHours(1))))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_KEY_MISMATCH);
    }

    @Test
    void detectsAnExpiredToken() {
      PushServiceSubscription sub = later(Duration.ofHours(2)).subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub)
              .header(
                  "Authorization",
                  authorization(
                      vapid, sub.pushResource().origin(), Instant.now().plus(Duration.ofHours(1))))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_EXPIRED);
      assertThat(push.vapidClaims()).isPresent();
    }

    @Test
    void detectsATokenValidForMoreThan24Hours() {
      PushServiceSubscription sub = later(Duration.ofHours(-48)).subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub)
              .header(
                  "Authorization",
                  authorization(
                      vapid, sub.pushResource().origin(), Instant.now().plus(Duration.ofHours(1))))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_EXPIRY_TOO_FAR);
    }

    @Test
    void detectsATokenForAnotherAudience() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub)
              .header(
                  "Authorization",
                  authorization(
                      vapid, "https://push.example.net", Instant.now().plus(Duration.ofHours(1))))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_AUDIENCE_MISMATCH);
      assertThat(push.violations().get(0).message()).contains("https://push.example.net");
    }

    @Test
    void detectsATamperedSignature() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      String header = validAuthorization();
      int comma = header.indexOf(',');
      char last = header.charAt(comma - 1);
      String tampered =
          header.substring(0, comma - 2)
              + (header.charAt(comma - 2) == 'A' ? 'B' : 'A')
              + last
              + header.substring(comma);

      HttpResponse<String> response =
          validPush(sub).header("Authorization", tampered).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_INVALID);
      assertThat(push.vapidClaims()).isEmpty();
    }

    @Test
    void detectsANonVapidAuthorizationScheme() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub)
              .header("Authorization", "WebPush eyJ0eXAiOiJKV1QifQ.e30.c2ln")
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_INVALID);
      assertThat(push.violations().get(0).message()).contains("vapid");
    }

    @Test
    void detectsAnEcdhKeyThatIsTheVapidKey() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      byte[] body = encryptFor(sub, MESSAGE);
      System.arraycopy(vapid.publicKey().bytes(), 0, body, 21, 65);

      HttpResponse<String> response = validPush(sub).body(body).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.VAPID_KEY_REUSED, Violation.DECRYPT_FAILED);
    }

    @Test
    void checksAPresentTokenOnAnUnrestrictedSubscriptionToo() {
      PushServiceSubscription sub = service.subscribe(null);

      HttpResponse<String> response =
          validPush(sub)
              .header(
                  "Authorization",
                  authorization(
                      vapid, "https://push.example.net", Instant.now().plus(Duration.ofHours(1))))
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(
              sub.awaitMessage(WAIT).orElseThrow().hasViolation(Violation.VAPID_AUDIENCE_MISMATCH))
          .isTrue();
    }

    @Test
    void recordsEveryViolationAndAnswersTheMostImportant() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          TestPushClient.request()
              .header("Urgency", "soon")
              .header("Content-Encoding", "aesgcm")
              .body(new byte[5000])
              .sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(
              Violation.MISSING_TTL,
              Violation.BAD_URGENCY,
              Violation.BAD_CONTENT_ENCODING,
              Violation.BODY_TOO_LARGE,
              Violation.VAPID_MISSING);
    }

    @Test
    void answersOtherMethodsWith405AndRecordsThem() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response = TestPushClient.request().method("GET").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).hasValue("POST");
      ReceivedPush push = sub.awaitMessage(WAIT).orElseThrow();
      assertThat(push.method()).isEqualTo("GET");
      assertThat(push.violations())
          .extracting(Violation::code)
          .containsExactly(Violation.METHOD_NOT_ALLOWED);
    }

    @Test
    void answersHeadWith405WithoutABody() {
      PushServiceSubscription sub = service.subscribe(null);

      HttpResponse<String> response = TestPushClient.request().method("HEAD").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.body()).isEmpty();
      assertThat(sub.awaitMessage(WAIT).orElseThrow().hasViolation(Violation.METHOD_NOT_ALLOWED))
          .isTrue();
    }

    @Test
    void answersPathsBesideAndBelowAPushResourceWith404() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      int below = validPush(sub).sendTo(URI.create(uri(sub) + "/more")).statusCode();
      int bare = validPush(sub).sendTo(service.baseUri().resolve("push/")).statusCode();
      int root = validPush(sub).sendTo(service.baseUri()).statusCode();

      assertThat(new int[] {below, bare, root}).containsOnly(404);
      assertThat(service.unknownResourceRequests()).isEqualTo(3);
      assertThat(sub.received()).isEmpty();
    }

    @Test
    void answersUnknownPushResourcesWith404AndCountsThem() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      HttpResponse<String> response =
          validPush(sub).sendTo(service.baseUri().resolve("push/AAAAAAAAAAAAAAAAAAAAAA"));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(service.unknownResourceRequests()).isEqualTo(1);
      assertThat(sub.received()).isEmpty();
    }

    private EmbeddedPushService later(Duration offset) {
      service.close();
      service =
          EmbeddedPushService.builder().clock(Clock.offset(Clock.systemUTC(), offset)).start();
      return service;
    }
  }

  @Nested
  class ScriptedAnswers {
    @Test
    void answersAScripted410OnceThenAcceptsAgain() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(410);

      HttpResponse<String> first = validPush(sub).sendTo(uri(sub));
      HttpResponse<String> second = validPush(sub).sendTo(uri(sub));

      assertThat(first.statusCode()).isEqualTo(410);
      assertThat(second.statusCode()).isEqualTo(201);
      assertThat(sub.received()).extracting(ReceivedPush::status).containsExactly(410, 201);
      assertThat(sub.received().get(0).violations()).isEmpty();
      assertThat(sub.received().get(0).plaintext()).isPresent();
    }

    @Test
    void answersAScripted429WithRetryAfter() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(429, "5");

      HttpResponse<String> response = validPush(sub).sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(429);
      assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(sub.awaitMessage(WAIT).orElseThrow().status()).isEqualTo(429);
    }

    @Test
    void usesScriptedAnswersInOrder() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(503);
      sub.answerWith(404);
      sub.answerWith(413);

      int a = validPush(sub).sendTo(uri(sub)).statusCode();
      int b = validPush(sub).sendTo(uri(sub)).statusCode();
      int c = validPush(sub).sendTo(uri(sub)).statusCode();
      int d = validPush(sub).sendTo(uri(sub)).statusCode();

      assertThat(new int[] {a, b, c, d}).containsExactly(503, 404, 413, 201);
    }

    @Test
    void stillRecordsViolationsUnderAScriptedAnswer() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(500);

      HttpResponse<String> response = validPush(sub).header("TTL", "soon").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(sub.awaitMessage(WAIT).orElseThrow().violations())
          .extracting(Violation::code)
          .containsExactly(Violation.BAD_TTL);
    }

    @Test
    void answersAScripted201WithALocation() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(201);

      HttpResponse<String> response = validPush(sub).header("TTL", "x").sendTo(uri(sub));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("Location")).isPresent();
    }

    @Test
    void answersGoneForeverAfterUnsubscribe() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      sub.answerWith(429);
      sub.unsubscribe();
      sub.unsubscribe();

      int a = validPush(sub).sendTo(uri(sub)).statusCode();
      int b = validPush(sub).sendTo(uri(sub)).statusCode();

      assertThat(a).isEqualTo(410);
      assertThat(b).isEqualTo(410);
      assertThat(sub.isUnsubscribed()).isTrue();
      assertThat(sub.received()).hasSize(2).allSatisfy(p -> assertThat(p.violations()).isEmpty());
    }

    @Test
    void refusesStatusesOutside200To599() {
      PushServiceSubscription sub = service.subscribe();

      assertThatThrownBy(() -> sub.answerWith(199))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("199");
      assertThatThrownBy(() -> sub.answerWith(600)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sub.answerWith(429, "5\r\nX: y"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sub.answerWith(429, " "))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Waiting {
    @Test
    void awaitMessageReturnsEmptyAfterTheTimeout() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      long start = System.nanoTime();

      Optional<ReceivedPush> none = sub.awaitMessage(Duration.ofMillis(200));

      assertThat(none).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void awaitMessageWithZeroTimeoutDoesNotWait() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());

      assertThat(sub.awaitMessage(Duration.ZERO)).isEmpty();
    }

    @Test
    void awaitMessageWakesUpWhenAPushArrives() throws Exception {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      CountDownLatch waiting = new CountDownLatch(1);
      CompletableFuture<Optional<ReceivedPush>> awaited =
          CompletableFuture.supplyAsync(
              () -> {
                waiting.countDown();
                return sub.awaitMessage(Duration.ofSeconds(30));
              });
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

      validPush(sub).sendTo(uri(sub));

      assertThat(awaited.get(10, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void awaitMessageReturnsEachPushOnceInArrivalOrder() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      validPush(sub).header("Topic", "first").sendTo(uri(sub));
      validPush(sub).header("TTL", "bad").header("Topic", "second").sendTo(uri(sub));

      ReceivedPush a = sub.awaitMessage(WAIT).orElseThrow();
      ReceivedPush b = sub.awaitMessage(WAIT).orElseThrow();

      assertThat(a.header("Topic")).hasValue("first");
      assertThat(b.header("Topic")).hasValue("second");
      assertThat(b.accepted()).isFalse();
      assertThat(sub.awaitMessage(Duration.ofMillis(50))).isEmpty();
      assertThat(sub.received()).containsExactly(a, b);
    }

    @Test
    void expectNothingIsTrueWhenQuiet() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      validPush(sub).sendTo(uri(sub));

      assertThat(sub.expectNothing(Duration.ofMillis(200))).isTrue();
      assertThat(sub.awaitMessage(Duration.ZERO)).isPresent();
    }

    @Test
    void expectNothingIsFalseAsSoonAsAPushArrives() throws Exception {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      CountDownLatch waiting = new CountDownLatch(1);
      long start = System.nanoTime();
      CompletableFuture<Boolean> quiet =
          CompletableFuture.supplyAsync(
              () -> {
                waiting.countDown();
                return sub.expectNothing(Duration.ofSeconds(30));
              });
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

      validPush(sub).sendTo(uri(sub));

      assertThat(quiet.get(20, TimeUnit.SECONDS)).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Nested
  class Concurrency {
    @Test
    void recordsEveryOneOfManyConcurrentPushes() throws Exception {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      int count = 24;
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] body = encryptFor(sub, ("message " + i).getBytes(StandardCharsets.UTF_8));
        answers.add(
            CompletableFuture.supplyAsync(
                () -> validPush(sub).body(body).sendTo(uri(sub)).statusCode()));
      }

      for (CompletableFuture<Integer> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(201);
      }
      Set<String> texts = new HashSet<>();
      for (int i = 0; i < count; i++) {
        texts.add(sub.awaitMessage(WAIT).orElseThrow().plaintextUtf8().orElseThrow());
      }
      assertThat(texts).hasSize(count).contains("message 0", "message " + (count - 1));
      assertThat(sub.received()).hasSize(count);
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void closeIsIdempotentAndStopsListening() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      URI target = uri(sub);

      service.close();
      service.close();

      assertThat(service.isClosed()).isTrue();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(5))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(ConnectException.class);
    }

    @Test
    void refusesNewSubscriptionsAfterClose() {
      service.close();

      assertThatThrownBy(() -> service.subscribe(null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }

    @Test
    void keepsRecordsReadableAfterClose() {
      PushServiceSubscription sub = service.subscribe(vapid.publicKey());
      validPush(sub).sendTo(uri(sub));

      service.close();

      assertThat(sub.received()).hasSize(1);
    }

    @Test
    void reportsATakenPortAsPushServiceException() {
      int taken = service.port();

      assertThatThrownBy(() -> EmbeddedPushService.start(taken))
          .isInstanceOf(PushServiceException.class)
          .hasMessageContaining(String.valueOf(taken));
    }

    @Test
    void refusesAPortOutOfRange() {
      assertThatThrownBy(() -> EmbeddedPushService.start(65536))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> EmbeddedPushService.builder().port(-1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
