package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushMessageWriter;
import dev.davpush.xml.PushXmlException;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.junit.jupiter.api.Test;

class ReceivingAndOwnWritesTest {
  private final UserAgentKeyPair keys = UserAgentKeyPair.generate();
  private final Topic topic = Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w");
  private final PushRegistration reg =
      registration(URI.create("https://dav.example.com/push/r/io6Efei4ooph"), topic);

  private PushRegistration registration(URI url, Topic t) {
    return PushRegistration.builder()
        .registrationUrl(url)
        .collection(URI.create("https://dav.example.com/cal/work/"))
        .topic(t)
        .subscription(
            WebPushSubscription.of(
                PushResource.parse("https://push.example.net/secret-capability"),
                keys.publicKey(),
                keys.authSecret()))
        .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
        .expires(Instant.parse("2026-12-08T12:00:00Z"))
        .granted(Instant.parse("2026-12-01T12:00:00Z"))
        .build();
  }

  private byte[] encrypted(PushMessage m) {
    return WebPushEncryption.encrypt(
        PushMessageWriter.write(m), keys.publicKey(), keys.authSecret());
  }

  @Test
  void mapsAContentUpdateToItsCollectionWithTheSyncToken() {
    PushEvent e =
        PushReceiver.of(keys, List.of(reg))
            .receive(encrypted(PushMessage.contentUpdate(topic, "http://example.com/sync/10")));
    PushEvent.SyncCollection s = (PushEvent.SyncCollection) e;
    assertThat(s.collection()).isEqualTo(URI.create("https://dav.example.com/cal/work/"));
    assertThat(s.syncToken()).isEqualTo("http://example.com/sync/10");
    assertThat(s.contentChanged()).isTrue();
    assertThat(s.propertiesChanged()).isFalse();
    assertThat(s.alreadyHave("http://example.com/sync/10")).isTrue();
    assertThat(s.alreadyHave("http://example.com/sync/9")).isFalse();
    assertThat(s.alreadyHave(null)).isFalse();
  }

  @Test
  void aPropertyUpdateIsNeverSkipped() {
    PushMessage m =
        PushMessage.builder()
            .topic(topic)
            .contentUpdate(new PushMessage.ContentUpdate("t1"))
            .propertyUpdate(new PushMessage.PropertyUpdate(Set.of(PropertyName.DISPLAYNAME)))
            .build();
    PushEvent.SyncCollection s =
        (PushEvent.SyncCollection) PushReceiver.of(keys, List.of(reg)).receive(encrypted(m));
    assertThat(s.properties()).containsExactly(PropertyName.DISPLAYNAME);
    assertThat(s.alreadyHave("t1")).isFalse();
  }

  @Test
  void readsTheNextcloud2024TopicOnlyForm() {
    byte[] plain =
        "<push-message xmlns=\"DAV:Push\"><topic>O7M1nQ7cKkKTKsoS_j6Z3w</topic></push-message>"
            .getBytes(StandardCharsets.UTF_8);
    PushEvent e = PushReceiver.of(keys, List.of(reg)).read(plain);
    assertThat(e).isInstanceOf(PushEvent.SyncCollection.class);
    assertThat(((PushEvent.SyncCollection) e).syncToken()).isNull();
  }

  @Test
  void unknownTopicsAndKeyRotationsAreTheirOwnEvents() {
    PushReceiver r = PushReceiver.of(keys, List.of(reg));
    assertThat(r.receive(encrypted(PushMessage.contentUpdate(Topic.of("other"), null))))
        .isInstanceOf(PushEvent.Unmatched.class);
    assertThat(r.receive(encrypted(PushMessage.keyRotation(WebDavPush.TRANSPORTS))))
        .isInstanceOf(PushEvent.KeyRotation.class);
  }

