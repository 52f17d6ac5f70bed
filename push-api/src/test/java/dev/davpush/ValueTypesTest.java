package dev.davpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
  @Test
  void aPushMessagePrintsItsShapeButNeitherTopicNorSyncToken() {
    PushMessage m =
        PushMessage.contentUpdate(Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w"), "http://example.com/sync/10");

    assertThat(m.toString())
        .contains("with sync-token")
        .doesNotContain("O7M1nQ7cKkKTKsoS_j6Z3w", "example.com/sync/10");
    assertThat(m.contentUpdate().orElseThrow().toString()).doesNotContain("sync/10");
  }

  @Test
  void randomTopicsAreTwentyTwoBase64UrlCharactersAndDistinct() {
    Topic a = Topic.random();
    assertThat(a.value()).matches("[A-Za-z0-9_-]{22}");
    assertThat(Topic.random()).isNotEqualTo(a);
  }

  @Test
  void topicRejectsEmptyOverlongAndControlCharacters() {
    assertThatThrownBy(() -> Topic.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Topic.of("x".repeat(Topic.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Topic.of("a\nb")).hasMessageContaining("control character");
    assertThat(Topic.of("x".repeat(Topic.MAX_LENGTH)).value()).hasSize(Topic.MAX_LENGTH);
  }

  @Test
  void depthParsesTheThreeTokensAndCoversByDistance() {
    assertThat(Depth.parse(" infinity ")).isEqualTo(Depth.INFINITY);
    assertThat(Depth.parse("0")).isEqualTo(Depth.ZERO);
    assertThatThrownBy(() -> Depth.parse("infinite")).hasMessageContaining("0, 1 or infinity");
    assertThat(Depth.ZERO.covers(0)).isTrue();
    assertThat(Depth.ZERO.covers(1)).isFalse();
    assertThat(Depth.ONE.covers(1)).isTrue();
    assertThat(Depth.ONE.covers(2)).isFalse();
    assertThat(Depth.INFINITY.covers(99)).isTrue();
    assertThat(Depth.INFINITY.min(Depth.ONE)).isEqualTo(Depth.ONE);
    assertThatThrownBy(() -> Depth.ONE.covers(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negotiateLowersDepthsDropsUnsupportedKindsAndKeepsTheFirstOfAKind() {
    SupportedTriggers st = SupportedTriggers.contentUpdate(Depth.ONE);
    List<Trigger> effective =
        st.negotiate(
            List.of(
                new Trigger.PropertyUpdate(Depth.ZERO),
                new Trigger.ContentUpdate(Depth.INFINITY),
                new Trigger.ContentUpdate(Depth.ZERO)));
    assertThat(effective).containsExactly(new Trigger.ContentUpdate(Depth.ONE));
    assertThat(st.negotiate(List.of())).isEmpty();
  }

  @Test
  void supportedTriggersNeedAtLeastOneKind() {
    assertThatThrownBy(() -> SupportedTriggers.of(null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R-WDP-9");
  }

  @Test
  void base64UrlWritesUnpaddedAndReadsEverySpelling() {
    byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x00, 0x01};
    assertThat(Base64Url.encode(bytes)).isEqualTo("-_8AAQ");
    assertThat(Base64Url.decode("-_8AAQ")).isEqualTo(bytes);
    assertThat(Base64Url.decode("+/8AAQ==")).isEqualTo(bytes);
    assertThat(Base64Url.decode("  -_8AAQ=\n")).isEqualTo(bytes);
  }

  @Test
  void base64UrlRejectsForeignCharactersMisplacedPaddingAndImpossibleLengths() {
    assertThatThrownBy(() -> Base64Url.decode("ab*d")).hasMessageContaining("outside the alphabet");
    assertThatThrownBy(() -> Base64Url.decode("ab=cd")).hasMessageContaining("padding");
    assertThatThrownBy(() -> Base64Url.decode("abcde"))
        .hasMessageContaining("valid encoded length");
  }

  @Test
  void mergeKeepsTheLaterSyncTokenAndUnitesPropertyUpdates() {
    Topic t = Topic.of("t");
    PushMessage content = PushMessage.contentUpdate(t, "s1");
    PushMessage later = PushMessage.contentUpdate(t, "s2");
    PushMessage prop =
        PushMessage.builder()
            .topic(t)
            .propertyUpdate(new PushMessage.PropertyUpdate(Set.of(PropertyName.DISPLAYNAME)))
            .build();
    PushMessage merged = prop.merge(content).merge(later);
    assertThat(merged.contentUpdate()).contains(new PushMessage.ContentUpdate("s2"));
    assertThat(merged.propertyUpdate())
        .contains(new PushMessage.PropertyUpdate(Set.of(PropertyName.DISPLAYNAME)));
    assertThat(content.merge(prop).propertyUpdate()).isPresent();
    assertThatThrownBy(() -> content.merge(PushMessage.contentUpdate(Topic.of("u"), null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyRotationMessageHasNoTopic() {
    PushMessage m =
        PushMessage.keyRotation(PropertyName.of("https://bitfire.at/webdav-push", "transports"));
    assertThat(m.isKeyRotation()).isTrue();
    assertThat(m.topic()).isEmpty();
  }

  @Test
  void authSecretIsRedactedComparedByValueAndSixteenBytes() {
    byte[] raw = new byte[16];
    raw[3] = 7;
    AuthSecret s = AuthSecret.of(raw);
    raw[3] = 9; // copied in
    assertThat(s.bytes()[3]).isEqualTo((byte) 7);
    assertThat(s).hasToString("[redacted]");
    assertThat(s).isEqualTo(AuthSecret.fromBase64Url(s.toBase64Url()));
    assertThat(s).isNotEqualTo(AuthSecret.random());
    assertThatThrownBy(() -> AuthSecret.of(new byte[15])).hasMessageContaining("16 bytes");
  }

  @Test
  void webPushSubscriptionHidesThePushResourcePathAndTheSecret() {
    AuthSecret secret = AuthSecret.random();
    WebPushSubscription s =
        WebPushSubscription.of(
            PushResource.parse("https://push.example/capability-token"),
            P256PublicKey.fromBase64Url(
                "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            secret);
    assertThat(s.toString())
        .doesNotContain("capability-token")
        .doesNotContain(secret.toBase64Url())
        .contains("push.example");
  }
}
