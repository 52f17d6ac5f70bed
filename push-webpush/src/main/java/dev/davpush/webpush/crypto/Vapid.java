package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.webpush.internal.P256;
import dev.davpush.webpush.internal.VapidSubject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * RFC 8292 VAPID: creates and verifies the {@code Authorization: vapid t=<jwt>, k=<key>} header of
 * a push request.
 *
 * <p>Tokens are JWS compact serialisations with the header {@code {"typ":"JWT","alg":"ES256"}}, the
 * claims {@code {"aud":…,"exp":…[,"sub":…]}} and an ES256 signature in the 64-octet JOSE form
 * {@code r ‖ s} (never DER, digest ambiguity A-18). {@code aud} is the origin of the push resource
 * ({@code scheme://host[:port]}, the port only when not the default); {@code exp} is at most 24
 * hours after the request (R-8292-2); {@code sub}, when present, is a {@code mailto:} or {@code
 * https:} contact URI (R-8292-5).
 *
 * <p>Signing is deterministic (RFC 6979 nonces) and costs one ECDSA signature; callers should reuse
 * a header for all requests to one origin until shortly before it expires, as {@code
 * WebPushTransport} does.
 *
 * <p>Thread safety: stateless; all methods may be called concurrently.
 */
public final class Vapid {
  /** The longest validity RFC 8292 §2 allows: 24 hours after the request. */
  public static final Duration MAX_VALIDITY = Duration.ofHours(24);

  /** The HTTP authentication scheme. */
  public static final String SCHEME = "vapid";

  private static final String JWT_HEADER_B64 =
      Base64Url.encode("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.US_ASCII));
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_HEADER_CHARS = 8192;

  private Vapid() {}

  /**
   * The VAPID audience for a push resource or any other URL: its RFC 6454 origin.
   *
   * @param url an absolute {@code https} (or {@code http}) URL, e.g. {@code
   *     https://Push.Example.net:443/push/x}
   * @return the origin, e.g. {@code https://push.example.net}; {@code https://h:8443} keeps the
   *     non-default port
   * @throws IllegalArgumentException if the text is not an absolute http(s) URL with a host
   */
  public static String audience(String url) {
    requireNonNull(url, "url");
    return PushResource.parse(url).origin();
  }

  /**
   * Signs a token and formats the header value, checking the expiry against the system clock.
   *
   * @param key the signing key
   * @param audience the push service origin ({@code https://push.example.net}); a URL with a path
   *     is reduced to its origin
   * @param expiry the {@code exp} claim, truncated to whole seconds; after now and at most 24 hours
   *     ahead
   * @param subject a {@code mailto:} or {@code https:} contact URI, or null for none
   * @return {@code vapid t=<jwt>, k=<87-character base64url key>}
   * @throws IllegalArgumentException if the audience, expiry or subject is invalid
   */
  public static String authorization(
      VapidKeyPair key, String audience, Instant expiry, @Nullable String subject) {
    return authorization(key, audience, expiry, subject, Clock.systemUTC());
  }

  /**
   * Signs a token and formats the header value, checking the expiry against the given clock.
   *
   * @param key the signing key
   * @param audience the push service origin; a URL with a path is reduced to its origin
   * @param expiry the {@code exp} claim, truncated to whole seconds; after {@code clock.instant()}
   *     and at most 24 hours after it
   * @param subject a {@code mailto:} or {@code https:} contact URI, or null for none
   * @param clock the request time's source
   * @return {@code vapid t=<jwt>, k=<87-character base64url key>}
   * @throws IllegalArgumentException if the audience, expiry or subject is invalid
   */
  public static String authorization(
      VapidKeyPair key, String audience, Instant expiry, @Nullable String subject, Clock clock) {
    requireNonNull(key, "key");
    requireNonNull(expiry, "expiry");
    requireNonNull(clock, "clock");
    String aud = audience(requireNonNull(audience, "audience"));
    if (subject != null) {
      checkSubject(subject);
    }
    Instant now = clock.instant();
    long exp = expiry.getEpochSecond();
    if (exp <= now.getEpochSecond()) {
      throw new IllegalArgumentException(
          "expiry: expected a time after now (" + now + "), got " + expiry);
    }
    if (Instant.ofEpochSecond(exp).isAfter(now.plus(MAX_VALIDITY))) {
      throw new IllegalArgumentException(
          "expiry: RFC 8292 §2 allows at most 24 hours after the request ("
              + now
              + "), got "
              + expiry);
    }
    return header(key, aud, exp, subject);
  }

  private static String header(VapidKeyPair key, String aud, long exp, @Nullable String subject) {
    ByteArrayOutputStream claims = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(claims)) {
      g.writeStartObject();
      g.writeStringField("aud", aud);
      g.writeNumberField("exp", exp);
      if (subject != null) {
        g.writeStringField("sub", subject);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("JSON generation failed", e);
    }
    String signingInput = JWT_HEADER_B64 + "." + Base64Url.encode(claims.toByteArray());
    byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return SCHEME
        + " t="
        + signingInput
        + "."
        + Base64Url.encode(signature)
        + ", k="
        + key.publicKey().toBase64Url();
  }

  /**
   * Verifies a header value completely: syntax, ES256 signature against {@code k}, and the time
   * claims at {@code now}. The caller still compares {@link VapidClaims#audience()} with the push
   * resource's origin and {@link VapidClaims#publicKey()} with the key the subscription is bound to
   * (R-8292-12).
   *
   * @param authorizationHeaderValue the value of the {@code Authorization} header
   * @param now the time of the request
   * @return the verified claims
   * @throws ExpiredVapidTokenException if the signature is valid but {@code now > exp} or {@code
   *     exp > now + 24 h}
   * @throws PushCryptoException if the header is malformed or the signature does not verify
   */
  public static VapidClaims verify(String authorizationHeaderValue, Instant now) {
    requireNonNull(now, "now");
    VapidClaims claims = verifySignature(authorizationHeaderValue);
    if (claims.isExpiredAt(now)) {
      throw new ExpiredVapidTokenException(
          "VAPID token expired at " + claims.expiry() + " (now " + now + "); sign a new one",
          claims);
    }
    if (claims.expiry().isAfter(now.plus(MAX_VALIDITY))) {
      throw new ExpiredVapidTokenException(
          "VAPID token exp "
              + claims.expiry()
              + " is more than 24 hours after now ("
              + now
              + "), which RFC 8292 §2 forbids",
          claims);
    }
    return claims;
  }

  /**
   * Verifies the syntax and the ES256 signature of a header value, without looking at the time
   * claims (for example to classify a published example token as expired yet authentic).
   *
   * @param authorizationHeaderValue {@code vapid t=<jwt>, k=<key>}; each value a token or an RFC
   *     9110 quoted-string (backslash escapes honoured); unknown parameters are ignored (R-8292-8)
   * @return the claims, whose signature verified against {@code k}
   * @throws PushCryptoException if the scheme is not {@code vapid}, {@code t} or {@code k} is
   *     missing or malformed, the JWT header is not ES256, the claims lack {@code aud} or {@code
   *     exp}, or the signature does not verify
   */
  public static VapidClaims verifySignature(String authorizationHeaderValue) {
    requireNonNull(authorizationHeaderValue, "authorizationHeaderValue");
    String value = authorizationHeaderValue.strip();
    if (value.length() > MAX_HEADER_CHARS) {
      throw new PushCryptoException(
          "VAPID: header of " + value.length() + " characters exceeds " + MAX_HEADER_CHARS);
    }
    int sp = indexOfWhitespace(value);
    String scheme = sp < 0 ? value : value.substring(0, sp);
    if (!scheme.equalsIgnoreCase(SCHEME)) {
      throw new PushCryptoException(
          "VAPID: expected auth-scheme 'vapid' (RFC 8292 §3), got '" + abbreviate(scheme) + "'");
    }
    Map<String, String> params = parseParams(sp < 0 ? "" : value.substring(sp + 1));
    String t = params.get("t");
    String k = params.get("k");
    if (t == null || k == null) {
      throw new PushCryptoException(
          "VAPID: expected parameters t (JWT) and k (public key), missing "
              + (t == null ? "t" : "k"));
    }
    P256PublicKey key;
    try {
      key = P256PublicKey.fromBase64Url(k);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException(
          "VAPID: k is not a P-256 public key (" + e.getMessage() + ")", e);
    }
    String[] parts = t.split("\\.", -1);
    if (parts.length != 3) {
      throw new PushCryptoException(
          "VAPID: t is not a JWS compact serialisation (expected 3 dot-separated parts, got "
              + parts.length
              + ")");
    }
    byte[] headerJson = decodePart(parts[0], "JWT header");
    byte[] claimsJson = decodePart(parts[1], "JWT claims");
    byte[] signature = decodePart(parts[2], "JWT signature");
    checkJwtHeader(headerJson);
    if (signature.length != 64) {
      throw new PushCryptoException(
          "VAPID: ES256 signature of "
              + signature.length
              + " octets, expected 64 (raw r ‖ s; a DER signature is not valid JOSE)");
    }
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!P256.verify(key.bytes(), signingInput, signature)) {
      throw new PushCryptoException("VAPID: the JWT signature does not verify with k");
    }
    return parseClaims(claimsJson, key);
  }

  /**
   * Reads comma-separated {@code name=value} auth-params (RFC 9110 §11.2); a value is a token or a
   * quoted-string whose {@code \x} quoted-pairs stand for {@code x} (RFC 9110 §5.6.4). Empty list
   * elements and optional whitespace are skipped; names are case-insensitive.
   */
  private static Map<String, String> parseParams(String text) {
    Map<String, String> params = new HashMap<>();
    int n = text.length();
    int i = 0;
    while (true) {
      while (i < n && (text.charAt(i) == ',' || isOws(text.charAt(i)))) {
        i++;
      }
      if (i >= n) {
        return params;
      }
      int eq = i;
      while (eq < n && text.charAt(eq) != '=' && text.charAt(eq) != ',') {
        eq++;
      }
      String name = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      if (eq >= n || text.charAt(eq) != '=' || name.isEmpty()) {
        throw new PushCryptoException(
            "VAPID: malformed parameter '"
                + abbreviate(text.substring(i, eq).strip())
                + "', expected name=value");
      }
      i = eq + 1;
      while (i < n && isOws(text.charAt(i))) {
        i++;
      }
      String value;
      if (i < n && text.charAt(i) == '"') {
        StringBuilder v = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = text.charAt(i++);
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= n) {
              break;
            }
            c = text.charAt(i++);
          }
          v.append(c);
        }
        if (!closed) {
          throw new PushCryptoException(
              "VAPID: unterminated quoted value of parameter '" + abbreviate(name) + "'");
        }
        while (i < n && isOws(text.charAt(i))) {
          i++;
        }
        if (i < n && text.charAt(i) != ',') {
          throw new PushCryptoException(
              "VAPID: expected ',' after the quoted value of parameter '" + abbreviate(name) + "'");
        }
        value = v.toString();
      } else {
        int end = text.indexOf(',', i);
        end = end < 0 ? n : end;
        value = text.substring(i, end).strip();
        i = end;
      }
      if (params.put(name, value) != null) {
        throw new PushCryptoException("VAPID: parameter '" + abbreviate(name) + "' repeated");
      }
    }
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static byte[] decodePart(String part, String what) {
    try {
      if (part.indexOf('=') >= 0 || part.indexOf('+') >= 0 || part.indexOf('/') >= 0) {
        throw new IllegalArgumentException("JWS uses unpadded base64url");
      }
      return Base64Url.decode(part);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException(
          "VAPID: " + what + " is not base64url (" + e.getMessage() + ")", e);
    }
  }

  private static void checkJwtHeader(byte[] json) {
    String alg = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PushCryptoException("VAPID: JWT header is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("alg")) {
          alg = v == JsonToken.VALUE_STRING ? p.getText() : "";
        } else if (name.equals("typ")) {
          if (v != JsonToken.VALUE_STRING || !p.getText().equalsIgnoreCase("JWT")) {
            throw new PushCryptoException("VAPID: JWT header typ must be \"JWT\"");
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new PushCryptoException("VAPID: JWT header has trailing content");
      }
    } catch (IOException e) {
      throw new PushCryptoException("VAPID: JWT header is not valid JSON", e);
    }
    if (!"ES256".equals(alg)) {
      throw new PushCryptoException(
          "VAPID: JWT header alg must be \"ES256\" (RFC 8292 §2), got "
              + (alg == null ? "none" : "\"" + abbreviate(alg) + "\""));
    }
  }

  private static VapidClaims parseClaims(byte[] json, P256PublicKey key) {
    String aud = null;
    Long exp = null;
    String sub = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PushCryptoException("VAPID: JWT claims are not a JSON object");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (!seen.add(name)) {
          throw new PushCryptoException("VAPID: JWT claim '" + abbreviate(name) + "' repeated");
        }
        switch (name) {
          case "aud" -> {
            if (v != JsonToken.VALUE_STRING) {
              throw new PushCryptoException("VAPID: aud must be a string");
            }
            aud = p.getText();
          }
          case "exp" -> {
            if (v != JsonToken.VALUE_NUMBER_INT) {
              throw new PushCryptoException("VAPID: exp must be an integer (seconds since epoch)");
            }
            try {
              exp = p.getLongValue();
            } catch (IOException e) {
              throw new PushCryptoException("VAPID: exp out of range", e);
            }
          }
          case "sub" -> {
            if (v != JsonToken.VALUE_STRING) {
              throw new PushCryptoException("VAPID: sub must be a string");
            }
            sub = p.getText();
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new PushCryptoException("VAPID: JWT claims have trailing content");
      }
    } catch (IOException e) {
      throw new PushCryptoException("VAPID: JWT claims are not valid JSON", e);
    }
    if (aud == null || exp == null) {
      throw new PushCryptoException(
          "VAPID: JWT claims must carry aud and exp (RFC 8292 §2), missing "
              + (aud == null ? "aud" : "exp"));
    }
    if (exp < 0 || exp > 253402300799L) {
      throw new PushCryptoException("VAPID: exp " + exp + " out of range");
    }
    return new VapidClaims(aud, Instant.ofEpochSecond(exp), sub, key);
  }

  static void checkSubject(String subject) {
    VapidSubject.check(subject);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
