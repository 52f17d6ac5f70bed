package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.spi.PushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WebPushTransportProvider}: configuration errors are documented exceptions. */
class WebPushTransportProviderTest {
  @Test
  void aMalformedPemPrivateKeyIsRefusedWithIllegalArgumentException() {
    String pem = "-----BEGIN PRIVATE KEY-----END PRIVATE KEY-----";
    WebPushTransportProvider provider = new WebPushTransportProvider();

    assertThatThrownBy(
            () -> provider.create(Map.of(WebPushTransportProvider.VAPID_PRIVATE_KEY, pem)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(WebPushTransportProvider.VAPID_PRIVATE_KEY);
  }

  @Test
  void readsTheConnectionLimitsAndRefusesInconsistentOnes() {
    WebPushTransportProvider provider = new WebPushTransportProvider();
    String key = VapidKeyPair.generate().privateKeyBase64Url();

    try (PushTransport t =
        provider.create(
            Map.of(
                WebPushTransportProvider.VAPID_PRIVATE_KEY, key,
                WebPushTransportProvider.MAX_CONNECTIONS_PER_ORIGIN, "8",
                WebPushTransportProvider.MAX_CONNECTIONS_TOTAL, "16"))) {
      assertThat(t.name()).isEqualTo("web-push");
    }
    assertThatThrownBy(
            () ->
                provider.create(
                    Map.of(
                        WebPushTransportProvider.VAPID_PRIVATE_KEY,
                        key,
                        WebPushTransportProvider.MAX_CONNECTIONS_PER_ORIGIN,
                        "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(
            () ->
                provider.create(
                    Map.of(
                        WebPushTransportProvider.VAPID_PRIVATE_KEY, key,
                        WebPushTransportProvider.MAX_CONNECTIONS_PER_ORIGIN, "8",
                        WebPushTransportProvider.MAX_CONNECTIONS_TOTAL, "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnectionsTotal");
  }
}
