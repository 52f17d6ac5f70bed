package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushTransportDescriptor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden files of the older draft forms (digest §1.7) and ambiguity A-4. */
class LegacyFormsGoldenTest {
  static final Topic TOPIC = Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w");

  @Test
  void readsRepeatedPushMessageChildrenKeepingTheFirstOfEach() {
    PushMessage m = PushMessageReader.read(Golden.bytes("push-message-repeated-children-a4.xml"));

    assertThat(m)
        .isEqualTo(
            PushMessage.builder()
                .topic(TOPIC)
                .contentUpdate(new PushMessage.ContentUpdate("http://example.com/sync/11"))
                .propertyUpdate(
                    new PushMessage.PropertyUpdate(
                        Set.of(PropertyName.DISPLAYNAME, PropertyName.of("DAV:", "owner"))))
                .build());
  }

  @Test
  void readsThePropstatMessageWithDepthOfFebruary2025() {
    PushMessage m = PushMessageReader.read(Golden.bytes("push-message-depth-propstat-2025-02.xml"));

    assertThat(m).isEqualTo(PushMessage.contentUpdate(TOPIC, "http://example.com/sync/5"));
  }

  @Test
  void readsTheWorkInProgressTriggerNameOnWithSyncLevel() {
    RegisterRequest r = PushRegisterReader.read(Golden.bytes("register-trigger-on-2025-02.xml"));

    assertThat(r.triggers())
        .containsExactly(
            new Trigger.ContentUpdate(Depth.ONE),
            new Trigger.PropertyUpdate(Depth.ZERO, Set.of(PropertyName.DISPLAYNAME)));
  }

  @Test
  void readsSupportedTriggersWithAnEmptyContentUpdateAndServerPublicKey() {
    DavResponse r =
        MultistatusReader.read(Golden.bytes("multistatus-supported-triggers-2025-02.xml")).get(0);

    assertThat(r.supportedTriggers()).contains(SupportedTriggers.of(Depth.ONE, Depth.INFINITY));
    assertThat(r.transports())
        .contains(
            List.of(
                new WebPushTransportDescriptor(
                    P256PublicKey.fromBase64Url(GoldenFilesTest.VAPID))));
    assertThat(r.topic()).contains(TOPIC);
  }
}
