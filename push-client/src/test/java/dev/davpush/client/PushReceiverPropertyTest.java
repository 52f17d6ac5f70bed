package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Topic;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import dev.davpush.xml.PushXmlException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever arrives, the receiver gives an event or one of its two typed exceptions. */
class PushReceiverPropertyTest {
  private static final UserAgentKeyPair KEYS = UserAgentKeyPair.generate();
  private static final PushReceiver RECEIVER = PushReceiver.of(KEYS, List.of());

  @Property
  void garbageBodiesAreACryptoError(@ForAll @Size(max = 400) byte[] body) {
    try {
      RECEIVER.receive(body);
      throw new AssertionError("garbage decrypted");
    } catch (PushCryptoException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void anyAuthenticPlaintextIsAnEventOrAnXmlError(@ForAll @Size(max = 600) byte[] plaintext) {
    byte[] body = WebPushEncryption.encrypt(plaintext, KEYS.publicKey(), KEYS.authSecret());
    try {
      PushEvent e = RECEIVER.receive(body);
      assertThat(e).isNotNull();
    } catch (PushXmlException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void anyTopicTextRoundTripsToUnmatchedWhenUnknown(@ForAll("topics") String topic) {
    byte[] xml =
        ("<push-message xmlns=\"https://bitfire.at/webdav-push\"><topic>"
                + topic
                + "</topic><content-update/></push-message>")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    PushEvent e = RECEIVER.read(xml);
    assertThat(e).isInstanceOf(PushEvent.Unmatched.class);
    assertThat(((PushEvent.Unmatched) e).topic()).isEqualTo(Topic.of(topic));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> topics() {
    return net.jqwik.api.Arbitraries.strings()
        .alpha()
        .numeric()
        .withChars('-', '_')
        .ofMinLength(1)
        .ofMaxLength(64);
  }
}
