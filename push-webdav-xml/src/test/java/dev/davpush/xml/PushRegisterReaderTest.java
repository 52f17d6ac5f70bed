package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PreconditionException;
import dev.davpush.PropertyName;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushRegisterReaderTest {
  static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  static final Clock DEC_2023 = Clock.fixed(Instant.parse("2023-12-01T00:00:00Z"), ZoneOffset.UTC);

  static RegisterRequest read(String name, Clock clock) {
    return PushRegisterReader.read(
        new ByteArrayInputStream(Golden.bytes(name)), XmlLimits.defaults(), clock);
  }

  static RegisterRequest readText(String xml) {
    return PushRegisterReader.read(xml.getBytes(StandardCharsets.UTF_8));
  }

  static String register(String subscriptionBody, String rest) {
    return "<push-register xmlns=\"https://bitfire.at/webdav-push\" xmlns:D=\"DAV:\">"
        + "<subscription><web-push-subscription>"
        + subscriptionBody
        + "</web-push-subscription></subscription>"
        + rest
        + "</push-register>";
  }

  static String keys() {
    return "<subscription-public-key type=\"p256dh\">"
        + UA_PUBLIC
        + "</subscription-public-key>"
        + "<auth-secret>"
        + AUTH
        + "</auth-secret>";
  }

  @Test
  void readsTheDraftSampleIntoTheModel() {
    RegisterRequest r = read("sample-push-register.xml", DEC_2023);

    WebPushSubscription s = (WebPushSubscription) r.subscription();
    assertThat(s.pushResource().uri().toString())
        .isEqualTo("https://up.example.net/yohd4yai5Phiz1wi");
    assertThat(s.contentEncoding()).isEqualTo(ContentEncoding.AES128GCM);
    assertThat(s.subscriptionPublicKey()).isEqualTo(P256PublicKey.fromBase64Url(UA_PUBLIC));
    assertThat(s.authSecret()).isEqualTo(AuthSecret.fromBase64Url(AUTH));
    assertThat(r.triggers())
        .containsExactly(
            new Trigger.ContentUpdate(Depth.INFINITY),
            new Trigger.PropertyUpdate(
                Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, PropertyName.of("DAV:", "owner"))));
    assertThat(r.expires()).isEqualTo(Instant.parse("2023-12-20T10:03:31Z"));
  }

  @Test
  void ignoresAnExpiryInThePast() {
    RegisterRequest r = read("sample-push-register.xml", Clock.systemUTC());

    assertThat(r.expires()).isNull();
  }

  @Test
  void ignoresAnUnparsableExpiry() {
    RegisterRequest r =
        readText(
            register(
                "<push-resource>https://p.example/x</push-resource>" + keys(),
                "<expires>tomorrow-ish</expires>"));

    assertThat(r.expires()).isNull();
  }

  @Test
  void readsAnRfc3339Expiry() {
    RegisterRequest r =
        readText(
            register(
                "<push-resource>https://p.example/x</push-resource>" + keys(),
                "<expires>2130-01-02T03:04:05Z</expires>"));

    assertThat(r.expires()).isEqualTo(Instant.parse("2130-01-02T03:04:05Z"));
  }

  @Test
  void treatsAMissingTriggerAsContentUpdateDepthOneAndMissingEncodingAsAes128gcm() {
    RegisterRequest r = read("register-davx5-no-trigger.xml", Clock.systemUTC());

    assertThat(r.triggers()).containsExactly(new Trigger.ContentUpdate(Depth.ONE));
    assertThat(((WebPushSubscription) r.subscription()).contentEncoding())
        .isEqualTo(ContentEncoding.AES128GCM);
    assertThat(r.expires()).isEqualTo(Instant.parse("2133-11-06T08:49:37Z"));
  }

  @Test
  void readsTheLegacyNamespaceSyncLevelInfiniteAndPaddedStandardBase64InAnyOrder() {
    RegisterRequest r = read("register-legacy-dav-push-2025-02.xml", DEC_2023);

    WebPushSubscription s = (WebPushSubscription) r.subscription();
    assertThat(s.pushResource().uri().toString())
        .isEqualTo("https://up.example.net/yohd4yai5Phiz1wi");
    assertThat(s.subscriptionPublicKey()).isEqualTo(P256PublicKey.fromBase64Url(UA_PUBLIC));
    assertThat(s.authSecret()).isEqualTo(AuthSecret.fromBase64Url(AUTH));
    assertThat(r.triggers())
        .containsExactly(
            new Trigger.PropertyUpdate(Depth.INFINITY), new Trigger.ContentUpdate(Depth.INFINITY));
    assertThat(r.expires()).isEqualTo(Instant.parse("2023-12-20T10:03:31Z"));
  }

  @Test
  void readsThe2023PushSubscribeForm() {
    RegisterRequest r = read("register-push-subscribe-2023.xml", Clock.systemUTC());

    WebPushSubscription s = (WebPushSubscription) r.subscription();
    assertThat(s.subscriptionPublicKey()).isEqualTo(P256PublicKey.fromBase64Url(UA_PUBLIC));
    assertThat(r.expires()).isEqualTo(Instant.parse("2133-11-06T08:49:37Z"));
  }

  @Test
  void refusesAnEncryptionLessRegistrationAsInvalidSubscription() {
    assertThatThrownBy(() -> read("register-2024-no-keys.xml", Clock.systemUTC()))
        .isInstanceOf(PreconditionException.class)
        .satisfies(
            e ->
                assertThat(((PreconditionException) e).precondition())
                    .isEqualTo(Precondition.INVALID_SUBSCRIPTION))
        .hasMessageContaining("subscription-public-key");
  }

  @Test
  void keepsAnotherContentEncodingAsRead() {
    RegisterRequest r =
        readText(
            register(
                "<push-resource>https://p.example/x</push-resource>"
                    + "<content-encoding>aesgcm</content-encoding>"
                    + keys(),
                ""));

    assertThat(((WebPushSubscription) r.subscription()).contentEncoding())
        .isEqualTo(ContentEncoding.AESGCM);
  }

  @Test
  void givesNoTriggersForATriggerWithoutUnderstoodChildren() {
    RegisterRequest r =
        readText(
            register(
                "<push-resource>https://p.example/x</push-resource>" + keys(),
                "<trigger><content-update><D:depth>7</D:depth></content-update><foo/></trigger>"));

    assertThat(r.triggers()).isEmpty();
  }

  @Test
  void readsAForeignSubscriptionAsOpaqueXml() {
    RegisterRequest r =
        readText(
            "<push-register xmlns=\"https://bitfire.at/webdav-push\">"
                + "<subscription><x:apns xmlns:x=\"urn:example\" env=\"prod\"><x:token>abc</x:token>"
                + "</x:apns></subscription></push-register>");

    ForeignSubscription f = (ForeignSubscription) r.subscription();
    assertThat(f.transport()).isEqualTo("apns");
    assertThat(f.namespaceUri()).isEqualTo("urn:example");
    assertThat(f.xml())
        .isEqualTo("<apns xmlns=\"urn:example\" env=\"prod\"><token>abc</token></apns>");
    assertThat(f.toString()).doesNotContain("abc");
  }

  @Test
  void refusesSemanticallyInvalidSubscriptions() {
    String key64 = P256PublicKey.fromBase64Url(UA_PUBLIC).toBase64Url().substring(0, 85);
    String offCurve =
        UA_PUBLIC.substring(0, 80)
            + (UA_PUBLIC.charAt(80) == 'A' ? "B" : "A")
            + UA_PUBLIC.substring(81);
    List<String> bodies =
        List.of(
            "<push-register xmlns=\"https://bitfire.at/webdav-push\"/>",
            "<push-register xmlns=\"https://bitfire.at/webdav-push\"><subscription/></push-register>",
            register(keys(), ""),
            register("<push-resource></push-resource>" + keys(), ""),
            register("<push-resource>/relative/path</push-resource>" + keys(), ""),
            register("<push-resource>ftp://p.example/x</push-resource>" + keys(), ""),
            register(
                "<push-resource>https://p.example/x</push-resource><subscription-public-key"
                    + " type=\"p256dh\">"
                    + key64
                    + "</subscription-public-key><auth-secret>"
                    + AUTH
                    + "</auth-secret>",
                ""),
            register(
                "<push-resource>https://p.example/x</push-resource><subscription-public-key"
                    + " type=\"p256dh\">"
                    + offCurve
                    + "</subscription-public-key><auth-secret>"
                    + AUTH
                    + "</auth-secret>",
                ""),
            register(
                "<push-resource>https://p.example/x</push-resource><subscription-public-key"
                    + " type=\"p256ecdsa\">"
                    + UA_PUBLIC
                    + "</subscription-public-key><auth-secret>"
                    + AUTH
                    + "</auth-secret>",
                ""),
            register(
                "<push-resource>https://p.example/x</push-resource><subscription-public-key"
                    + " type=\"p256dh\">"
                    + UA_PUBLIC
                    + "</subscription-public-key><auth-secret>"
                    + "BTBZMqHH6r4Tts7J_aSI</auth-secret>",
                ""),
            register(
                "<push-resource>https://p.example/x</push-resource><auth-secret>"
                    + AUTH
                    + "</auth-secret>",
                ""));
    for (String body : bodies) {
      assertThatThrownBy(() -> readText(body))
          .as(body)
          .isInstanceOfSatisfying(
              PreconditionException.class,
              e -> assertThat(e.precondition()).isEqualTo(Precondition.INVALID_SUBSCRIPTION));
    }
  }

  @Test
  void neverQuotesTheAuthSecretInAnError() {
    String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ";
    assertThatThrownBy(
            () ->
                readText(
                    register(
                        "<push-resource>https://p.example/x</push-resource>"
                            + "<subscription-public-key type=\"p256dh\">"
                            + UA_PUBLIC
                            + "</subscription-public-key>"
                            + "<auth-secret>"
                            + secret
                            + "</auth-secret>",
                        "")))
        .isInstanceOf(PreconditionException.class)
        .hasMessageNotContaining(secret);
  }

  @Test
  void rejectsAWrongRootElementWithItsPosition() {
    assertThatThrownBy(
            () -> readText("\n  <push-message xmlns=\"https://bitfire.at/webdav-push\"/>"))
        .isInstanceOfSatisfying(
            PushXmlException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isPositive();
            })
        .hasMessageContaining("push-register");
  }

  @Test
  void rejectsMalformedXmlWithLineAndColumn() {
    assertThatThrownBy(
            () ->
                readText(
                    "<push-register xmlns=\"https://bitfire.at/webdav-push\">\n"
                        + "<subscription></push-register>"))
        .isInstanceOfSatisfying(
            PushXmlException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isPositive();
            });
  }

  @Test
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> PushRegisterReader.read(new byte[0]))
        .isInstanceOf(PushXmlException.class);
  }
}
