package dev.davpush.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10));

  @Test
  void doublesTheBackoffUpToTheCapWithJitterInItsUpperHalf() {
    assertThat(policy.delay(1, null, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(1, null, 0.999)).isLessThan(Duration.ofSeconds(2));
    assertThat(policy.delay(2, null, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(3, null, 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(4, null, 0.0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.delay(60, null, 0.0)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void neverWaitsLessThanRetryAfterEvenAboveTheCap() {
    assertThat(policy.delay(1, Duration.ofMinutes(3), 0.5)).isEqualTo(Duration.ofMinutes(3));
    assertThat(policy.delay(3, Duration.ofMillis(10), 0.0)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void validatesItsValues() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumAttempts");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maximumBackoff");
    assertThatThrownBy(() -> policy.delay(0, null, 0)).hasMessageContaining("attemptsSoFar");
    assertThatThrownBy(() -> policy.delay(1, null, 1.0)).hasMessageContaining("jitter");
  }
}
