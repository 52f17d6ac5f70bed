package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.ForeignTransportDescriptor;
import dev.davpush.P256PublicKey;
import dev.davpush.Precondition;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every golden file parses to the expected model; current-draft ones write back byte-identically.
 */
class GoldenFilesTest {
  static final String VAPID =
      "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";
  static final Topic TOPIC = Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w");

  @Test
  void writesTheDraftRegistrationSampleBackInCompactForm() {
    RegisterRequest r =
        PushRegisterReaderTest.read("sample-push-register.xml", PushRegisterReaderTest.DEC_2023);

    assertThat(PushRegisterWriter.write(r)).isEqualTo(Golden.bytes("push-register-written.xml"));
  }

  @Test
  void readsTheWrittenRegistrationBackToTheSameModel() {
    RegisterRequest r =
        PushRegisterReaderTest.read("push-register-written.xml", PushRegisterReaderTest.DEC_2023);

    assertThat(r)
        .isEqualTo(
            PushRegisterReaderTest.read(
                "sample-push-register.xml", PushRegisterReaderTest.DEC_2023));
  }

  @Test
  void writesTheDigestPushMessageByteForByte() {
    byte[] written =
        PushMessageWriter.write(PushMessage.contentUpdate(TOPIC, "http://example.com/sync/10"));

    assertThat(written).isEqualTo(Golden.bytes("push-message-digest-10-1.xml")).hasSize(208);
    assertThat(
            PushMessageWriter.encoder()
                .encode(PushMessage.contentUpdate(TOPIC, "http://example.com/sync/10")))
        .isEqualTo(written);
  }

  @Test
  void readsTheDraftPushMessageSampleAndWritesItCompactly() {
    PushMessage m = PushMessageReader.read(Golden.bytes("sample-push-message.xml"));

    assertThat(m.topic()).contains(TOPIC);
    assertThat(m.contentUpdate())
        .contains(new PushMessage.ContentUpdate("http://example.com/sync/10"));
    assertThat(m.propertyUpdate()).contains(new PushMessage.PropertyUpdate());
    assertThat(PushMessageWriter.write(m))
        .isEqualTo(Golden.bytes("sample-push-message-written.xml"));
  }

  @Test
  void readsTheKeyRotationMessage() {
    PushMessage m = PushMessageReader.read(Golden.bytes("push-message-vapid-key.xml"));

    assertThat(m.isKeyRotation()).isTrue();
    assertThat(m).isEqualTo(PushMessage.keyRotation(WebDavPush.TRANSPORTS));
    assertThat(PushMessageWriter.write(m))
        .isEqualTo(Golden.bytes("push-message-vapid-key-written.xml"));
  }

  @Test
  void readsTheBarePropstatMessageOf2024() {
    PushMessage m = PushMessageReader.read(Golden.bytes("push-message-propstat-2024-09.xml"));

    assertThat(m)
        .isEqualTo(PushMessage.contentUpdate(Topic.of("personal"), "http://example.com/sync/3"));
  }

  @Test
  void readsTheWrappedPropstatMessageOf2024() {
    PushMessage m =
        PushMessageReader.read(Golden.bytes("push-message-wrapped-propstat-2024-11.xml"));

    assertThat(m)
        .isEqualTo(PushMessage.contentUpdate(Topic.of("personal"), "http://example.com/sync/4"));
  }

  @Test
  void readsTheNextcloud2024TopicOnlyMessageAsContentUpdate() {
    PushMessage m = PushMessageReader.read(Golden.bytes("push-message-nextcloud-2024.xml"));

    assertThat(m).isEqualTo(PushMessage.contentUpdate(Topic.of("personal"), null));
  }

  @Test
  void readsTheDraftMultistatusSampleWithoutPropstat() {
    List<DavResponse> rs = MultistatusReader.read(Golden.bytes("sample-propfind-multistatus.xml"));

    assertThat(rs).hasSize(1);
    DavResponse r = rs.get(0);
    assertThat(r.href()).isEqualTo("/webdav/collection/");
    assertThat(r.transports())
        .contains(List.of(new WebPushTransportDescriptor(P256PublicKey.fromBase64Url(VAPID))));
    assertThat(r.topic()).contains(TOPIC);
    assertThat(r.supportedTriggers()).contains(SupportedTriggers.of(Depth.ONE, Depth.ZERO));
    assertThat(r.status(WebDavPush.TOPIC)).isEqualTo(OptionalInt.of(200));
  }

  @Test
  void readsPropstatStatusesSoThatA404IsVisible() {
    List<DavResponse> rs = MultistatusReader.read(Golden.bytes("multistatus-propstat-404.xml"));

    DavResponse collection = rs.get(0);
    assertThat(collection.resourceTypes())
        .containsExactlyInAnyOrder(
            PropertyName.of("DAV:", "collection"),
            PropertyName.of("urn:ietf:params:xml:ns:caldav", "calendar"));
    assertThat(collection.text(PropertyName.DISPLAYNAME)).contains("Work");
    assertThat(collection.syncToken()).contains("http://example.com/ns/sync/1234");
    assertThat(collection.supportedTriggers())
        .contains(SupportedTriggers.contentUpdate(Depth.INFINITY));
    List<TransportDescriptor> transports = collection.transports().orElseThrow();
    assertThat(transports).hasSize(2);
    assertThat(transports.get(0)).isEqualTo(new WebPushTransportDescriptor(null));
    assertThat(transports.get(1))
        .isEqualTo(
            new ForeignTransportDescriptor(
                "urn:example:gw",
                "gateway",
                "<gateway xmlns=\"urn:example:gw\" kind=\"a\"><url>https://gw.example/</url>"
                    + "</gateway>"));

    DavResponse member = rs.get(1);
    assertThat(member.transports()).contains(List.of());
    assertThat(member.topic()).isEmpty();
    assertThat(member.status(WebDavPush.TOPIC)).isEqualTo(OptionalInt.of(404));
    assertThat(member.status(WebDavPush.SUPPORTED_TRIGGERS)).isEqualTo(OptionalInt.of(404));
    assertThat(member.status(PropertyName.DISPLAYNAME)).isEmpty();
  }

