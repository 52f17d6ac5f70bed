package dev.davpush.testkit.pushservice;

import dev.davpush.P256PublicKey;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidClaims;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks one request to a push resource against RFC 8030, RFC 8291 and RFC 8292 and decrypts its
 * body. Pure: no I/O, never throws for bad input; every fault becomes a {@link Violation}.
 */
final class PushRequestInspector {
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final List<String> URGENCIES = List.of("very-low", "low", "normal", "high");

  private PushRequestInspector() {}

  /** What the inspection found. */
  static final class Result {
    final List<Violation> violations = new ArrayList<>();
    byte @Nullable [] plaintext;
    @Nullable VapidClaims claims;

    /** The status the violations call for: 201 if none, else the highest-priority one. */
    int status() {
      int best = 201;
      int bestRank = 0;
      for (Violation v : violations) {
        int s = v.impliedStatus();
        int rank = rank(s);
        if (rank > bestRank) {
          best = s;
          bestRank = rank;
        }
      }
      return best;
    }

    private static int rank(int status) {
      switch (status) {
        case 405:
          return 5;
        case 401:
          return 4;
        case 403:
          return 3;
        case 413:
          return 2;
        default:
          return 1;
      }
    }

    void add(String code, String message) {
      violations.add(new Violation(code, message));
    }
  }

