package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

/**
 * One rule of RFC 8030, RFC 8291 or RFC 8292 that a received push request broke, as found by {@link
 * EmbeddedPushService}. The {@link #code()} is one of the constants below (a stable, short,
 * kebab-case identifier a report can key on); the {@link #message()} explains what was expected and
 * what arrived, without secrets (no push resource path, token, key material or payload).
 *
 * <p>Each code implies the status the service answers when no scripted answer overrides it; when a
 * request breaks several rules, every violation is recorded and the status is chosen by the
 * priority {@code 405 > 401 > 403 > 413 > 400}.
 *
 * <p>Thread safety: immutable.
 *
 * @param code the rule broken, one of the constants of this class; not blank
 * @param message what was expected and what arrived; not blank
 */
public record Violation(String code, String message) {
  /** Method other than {@code POST} on a push resource (RFC 8030 §5); answered {@code 405}. */
  public static final String METHOD_NOT_ALLOWED = "method-not-allowed";

  /** No {@code TTL} header (RFC 8030 §5.2, R-8030-4); answered {@code 400}. */
  public static final String MISSING_TTL = "missing-ttl";

  /**
   * {@code TTL} not {@code 1*DIGIT} or sent more than once (RFC 8030 §5.2); answered {@code 400}.
   */
  public static final String BAD_TTL = "bad-ttl";

  /**
   * {@code Urgency} not one of {@code very-low}, {@code low}, {@code normal}, {@code high}, or sent
   * more than once (RFC 8030 §5.3, R-8030-5); answered {@code 400}.
   */
  public static final String BAD_URGENCY = "bad-urgency";

  /**
   * {@code Topic} not 1 to 32 characters of {@code [A-Za-z0-9_-]}, or sent more than once (RFC 8030
   * §5.4, R-8030-6); answered {@code 400}.
   */
  public static final String BAD_TOPIC = "bad-topic";

  /**
   * {@code Content-Encoding} absent or not exactly {@code aes128gcm} (RFC 8291 §4, R-WDP-57);
   * answered {@code 400}.
   */
  public static final String BAD_CONTENT_ENCODING = "bad-content-encoding";

  /** Body longer than 4096 bytes (RFC 8030 §7.2, RFC 8291 §4); answered {@code 413}. */
  public static final String BODY_TOO_LARGE = "body-too-large";

  /**
   * No {@code Authorization} header on a request to a restricted subscription (RFC 8292 §4.2,
   * R-8292-12); answered {@code 401}.
   */
  public static final String VAPID_MISSING = "vapid-missing";

  /**
   * {@code Authorization} is not a well-formed {@code vapid t=…, k=…} credential, or the JWT does
   * not verify with {@code k} (RFC 8292 §2–§3); answered {@code 403}.
   */
  public static final String VAPID_INVALID = "vapid-invalid";

  /**
   * The VAPID key {@code k} differs from the key the subscription was restricted to (RFC 8292
   * §4.2); answered {@code 403}.
   */
  public static final String VAPID_KEY_MISMATCH = "vapid-key-mismatch";

  /**
   * The JWT {@code aud} is not this service's origin {@code http://127.0.0.1:<port>} (RFC 8292 §2,
   * R-8292-2); answered {@code 403}.
   */
  public static final String VAPID_AUDIENCE_MISMATCH = "vapid-audience-mismatch";

  /** The JWT {@code exp} has passed (RFC 8292 §2); answered {@code 403}. */
  public static final String VAPID_EXPIRED = "vapid-expired";

  /** The JWT {@code exp} is more than 24 hours ahead (RFC 8292 §2); answered {@code 403}. */
  public static final String VAPID_EXPIRY_TOO_FAR = "vapid-expiry-too-far";

  /**
   * The {@code keyid} of the {@code aes128gcm} header (the application server's ephemeral ECDH key)
   * equals the VAPID signing key {@code k}: RFC 8292 §3.2 requires different keys, and a push
   * service should answer {@code 400} (R-8292-10).
   */
  public static final String VAPID_KEY_REUSED = "vapid-key-reused";

  /**
   * The body does not decrypt with the subscription's private key and auth secret (RFC 8291 §3–§4,
   * RFC 8188); answered {@code 400}.
   */
  public static final String DECRYPT_FAILED = "decrypt-failed";

  /**
   * Validates the parts.
   *
   * @param code the rule broken, one of the constants of this class; not blank
   * @param message what was expected and what arrived; not blank
   * @throws IllegalArgumentException if code or message is blank
   */
  public Violation {
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    if (code.isBlank()) {
      throw new IllegalArgumentException("violation: code must not be blank");
    }
    if (message.isBlank()) {
      throw new IllegalArgumentException("violation: message must not be blank");
    }
  }

  /**
   * The HTTP status this violation calls for, as described on each code constant.
   *
   * @return 405, 401, 403, 413 or 400 (400 for codes this class does not define)
   */
  public int impliedStatus() {
    switch (code) {
      case METHOD_NOT_ALLOWED:
        return 405;
      case VAPID_MISSING:
        return 401;
      case VAPID_INVALID:
      case VAPID_KEY_MISMATCH:
      case VAPID_AUDIENCE_MISMATCH:
      case VAPID_EXPIRED:
      case VAPID_EXPIRY_TOO_FAR:
        return 403;
      case BODY_TOO_LARGE:
        return 413;
      default:
        return 400;
    }
  }
}
