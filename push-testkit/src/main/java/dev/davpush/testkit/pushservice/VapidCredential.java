package dev.davpush.testkit.pushservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.davpush.Base64Url;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an {@code Authorization: vapid t=…, k=…} header (RFC 8292 §3) and an
 * <em>unverified</em> reading of the token's {@code exp} claim. The unverified {@code exp} only
 * picks the reference instant at which the signature is verified (so that time faults can be told
 * apart from signature faults); every accept/refuse decision uses the verified claims.
 */
final class VapidCredential {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_HEADER_CHARS = 8192;

  final String token;
  final String key;
  final @Nullable Long unverifiedExp;

  private VapidCredential(String token, String key, @Nullable Long unverifiedExp) {
    this.token = token;
    this.key = key;
    this.unverifiedExp = unverifiedExp;
  }

  /**
   * Parses the header value.
   *
   * @throws IllegalArgumentException with a secret-free message if the value is not a {@code vapid}
   *     credential with both {@code t} and {@code k}
   */
  static VapidCredential parse(String headerValue) {
    if (headerValue.length() > MAX_HEADER_CHARS) {
      throw new IllegalArgumentException(
          "Authorization is "
              + headerValue.length()
              + " characters, more than "
              + MAX_HEADER_CHARS);
    }
    String value = headerValue.strip();
    int sp = indexOfWhitespace(value);
    String scheme = sp < 0 ? value : value.substring(0, sp);
    if (!scheme.equalsIgnoreCase("vapid")) {
      throw new IllegalArgumentException(
          "Authorization: expected auth-scheme 'vapid' (RFC 8292 §3), got '"
              + abbreviate(scheme)
              + "'");
    }
    String params = sp < 0 ? "" : value.substring(sp + 1);
    String t = null;
    String k = null;
    int i = 0;
    int n = params.length();
    while (i < n) {
      while (i < n && (params.charAt(i) == ',' || isOws(params.charAt(i)))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int nameStart = i;
      while (i < n
          && params.charAt(i) != '='
          && params.charAt(i) != ','
          && !isOws(params.charAt(i))) {
        i++;
      }
      String name = params.substring(nameStart, i).toLowerCase(Locale.ROOT);
      while (i < n && isOws(params.charAt(i))) {
        i++;
      }
      if (i >= n || params.charAt(i) != '=') {
        throw new IllegalArgumentException(
            "Authorization: parameter '" + abbreviate(name) + "' has no '=' value");
      }
      i++;
      while (i < n && isOws(params.charAt(i))) {
        i++;
      }
      String paramValue;
      if (i < n && params.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = params.charAt(i++);
          if (c == '\\' && i < n) {
            sb.append(params.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            sb.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(
              "Authorization: unterminated quoted value of parameter '" + abbreviate(name) + "'");
        }
        paramValue = sb.toString();
      } else {
        int valueStart = i;
        while (i < n && params.charAt(i) != ',' && !isOws(params.charAt(i))) {
          i++;
        }
        paramValue = params.substring(valueStart, i);
      }
      if (name.equals("t")) {
        if (t != null) {
          throw new IllegalArgumentException("Authorization: parameter 't' given twice");
        }
        t = paramValue;
      } else if (name.equals("k")) {
        if (k != null) {
          throw new IllegalArgumentException("Authorization: parameter 'k' given twice");
        }
        k = paramValue;
      }
      // unknown parameters are ignored (RFC 8292 §3)
    }
    if (t == null || t.isEmpty()) {
      throw new IllegalArgumentException("Authorization: vapid parameter 't' (the JWT) is missing");
    }
    if (k == null || k.isEmpty()) {
      throw new IllegalArgumentException(
          "Authorization: vapid parameter 'k' (the public key) is missing");
    }
    Long exp = null;
    String[] parts = t.split("\\.", -1);
    if (parts.length == 3) {
      try {
        JsonNode claims = JSON.readTree(Base64Url.decode(parts[1]));
        if (claims != null && claims.isObject()) {
          JsonNode e = claims.get("exp");
          if (e != null && e.isIntegralNumber() && e.canConvertToLong()) {
            exp = e.longValue();
          }
        }
      } catch (IOException | RuntimeException e) {
        // not decodable: Vapid.verify reports it
      }
    }
    return new VapidCredential(t, k, exp);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isOws(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  static String abbreviate(String s) {
    String shown = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    StringBuilder out = new StringBuilder(shown.length());
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
