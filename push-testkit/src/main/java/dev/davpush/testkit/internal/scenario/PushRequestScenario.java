package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_8030_4;
import static dev.davpush.testkit.RequirementCatalogue.R_8030_5;
import static dev.davpush.testkit.RequirementCatalogue.R_8030_6;
import static dev.davpush.testkit.RequirementCatalogue.R_8030_7;
import static dev.davpush.testkit.RequirementCatalogue.R_8291_6;
import static dev.davpush.testkit.RequirementCatalogue.R_8291_7;
import static dev.davpush.testkit.RequirementCatalogue.R_8291_9;
import static dev.davpush.testkit.RequirementCatalogue.R_8292_10;
import static dev.davpush.testkit.RequirementCatalogue.R_8292_2;
import static dev.davpush.testkit.RequirementCatalogue.R_8292_3;
import static dev.davpush.testkit.RequirementCatalogue.R_8292_5;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_48;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_54;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_59;

import dev.davpush.P256PublicKey;
import dev.davpush.PushException;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.pushservice.Violation;
import dev.davpush.webpush.crypto.Aes128GcmCodec;
import dev.davpush.webpush.crypto.VapidClaims;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The first push request as the kit's push service received it: HTTP form (RFC 8030 headers,
 * Content-Type), encryption (RFC 8291 header, one record, decryptable) and VAPID (RFC 8292).
 */
final class PushRequestScenario implements Scenario {
  @Override
  public String name() {
    return "push-request";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(
        R_8030_4, R_8030_5, R_8030_6, R_8030_7, R_WDP_59, R_8291_6, R_8291_7, R_8291_9, R_WDP_48,
        R_WDP_54, R_8292_2, R_8292_3, R_8292_5, R_8292_10);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration", "delivery");
  }

  @Override
  public void run(RunContext ctx) {
    Optional<P256PublicKey> vapidKey = ctx.discovery().vapidKey();
    ReceivedPush p = ctx.delivered().first();
    Recorder rec = ctx.record();
    String line = "POST /push/[redacted] → " + p.status();
    rec.check(
        R_8030_4,
        !p.hasViolation(Violation.MISSING_TTL) && !p.hasViolation(Violation.BAD_TTL),
        line + ", TTL: " + p.header("TTL").orElse("(absent)"));
    rec.check(
        R_8291_9,
        !p.hasViolation(Violation.BAD_CONTENT_ENCODING),
        "Content-Encoding: " + String.join(", ", p.headerValues("Content-Encoding")));
    rec.check(
        R_8030_7, !p.hasViolation(Violation.BODY_TOO_LARGE), "body " + p.body().length + " bytes");
    rec.check(
        R_8030_5,
        !p.hasViolation(Violation.BAD_URGENCY),
        "Urgency: " + p.header("Urgency").orElse("(absent)"));
    rec.check(
        R_8030_6,
        !p.hasViolation(Violation.BAD_TOPIC),
        "Topic: " + p.header("Topic").map(t -> t.length() + " characters").orElse("(absent)"));
    checkContentType(rec, p);
    byte[] keyId = checkHeader(rec, p);
    boolean framingBroken =
        p.hasViolation(Violation.BAD_CONTENT_ENCODING)
            || p.hasViolation(Violation.BODY_TOO_LARGE)
            || rec.failedHere(R_8291_6)
            || rec.failedHere(R_8291_7);
    if (p.plaintext().isEmpty() && framingBroken) {
      // the RFC 8188 framing is already judged broken (R-8291-6, -7, -9, R-8030-7): decryption
      // could not succeed, so R-WDP-48 has nothing of its own to judge
      rec.notTested(
          R_WDP_48, "not decrypted: the message's framing is broken (" + violationText(p) + ")");
    } else {
      rec.check(
          R_WDP_48,
          p.plaintext().isPresent(),
          p.plaintext().isPresent()
              ? "decrypted with the subscription's keys (RFC 8291)"
              : "could not decrypt: " + violationText(p));
    }
    if (vapidKey.isEmpty()) {
      for (Requirement r : List.of(R_WDP_54, R_8292_2, R_8292_3, R_8292_5, R_8292_10)) {
        rec.notApplicable(r, "the server publishes no VAPID key");
      }
      return;
    }
    checkVapid(ctx, p, vapidKey.get(), keyId);
  }

  private static void checkContentType(Recorder rec, ReceivedPush p) {
    Optional<String> ct = p.header("Content-Type");
    if (ct.isEmpty()) {
      rec.fail(R_WDP_59, "no Content-Type");
      return;
    }
    String value = ct.get().toLowerCase(Locale.ROOT);
    if (!value.startsWith("application/xml")) {
      rec.fail(R_WDP_59, "Content-Type: " + ct.get());
    } else if (!value.replace("\"", "").replace(" ", "").contains("charset=utf-8")) {
      // the draft names the charset parameter; the digest judges its absence a warning (C-OUT-01)
      rec.fail(R_WDP_59, Level.SHOULD, "Content-Type: " + ct.get() + " (no charset=\"UTF-8\")");
    } else {
      rec.pass(R_WDP_59, "Content-Type: " + ct.get());
    }
  }