  /**
   * Inspects a request.
   *
   * @param method the request method
   * @param headers the request headers (any map; looked up case-insensitively)
   * @param body the body as read, possibly truncated
   * @param bodyTruncated whether more than {@code body.length} bytes were sent
   * @param subscription the addressed subscription (keys, VAPID restriction)
   * @param origin this service's origin, the expected VAPID {@code aud}
   * @param now the service clock's current instant
   */
  static Result inspect(
      String method,
      Map<String, List<String>> headers,
      byte[] body,
      boolean bodyTruncated,
      PushServiceSubscription subscription,
      String origin,
      Instant now) {
    Result r = new Result();
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (k, v) ->
            h.merge(
                k,
                v,
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  all.addAll(b);
                  return all;
                }));
    if (!method.equals("POST")) {
      r.add(
          Violation.METHOD_NOT_ALLOWED,
          "expected POST on a push resource (RFC 8030 §5), got "
              + VapidCredential.abbreviate(method));
      return r;
    }
    checkTtl(h.get("TTL"), r);
    checkUrgency(h.get("Urgency"), r);
    checkTopic(h.get("Topic"), r);
    boolean aes128gcm = checkContentEncoding(h.get("Content-Encoding"), r);
    boolean sizeOk = !bodyTruncated && body.length <= EmbeddedPushService.MAX_BODY_BYTES;
    if (!sizeOk) {
      r.add(
          Violation.BODY_TOO_LARGE,
          "body is "
              + (bodyTruncated ? "more than " : "")
              + body.length
              + " bytes; a push service must accept at most 4096 and may refuse more "
              + "(RFC 8030 §7.2, RFC 8291 §4)");
    }
    P256PublicKey k =
        checkVapid(h.get("Authorization"), subscription.vapidKey().orElse(null), origin, now, r);
    if (k != null && aes128gcm && sameAsKeyId(body, k)) {
      r.add(
          Violation.VAPID_KEY_REUSED,
          "the aes128gcm keyid (ECDH key) equals the VAPID key k; RFC 8292 §3.2 requires "
              + "different keys");
    }
    if (aes128gcm && sizeOk) {
      try {
        r.plaintext = subscription.keys().decrypt(body);
      } catch (PushCryptoException | IllegalArgumentException e) {
        r.add(
            Violation.DECRYPT_FAILED,
            "body does not decrypt with the subscription's key and auth secret (RFC 8291): "
                + e.getMessage());
      }
    }
    return r;
  }

  private static void checkTtl(@Nullable List<String> values, Result r) {
    if (values == null || values.isEmpty()) {
      r.add(Violation.MISSING_TTL, "no TTL header; RFC 8030 §5.2 requires TTL = 1*DIGIT (seconds)");
      return;
    }
    if (values.size() > 1) {
      r.add(Violation.BAD_TTL, "TTL sent " + values.size() + " times; expected exactly once");
      return;
    }
    String v = values.get(0).strip();
    if (!DIGITS.matcher(v).matches()) {
      r.add(
          Violation.BAD_TTL,
          "TTL '" + VapidCredential.abbreviate(v) + "' is not 1*DIGIT (RFC 8030 §5.2)");
    }
  }

  private static void checkUrgency(@Nullable List<String> values, Result r) {
    if (values == null || values.isEmpty()) {
      return;
    }
    if (values.size() > 1) {
      r.add(
          Violation.BAD_URGENCY,
          "Urgency sent " + values.size() + " times; RFC 8030 §5.3 allows one value");
      return;
    }
    String v = values.get(0).strip();
    // ABNF string literals are case-insensitive (RFC 5234 §2.3)
    if (!URGENCIES.contains(v.toLowerCase(Locale.ROOT))) {
      r.add(
          Violation.BAD_URGENCY,
          "Urgency '"
              + VapidCredential.abbreviate(v)
              + "' is not one of very-low, low, normal, high (RFC 8030 §5.3)");
    }
  }

  private static void checkTopic(@Nullable List<String> values, Result r) {
    if (values == null || values.isEmpty()) {
      return;
    }
    if (values.size() > 1) {
      r.add(Violation.BAD_TOPIC, "Topic sent " + values.size() + " times; expected at most once");
      return;
    }
    String v = values.get(0).strip();
    if (!TOPIC.matcher(v).matches()) {
      r.add(
          Violation.BAD_TOPIC,
          "Topic of "
              + v.length()
              + " characters is not 1..32 characters of [A-Za-z0-9_-] "
              + "(RFC 8030 §5.4)");
    }
  }

  private static boolean checkContentEncoding(@Nullable List<String> values, Result r) {
    if (values == null || values.isEmpty()) {
      r.add(
          Violation.BAD_CONTENT_ENCODING,
          "no Content-Encoding header; expected exactly 'aes128gcm' (RFC 8291 §4)");
      return false;
    }
    if (values.size() > 1) {
      r.add(
          Violation.BAD_CONTENT_ENCODING,
          "Content-Encoding sent " + values.size() + " times; expected exactly 'aes128gcm' once");
      return false;
    }
    String v = values.get(0).strip();
    // content codings are case-insensitive (RFC 9110 §8.4.1)
    if (!v.equalsIgnoreCase("aes128gcm")) {
      r.add(
          Violation.BAD_CONTENT_ENCODING,
          "Content-Encoding '"
              + VapidCredential.abbreviate(v)
              + "'; expected exactly 'aes128gcm' (RFC 8291 §4; 'aesgcm' is the legacy draft coding)");
      return false;
    }
    return true;
  }

  /** Whether the RFC 8188 header carries a 65-byte keyid equal to {@code k}. */
  private static boolean sameAsKeyId(byte[] body, P256PublicKey k) {
    int keyIdStart = 16 + 4 + 1;
    if (body.length < keyIdStart + P256PublicKey.LENGTH
        || (body[keyIdStart - 1] & 0xff) != P256PublicKey.LENGTH) {
      return false;
    }
    byte[] keyId = Arrays.copyOfRange(body, keyIdStart, keyIdStart + P256PublicKey.LENGTH);
    return MessageDigest.isEqual(keyId, k.bytes());
  }

  /** Checks the credential; returns the parsed key {@code k}, or null if there is none. */
  private static @Nullable P256PublicKey checkVapid(
      @Nullable List<String> values,
      @Nullable P256PublicKey restrictedTo,
      String origin,
      Instant now,
      Result r) {
    if (values == null || values.isEmpty()) {
      if (restrictedTo != null) {
        r.add(
            Violation.VAPID_MISSING,
            "no Authorization header on a restricted subscription (RFC 8292 §4.2)");
      }
      return null;
    }
    if (values.size() > 1) {
      r.add(
          Violation.VAPID_INVALID,
          "Authorization sent " + values.size() + " times; expected one vapid credential");
      return null;
    }
    String header = values.get(0);
    VapidCredential credential;
    P256PublicKey k;
    try {
      credential = VapidCredential.parse(header);
      k = P256PublicKey.fromBase64Url(credential.key);
    } catch (IllegalArgumentException e) {
      r.add(
          Violation.VAPID_INVALID,
          e.getMessage() == null ? "malformed vapid credential" : e.getMessage());
      return null;
    }
    if (restrictedTo != null && !restrictedTo.equals(k)) {
      r.add(
          Violation.VAPID_KEY_MISMATCH,
          "vapid key k differs from the key the subscription was restricted to (RFC 8292 §4.2)");
    }
    // Verify the signature at an instant inside the token's own validity window, so that
    // time faults are classified below against this service's clock, whatever Vapid.verify's
    // own time rules are.
    Instant reference = now;
    Long exp = credential.unverifiedExp;
    if (exp != null) {
      try {
        reference = Instant.ofEpochSecond(exp).minus(Duration.ofHours(1));
      } catch (DateTimeException | ArithmeticException e) {
        r.add(
            exp < 0 ? Violation.VAPID_EXPIRED : Violation.VAPID_EXPIRY_TOO_FAR,
            "exp " + exp + " is not a representable instant (RFC 8292 §2)");
        return k;
      }
    }
    VapidClaims claims;
    try {
      claims = Vapid.verify(header, reference);
    } catch (PushCryptoException | IllegalArgumentException e) {
      r.add(
          Violation.VAPID_INVALID, "vapid token does not verify (RFC 8292 §2): " + e.getMessage());
      return k;
    }
    r.claims = claims;
    String aud = claims.audience();
    if (!aud.equals(origin)) {
      r.add(
          Violation.VAPID_AUDIENCE_MISMATCH,
          "aud '"
              + VapidCredential.abbreviate(aud)
              + "' is not this push service's origin "
              + origin
              + " (RFC 8292 §2)");
    }
    if (!claims.publicKey().equals(k)) {
      r.add(Violation.VAPID_INVALID, "verified key differs from the k parameter");
    }
    Instant expiry = claims.expiry();
    if (!expiry.isAfter(now.minus(EmbeddedPushService.CLOCK_SKEW))) {
      r.add(
          Violation.VAPID_EXPIRED,
          "exp "
              + expiry
              + " has passed (now "
              + now
              + ", tolerance "
              + EmbeddedPushService.CLOCK_SKEW.toSeconds()
              + " s; RFC 8292 §2)");
    } else if (expiry.isAfter(
        now.plus(EmbeddedPushService.VAPID_MAX_LIFETIME).plus(EmbeddedPushService.CLOCK_SKEW))) {
      r.add(
          Violation.VAPID_EXPIRY_TOO_FAR,
          "exp "
              + expiry
              + " is more than 24 h after now "
              + now
              + " (tolerance "
              + EmbeddedPushService.CLOCK_SKEW.toSeconds()
              + " s; RFC 8292 §2)");
    }
    return k;
  }
}
