package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