  @Test
  void aMessageForOtherKeysOrGarbageIsATypedError() {
    PushReceiver r = PushReceiver.of(UserAgentKeyPair.generate(), List.of(reg));
    assertThatThrownBy(() -> r.receive(encrypted(PushMessage.contentUpdate(topic, null))))
        .isInstanceOf(PushCryptoException.class);
    assertThatThrownBy(() -> r.receive(new byte[] {1, 2, 3}))
        .isInstanceOf(PushCryptoException.class);
    byte[] notXml =
        WebPushEncryption.encrypt(
            "not xml".getBytes(StandardCharsets.UTF_8), keys.publicKey(), keys.authSecret());
    assertThatThrownBy(() -> PushReceiver.of(keys, List.of(reg)).receive(notXml))
        .isInstanceOf(PushXmlException.class);
  }

  @Test
  void ownWritesNameTheRegistrationUrlsExactlyAsReceived() {
    PushRegistration second =
        registration(URI.create("https://dav.example.com/push/r/Zz%20y"), Topic.of("b"));
    String v = OwnWrites.value(List.of(reg, second));
    assertThat(PushDontNotify.parse(List.of(v)).urls())
        .containsExactlyInAnyOrder(reg.registrationUrl(), second.registrationUrl());
    assertThat(v).contains("\"https://dav.example.com/push/r/io6Efei4ooph\"");
    HttpPut put = new HttpPut("https://dav.example.com/cal/work/e.ics");
    OwnWrites.addTo(put, List.of(reg));
    assertThat(put.getFirstHeader(OwnWrites.HEADER).getValue())
        .isEqualTo("\"https://dav.example.com/push/r/io6Efei4ooph\"");
    HttpPut none = new HttpPut("https://dav.example.com/cal/work/e.ics");
    OwnWrites.addTo(none, List.of());
    assertThat(none.getFirstHeader(OwnWrites.HEADER)).isNull();
    java.net.http.HttpRequest.Builder jdk =
        java.net.http.HttpRequest.newBuilder(URI.create("https://dav.example.com/x"));
    OwnWrites.addTo(jdk, List.of(reg));
    assertThat(jdk.build().headers().firstValue(OwnWrites.HEADER)).isPresent();
  }

  @Test
  void batchesSuppressAllButTheLast() {
    assertThat(OwnWrites.batchValue(0, 3, List.of(reg))).isEqualTo("*");
    assertThat(OwnWrites.batchValue(1, 3, List.of(reg))).isEqualTo("*");
    assertThat(OwnWrites.batchValue(2, 3, List.of(reg))).startsWith("\"https://");
    assertThatThrownBy(() -> OwnWrites.batchValue(3, 3, List.of(reg)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OwnWrites.value(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registrationsPrintWithoutSecrets() {
    assertThat(reg.toString())
        .doesNotContain("secret-capability")
        .doesNotContain("io6Efei4ooph")
        .doesNotContain(keys.authSecret().toBase64Url());
  }

  @Test
  void refreshIsDueBetween70And85PercentOfTheGrantedLifetime() {
    Instant granted = Instant.parse("2026-12-01T12:00:00Z");
    PushRegistration r =
        reg.toBuilder().granted(granted).expires(granted.plus(Duration.ofDays(10))).build();
    Random seeded = new Random(7);
    try (DavPushClient c =
        DavPushClient.builder()
            .clock(Clock.fixed(granted, ZoneOffset.UTC))
            .random(seeded)
            .build()) {
      for (int i = 0; i < 200; i++) {
        Instant at = c.nextRefresh(r);
        assertThat(at)
            .isBetween(granted.plus(Duration.ofDays(7)), granted.plus(Duration.ofHours(204)));
      }
    }
    try (DavPushClient late =
        DavPushClient.builder()
            .clock(Clock.fixed(granted.plus(Duration.ofDays(9)), ZoneOffset.UTC))
            .build()) {
      assertThat(late.nextRefresh(r)).isEqualTo(granted.plus(Duration.ofDays(9)));
    }
  }
}
