package dev.davpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.DeliveryException.Reason;
import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class DeliveryExceptionTest {
  @Test
  void theConstructorsWithoutAReasonGiveOther() {
    IOException cause = new IOException("boom");
    DeliveryException withCause = new DeliveryException("failed", cause);
    DeliveryException plain = new DeliveryException("failed");

    assertThat(withCause.reason()).isEqualTo(Reason.OTHER);
    assertThat(withCause.getCause()).isSameAs(cause);
    assertThat(plain.reason()).isEqualTo(Reason.OTHER);
    assertThat(plain.getCause()).isNull();
  }

  @Test
  void keepsTheGivenReasonMessageAndCause() {
    IOException cause = new IOException("reset");
    DeliveryException e = new DeliveryException(Reason.CONNECTION_FAILED, "no answer", cause);

    assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(e).hasMessage("no answer").hasCause(cause).isInstanceOf(PushException.class);
    assertThat(new DeliveryException(Reason.TLS, "handshake").reason()).isEqualTo(Reason.TLS);
  }

  @Test
  void refusesANullReason() {
    assertThatThrownBy(() -> new DeliveryException((Reason) null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> new DeliveryException((Reason) null, "x", new IOException()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void onlyFailuresThatMayPassLaterAreRetryable() {
    EnumSet<Reason> retryable = EnumSet.noneOf(Reason.class);
    for (Reason r : Reason.values()) {
      if (r.retryable()) {
        retryable.add(r);
      }
    }

    assertThat(retryable)
        .containsExactlyInAnyOrder(
            Reason.TIMEOUT,
            Reason.CONNECTION_FAILED,
            Reason.NAME_RESOLUTION,
            Reason.TLS,
            Reason.OTHER);
    assertThat(new DeliveryException(Reason.REFUSED_BY_POLICY, "ssrf").retryable()).isFalse();
    assertThat(new DeliveryException(Reason.ENCRYPTION, "bad key").retryable()).isFalse();
    assertThat(new DeliveryException(Reason.TIMEOUT, "slow").retryable()).isTrue();
  }
}
