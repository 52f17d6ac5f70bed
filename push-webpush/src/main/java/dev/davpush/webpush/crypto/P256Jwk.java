package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.davpush.Base64Url;
import dev.davpush.P256PublicKey;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * P-256 keys as RFC 7517/7518 JSON Web Keys: {@code {"kty":"EC","crv":"P-256","x":…,"y":…}} with
 * 32-octet base64url coordinates, plus {@code "d"} for a private key.
 *
 * <p>Thread safety: stateless.
 */
public final class P256Jwk {
  private static final JsonFactory JSON = new JsonFactory();

  private P256Jwk() {}

  /**
   * Formats a public key.
   *
   * @param key the key
   * @return the JWK, members in the order kty, crv, x, y
   */
  public static String toJwk(P256PublicKey key) {
    requireNonNull(key, "key");
    return write(key.bytes(), null);
  }

  /**
   * Formats a VAPID key pair including its private scalar. A secret.
   *
   * @param key the key pair
   * @return the JWK with {@code d}
   */
  public static String toJwk(VapidKeyPair key) {
    requireNonNull(key, "key");
    return write(key.publicKey().bytes(), key.privateKeyBytes());
  }

  /**
   * Parses a public JWK (a {@code d} member is ignored).
   *
   * @param jwk the JSON text
   * @return the validated key
   * @throws PushCryptoException if the JSON is malformed, not an EC P-256 key, or the point is not
   *     on the curve
   */
  public static P256PublicKey parsePublicKey(String jwk) {
    Map<String, String> m = read(jwk);
    return publicKey(m);
  }

  /**
   * Parses a private JWK into a VAPID key pair; {@code x}/{@code y} must match {@code d}.
   *
   * @param jwk the JSON text with {@code d}
   * @return the key pair
   * @throws PushCryptoException if malformed, lacking {@code d}, or inconsistent
   */
  public static VapidKeyPair parseVapidKeyPair(String jwk) {
    Map<String, String> m = read(jwk);
    P256PublicKey pub = publicKey(m);
    String d = m.get("d");
    if (d == null) {
      throw new PushCryptoException("JWK: no private key member d");
    }
    VapidKeyPair pair;
    try {
      pair = VapidKeyPair.fromPrivateKey(Base64Url.decode(d));
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException("JWK: d is not a valid P-256 scalar", e);
    }
    if (!pair.publicKey().equals(pub)) {
      throw new PushCryptoException("JWK: x/y do not match d");
    }
    return pair;
  }

  private static P256PublicKey publicKey(Map<String, String> m) {
    if (!"EC".equals(m.get("kty")) || !"P-256".equals(m.get("crv"))) {
      throw new PushCryptoException("JWK: expected kty EC and crv P-256");
    }
    String x = m.get("x");
    String y = m.get("y");
    if (x == null || y == null) {
      throw new PushCryptoException("JWK: x and y are required");
    }
    try {
      byte[] xb = Base64Url.decode(x);
      byte[] yb = Base64Url.decode(y);
      if (xb.length != 32 || yb.length != 32) {
        throw new PushCryptoException("JWK: x and y must be 32 octets each");
      }
      byte[] point = new byte[65];
      point[0] = 4;
      System.arraycopy(xb, 0, point, 1, 32);
      System.arraycopy(yb, 0, point, 33, 32);
      return P256PublicKey.of(point);
    } catch (IllegalArgumentException e) {
      throw new PushCryptoException("JWK: invalid coordinates (" + e.getMessage() + ")", e);
    }
  }

  private static String write(byte[] point, byte @org.jspecify.annotations.Nullable [] d) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("kty", "EC");
      g.writeStringField("crv", "P-256");
      g.writeStringField("x", Base64Url.encode(Arrays.copyOfRange(point, 1, 33)));
      g.writeStringField("y", Base64Url.encode(Arrays.copyOfRange(point, 33, 65)));
      if (d != null) {
        g.writeStringField("d", Base64Url.encode(d));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  private static Map<String, String> read(String jwk) {
    requireNonNull(jwk, "jwk");
    Map<String, String> m = new HashMap<>();
    try (JsonParser p = JSON.createParser(jwk)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PushCryptoException("JWK: not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_STRING) {
          if (m.put(name, p.getText()) != null) {
            throw new PushCryptoException("JWK: member " + name + " repeated");
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new PushCryptoException("JWK: trailing content");
      }
    } catch (IOException e) {
      throw new PushCryptoException("JWK: not valid JSON", e);
    }
    return m;
  }
}