  @Test
  void readsTheLegacyPushTransportsWithTransportWrappers() {
    DavResponse r =
        MultistatusReader.read(Golden.bytes("multistatus-legacy-push-transports.xml")).get(0);

    List<TransportDescriptor> t = r.transports().orElseThrow();
    assertThat(t.get(0))
        .isEqualTo(new WebPushTransportDescriptor(P256PublicKey.fromBase64Url(VAPID)));
    assertThat(t.get(1).name()).isEqualTo("unifiedpush");
    assertThat(r.topic()).contains(Topic.of("personal"));
    assertThat(r.supportedTriggers()).contains(SupportedTriggers.contentUpdate(Depth.INFINITY));
  }

  @Test
  void readsApplePushTransportsAndPushKey() {
    DavResponse r = MultistatusReader.read(Golden.bytes("multistatus-apple.xml")).get(0);

    assertThat(r.applePushTransports())
        .contains(
            List.of(
                ApplePushTransport.apsd(
                    "https://server.example.com:8443/apns",
                    "com.apple.calendar.XServer.934668ca-125e-4246-afee-8cf2df37aab8",
                    "PRODUCTION",
                    Duration.ofSeconds(172800))));
    assertThat(r.applePushKey()).contains("6D6241DC-5981-4D87-9B71-672203E81ACB/");
    assertThat(r.topic()).isEmpty();
  }

  @Test
  void readsCalConnectDiscoveryWithTheExampleSpellings() {
    DavResponse r = MultistatusReader.read(Golden.bytes("multistatus-calconnect.xml")).get(0);

    CalConnectDiscovery d = r.calConnectDiscovery().orElseThrow();
    assertThat(d.subscribeUrl()).isEqualTo("https://dav.example.com/push/subscribe");
    assertThat(d.topic()).isEqualTo("123");
    assertThat(d.version()).isEqualTo("1");
    assertThat(d.transports())
        .containsExactly(
            new CalConnectTransport(
                "https://push.example.com/transport", null, Duration.ofSeconds(172800)),
            new CalConnectTransport(
                "urn:uuid:01234567-0123-0123-0123-0123456789ab", null, Duration.ofSeconds(172800)),
            new CalConnectTransport(null, null, null));
    assertThat(d.transports().get(2).isClientProvided()).isTrue();
    assertThat(r.topic()).isEmpty();
  }

  @Test
  void readsAndWritesTheCalConnectSubscribeBody() {
    CalConnectSubscribe s =
        CalConnect.readSubscribe(
            new ByteArrayInputStream(Golden.bytes("calconnect-subscribe.xml")));

    assertThat(s)
        .isEqualTo(
            new CalConnectSubscribe(
                List.of("123", "abc"),
                "https://push.example.com/transport",
                "XYZ",
                Instant.parse("2017-10-07T12:00:00Z")));
    assertThat(s.toString()).doesNotContain("XYZ");
    assertThat(CalConnect.writeSubscribe(s))
        .isEqualTo(Golden.bytes("calconnect-subscribe-written.xml"));
  }

  @Test
  void writesEveryErrorBodyByteForByte() {
    assertThat(ErrorWriter.write(Precondition.NO_SUPPORTED_TRIGGER))
        .isEqualTo(Golden.bytes("error-no-supported-trigger.xml"));
    assertThat(ErrorWriter.write(Precondition.PUSH_NOT_AVAILABLE))
        .isEqualTo(Golden.bytes("error-push-not-available.xml"));
    assertThat(ErrorWriter.write(Precondition.INVALID_SUBSCRIPTION))
        .isEqualTo(Golden.bytes("error-invalid-subscription.xml"));
  }

  @Test
  void readsEveryErrorBodyIncludingTheHistoricalTriggerSpelling() {
    assertThat(ErrorReader.read(Golden.bytes("error-no-supported-trigger.xml")))
        .containsExactly(Precondition.NO_SUPPORTED_TRIGGER);
    assertThat(ErrorReader.read(Golden.bytes("error-push-not-available.xml")))
        .containsExactly(Precondition.PUSH_NOT_AVAILABLE);
    assertThat(ErrorReader.read(Golden.bytes("error-invalid-subscription.xml")))
        .containsExactly(Precondition.INVALID_SUBSCRIPTION);
    assertThat(ErrorReader.read(Golden.bytes("error-trigger-not-supported-2025-03.xml")))
        .containsExactly(Precondition.NO_SUPPORTED_TRIGGER);
  }

  @Test
  void readsAnErrorWithoutWebDavPushConditionsAsEmpty() {
    assertThat(
            ErrorReader.read(
                "<D:error xmlns:D=\"DAV:\"><D:need-privileges/></D:error>"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void readsTheRfc8291VectorKeysOfTheSampleRegistration() {
    RegisterRequest r =
        PushRegisterReaderTest.read("sample-push-register.xml", PushRegisterReaderTest.DEC_2023);

    assertThat(((dev.davpush.WebPushSubscription) r.subscription()).subscriptionPublicKey().bytes())
        .startsWith(0x04, 0x25, 0x71, 0xb2);
    assertThat(Set.of(r.triggers().get(0).depth())).containsExactly(Depth.INFINITY);
  }
}
