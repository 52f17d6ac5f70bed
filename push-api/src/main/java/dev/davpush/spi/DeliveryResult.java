package dev.davpush.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The push service's answer to one push message, classified (digest check C-LIB-15, ambiguity
 * The HTTP status is data, never an exception.
 *
 * <p>Thread safety: immutable values.
 */
public sealed interface DeliveryResult
    permits DeliveryResult.Delivered,
        DeliveryResult.Gone,
        DeliveryResult.RetryLater,
        DeliveryResult.Rejected {

  /**
   * The HTTP status of the answer.
   *
   * @return the status code
   */
  int status();

  /**
   * Accepted by the push service: any 2xx; RFC 8030 §5 answers {@code 201}, UnifiedPush push
   * services prefer {@code 202}.
   *
   * @param status the status
   *     <p>Thread safety: immutable.
   */
  record Delivered(int status) implements DeliveryResult {}

  /**
   * The subscription no longer exists: {@code 404} or {@code 410} (RFC 8030 §7.3, R-WDP-45). The
   * engine removes every registration of the push resource.
   *
   * @param status the status
   *     <p>Thread safety: immutable.
   */
  record Gone(int status) implements DeliveryResult {}

  /**
   * Transient: {@code 429} or {@code 5xx}; try again later.
   *
   * @param status the status
   * @param retryAfter the push service's {@code Retry-After}, or null if absent
   *     <p>Thread safety: immutable.
   */
  record RetryLater(int status, @Nullable Duration retryAfter) implements DeliveryResult {
    /**
     * The requested delay.
     *
     * @return empty if the push service gave none
     */
    public Optional<Duration> retryAfterValue() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /**
   * Refused for another reason: {@code 400}, {@code 401}/{@code 403} (VAPID), {@code 413}, or an
   * unexpected status.
   *
   * @param status the status
   * @param reason a short explanation for logs and reports; never secrets
   *     <p>Thread safety: immutable.
   */
  record Rejected(int status, String reason) implements DeliveryResult {
    /**
     * Validates the reason.
     *
     * @param status as described on the record
     * @param reason as described on the record
     */
    public Rejected {
      requireNonNull(reason, "reason");
    }
  }

  /**
   * Classifies an HTTP status by the rules above.
   *
   * @param status the HTTP status
   * @param retryAfter {@code Retry-After} if the answer had one, else null
   * @return the classified result
   */
  static DeliveryResult classify(int status, @Nullable Duration retryAfter) {
    if (status >= 200 && status <= 299) {
      return new Delivered(status);
    }
    if (status == 404 || status == 410) {
      return new Gone(status);
    }
    if (status == 429 || (status >= 500 && status <= 599)) {
      return new RetryLater(status, retryAfter);
    }
    String reason =
        switch (status) {
          case 400 -> "bad request (malformed push request or crypto headers)";
          case 401, 403 -> "VAPID authorization refused (subscription bound to another key?)";
          case 413 -> "payload too large";
          default -> "unexpected status";
        };
    return new Rejected(status, reason);
  }
}
