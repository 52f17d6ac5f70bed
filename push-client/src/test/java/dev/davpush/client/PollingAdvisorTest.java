package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollingAdvisorTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final PollingAdvisor exact = PollingAdvisor.builder().jitter(0).build();

  @Test
  void intervalsPerStateWithoutJitter() {
    assertThat(exact.recommend(PushState.ACTIVE, NOW, null).interval())
        .isEqualTo(Duration.ofHours(6));
    assertThat(exact.recommend(PushState.REGISTERED_UNCONFIRMED, NOW, null).interval())
        .isEqualTo(Duration.ofHours(1));
    for (PushState s :
        List.of(PushState.FAILING, PushState.EXPIRED, PushState.REFUSED, PushState.NOT_OFFERED)) {
      assertThat(exact.recommend(s, NOW, null).interval()).isEqualTo(Duration.ofMinutes(15));
    }
  }

  @Test
  void serverRefreshIntervalCapsButNeverBelowTheMinimum() {
    assertThat(exact.recommend(PushState.ACTIVE, NOW, Duration.ofHours(2)).interval())
        .isEqualTo(Duration.ofHours(2));
    assertThat(exact.recommend(PushState.ACTIVE, NOW, Duration.ofSeconds(10)).interval())
        .isEqualTo(PollingAdvisor.DEFAULT_MINIMUM);
    assertThat(exact.recommend(PushState.EXPIRED, NOW, Duration.ofDays(2)).interval())
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void assessesTheStateFromWhatTheClientSaw() {
    PushRegistration live = registration(NOW.plusSeconds(3600));
    PushRegistration dead = registration(NOW.minusSeconds(1));
    assertThat(PollingAdvisor.assess(false, false, null, null, null, NOW))
        .isEqualTo(PushState.NOT_OFFERED);
    assertThat(PollingAdvisor.assess(true, true, null, null, null, NOW))
        .isEqualTo(PushState.REFUSED);
    assertThat(PollingAdvisor.assess(true, false, dead, null, null, NOW))
        .isEqualTo(PushState.EXPIRED);
    assertThat(PollingAdvisor.assess(true, false, live, null, null, NOW))
        .isEqualTo(PushState.REGISTERED_UNCONFIRMED);
    assertThat(PollingAdvisor.assess(true, false, live, NOW.minusSeconds(60), null, NOW))
        .isEqualTo(PushState.ACTIVE);
    assertThat(
            PollingAdvisor.assess(
                true, false, live, NOW.minusSeconds(60), NOW.minusSeconds(10), NOW))
        .isEqualTo(PushState.FAILING);
    assertThat(
            PollingAdvisor.assess(
                true, false, live, NOW.minusSeconds(10), NOW.minusSeconds(60), NOW))
        .isEqualTo(PushState.ACTIVE);
  }

  @Test
  void refusesBoundsThatWouldStopPollingOrHammer() {
    assertThatThrownBy(() -> PollingAdvisor.builder().maximum(Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R-WDP-1");
    assertThatThrownBy(() -> PollingAdvisor.builder().minimum(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                PollingAdvisor.builder()
                    .minimum(Duration.ofHours(2))
                    .maximum(Duration.ofHours(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PushRegistration registration(Instant expires) {
    UserAgentKeyPair k = UserAgentKeyPair.generate();
    return PushRegistration.builder()
        .registrationUrl(URI.create("https://dav.example.com/r/1"))
        .collection(URI.create("https://dav.example.com/cal/"))
        .subscription(
            WebPushSubscription.of(
                PushResource.parse("https://push.example.net/x"),
                k.publicKey(),
                AuthSecret.random()))
        .expires(expires)
        .granted(expires.minusSeconds(7200))
        .build();
  }
}
