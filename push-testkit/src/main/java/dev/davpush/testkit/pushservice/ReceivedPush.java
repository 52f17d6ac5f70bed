package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

import dev.davpush.webpush.crypto.VapidClaims;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One request an {@link EmbeddedPushService} received on a push resource, accepted or not: what
 * arrived (method, headers, body), what the service made of it (plaintext, verified VAPID claims,
 * {@link Violation violations}) and the status it answered.
 *
 * <p>Holds secrets (the {@code Authorization} token, the ciphertext, the plaintext): accessors
 * return them for the test to inspect, {@link #toString()} prints none of them.
 *
 * <p>Thread safety: immutable; byte arrays are copied in and out.
 */
public final class ReceivedPush {
  private final Instant receivedAt;
  private final String method;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final boolean bodyTruncated;
  private final byte @Nullable [] plaintext;
  private final @Nullable VapidClaims vapidClaims;
  private final List<Violation> violations;
  private final int status;

  ReceivedPush(
      Instant receivedAt,
      String method,
      Map<String, List<String>> headers,
      byte[] body,
      boolean bodyTruncated,
      byte @Nullable [] plaintext,
      @Nullable VapidClaims vapidClaims,
      List<Violation> violations,
      int status) {
    this.receivedAt = requireNonNull(receivedAt, "receivedAt");
    this.method = requireNonNull(method, "method");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) ->
            copy.merge(
                name,
                List.copyOf(values),
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body.clone();
    this.bodyTruncated = bodyTruncated;
    this.plaintext = plaintext == null ? null : plaintext.clone();
    this.vapidClaims = vapidClaims;
    this.violations = List.copyOf(violations);
    this.status = status;
  }

  /**
   * When the service finished reading the request, by the service's clock.
   *
   * @return the instant
   */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * The request method as sent, for example {@code POST}.
   *
   * @return the method, upper case as received
   */
  public String method() {
    return method;
  }

  /**
   * Every request header, each name with its values in arrival order (one entry per field line).
   * Lookups with {@link Map#get} ignore case. Includes {@code Authorization}: treat as secret.
   *
   * @return an unmodifiable, case-insensitive map
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * The first value of a header, case-insensitively.
   *
   * @param name the header name, any case
   * @return the first field value, or empty if the header was absent
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(requireNonNull(name, "name"));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * All values of a header, case-insensitively, one per field line as received.
   *
   * @param name the header name, any case
   * @return the values; empty if the header was absent
   */
  public List<String> headerValues(String name) {
    List<String> values = headers.get(requireNonNull(name, "name"));
    return values == null ? List.of() : values;
  }

  /**
   * The raw request body (the {@code aes128gcm} ciphertext for a well-formed push). At most {@link
   * EmbeddedPushService#MAX_RECORDED_BODY_BYTES} bytes are kept; see {@link #bodyTruncated()}.
   *
   * @return a fresh copy of the bytes
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Whether the body was longer than {@link EmbeddedPushService#MAX_RECORDED_BODY_BYTES} and only
   * its beginning was kept.
   *
   * @return true if {@link #body()} is a prefix of what was sent
   */
  public boolean bodyTruncated() {
    return bodyTruncated;
  }

  /**
   * The decrypted payload (RFC 8291), if the body decrypted with the subscription's keys.
   *
   * @return a fresh copy of the plaintext, or empty if decryption was not possible or failed
   */
  public Optional<byte[]> plaintext() {
    return plaintext == null ? Optional.empty() : Optional.of(plaintext.clone());
  }

  /**
   * The decrypted payload as UTF-8 text (malformed sequences replaced), for XML assertions.
   *
   * @return the text, or empty if there is no plaintext
   */
  public Optional<String> plaintextUtf8() {
    return plaintext == null
        ? Optional.empty()
        : Optional.of(new String(plaintext, StandardCharsets.UTF_8));
  }

  /**
   * The claims of the VAPID token (RFC 8292 §2), present only if the {@code Authorization} header
   * carried a token whose signature verified with its {@code k}. Claims are recorded even if a
   * time, audience or key check then failed; see {@link #violations()}.
   *
   * @return the verified claims, or empty
   */
  public Optional<VapidClaims> vapidClaims() {
    return Optional.ofNullable(vapidClaims);
  }

  /**
   * The rules this request broke, in the order they were checked (method, {@code TTL}, {@code
   * Urgency}, {@code Topic}, {@code Content-Encoding}, size, VAPID, key reuse, decryption).
   *
   * @return an unmodifiable list; empty for a fully valid request
   */
  public List<Violation> violations() {
    return violations;
  }

  /**
   * Whether a violation with the given code was recorded.
   *
   * @param code one of the {@link Violation} constants
   * @return true if present
   */
  public boolean hasViolation(String code) {
    requireNonNull(code, "code");
    return violations.stream().anyMatch(v -> v.code().equals(code));
  }

  /**
   * The HTTP status the service answered: {@code 201} for an accepted push, the status a violation
   * implies, a scripted status ({@link PushServiceSubscription#answerWith(int)}) or {@code 410}
   * after {@link PushServiceSubscription#unsubscribe()}.
   *
   * @return the status code
   */
  public int status() {
    return status;
  }

  /**
   * Whether the service answered with a 2xx status.
   *
   * @return true for 200–299
   */
  public boolean accepted() {
    return status >= 200 && status < 300;
  }

  /** Status, method, body length and violation codes; never headers, body or plaintext. */
  @Override
  public String toString() {
    StringBuilder codes = new StringBuilder();
    for (Violation v : violations) {
      if (codes.length() > 0) {
        codes.append(", ");
      }
      codes.append(v.code());
    }
    return "ReceivedPush["
        + method
        + " at "
        + receivedAt
        + ", status="
        + status
        + ", bodyLength="
        + body.length
        + (bodyTruncated ? "+" : "")
        + ", decrypted="
        + (plaintext != null)
        + ", violations=["
        + codes
        + "]]";
  }
}