  /** Checks the aes128gcm header; returns the keyid, or null when unreadable. */
  private static byte @org.jspecify.annotations.Nullable [] checkHeader(
      Recorder rec, ReceivedPush p) {
    try {
      Aes128GcmCodec.Header h = Aes128GcmCodec.Header.parse(p.body());
      byte[] keyId = h.keyId();
      boolean validKey = keyId.length == 65 && isPoint(keyId);
      rec.check(
          R_8291_7,
          validKey,
          "idlen "
              + keyId.length
              + (validKey ? ", keyid a P-256 point" : ", keyid not a 65-byte P-256 point"));
      long recordBytes = p.body().length - h.length();
      rec.check(
          R_8291_6,
          h.recordSize() >= 18 && recordBytes <= h.recordSize(),
          "rs " + h.recordSize() + ", one record of " + recordBytes + " bytes");
      return keyId;
    } catch (PushException e) {
      rec.fail(R_8291_7, "unreadable aes128gcm header: " + e.getMessage());
      rec.fail(R_8291_6, "unreadable aes128gcm header: " + e.getMessage());
      return null;
    }
  }

  private static void checkVapid(
      RunContext ctx,
      ReceivedPush p,
      P256PublicKey published,
      byte @org.jspecify.annotations.Nullable [] keyId) {
    Recorder rec = ctx.record();
    Optional<VapidClaims> claims = p.vapidClaims();
    Optional<String> authorization = p.header("Authorization");
    // R-WDP-54 asks for the Authorization that matches the published key; whether its token
    // verifies is R-8292-3's
    Optional<byte[]> k = authorization.flatMap(PushRequestScenario::vapidK);
    boolean vapidOk =
        k.isPresent()
            && Arrays.equals(k.get(), published.bytes())
            && !p.hasViolation(Violation.VAPID_MISSING)
            && !p.hasViolation(Violation.VAPID_KEY_MISMATCH);
    rec.check(
        R_WDP_54,
        vapidOk,
        vapidOk
            ? "Authorization: vapid t=…, k=<published key>"
            : "Authorization: "
                + (authorization.isPresent()
                    ? (k.isEmpty() ? "no vapid k parameter; " : "") + violationText(p)
                    : "(absent)"));
    if (authorization.isEmpty()) {
      for (Requirement r : List.of(R_8292_3, R_8292_2, R_8292_5, R_8292_10)) {
        rec.notTested(r, "no Authorization header (R-WDP-54)");
      }
      return;
    }
    rec.check(
        R_8292_3,
        claims.isPresent() && !p.hasViolation(Violation.VAPID_INVALID),
        claims.isPresent() ? "ES256 signature (64-byte R||S) verifies with k" : violationText(p));
    if (claims.isEmpty()) {
      for (Requirement r : List.of(R_8292_2, R_8292_5, R_8292_10)) {
        rec.notTested(r, "no readable VAPID token (R-8292-3)");
      }
      return;
    }
    VapidClaims c = claims.get();
    String origin = ctx.service().origin();
    boolean audOk =
        c.audience().equals(origin) && !p.hasViolation(Violation.VAPID_AUDIENCE_MISMATCH);
    boolean expOk =
        !p.hasViolation(Violation.VAPID_EXPIRED) && !p.hasViolation(Violation.VAPID_EXPIRY_TOO_FAR);
    rec.check(
        R_8292_2,
        audOk && expOk,
        "aud "
            + c.audience()
            + " (expected "
            + origin
            + "), exp in "
            + Duration.between(p.receivedAt(), c.expiry()).toMinutes()
            + " min");
    rec.check(
        R_8292_5,
        c.subject().map(s -> s.startsWith("mailto:") || s.startsWith("https:")).orElse(false),
        "sub " + c.subject().map(s -> s.startsWith("mailto:") ? "mailto:…" : s).orElse("(absent)"));
    boolean same = keyId != null && Arrays.equals(keyId, c.publicKey().bytes());
    rec.check(
        R_8292_10,
        keyId != null && !same,
        "message ECDH key and VAPID key " + (same ? "identical" : "different"));
  }

  /** The decoded {@code k} parameter of a {@code vapid} Authorization, if there is one. */
  static Optional<byte[]> vapidK(String authorization) {
    String a = authorization.trim();
    if (!a.regionMatches(true, 0, "vapid ", 0, 6)) {
      return Optional.empty();
    }
    for (String part : a.substring(6).split(",")) {
      String kv = part.trim();
      if (kv.regionMatches(true, 0, "k=", 0, 2)) {
        try {
          return Optional.of(dev.davpush.Base64Url.decode(kv.substring(2).trim()));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  static boolean isPoint(byte[] key) {
    try {
      P256PublicKey.of(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String violationText(ReceivedPush p) {
    return p.violations().isEmpty()
        ? "no violation recorded"
        : p.violations().stream().map(v -> v.code() + ": " + v.message()).toList().toString();
  }
}
