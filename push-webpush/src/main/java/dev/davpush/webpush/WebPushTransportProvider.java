package dev.davpush.webpush;

import static java.util.Objects.requireNonNull;

import dev.davpush.WebPushSubscription;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.PushTransportProvider;
import dev.davpush.webpush.crypto.PushCryptoException;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Creates {@link WebPushTransport}s for {@link java.util.ServiceLoader} (name {@code web-push}).
 * Configuration keys (unknown keys are ignored):
 *
 * <table>
 *   <caption>Configuration</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code vapid.private-key}</td><td>the VAPID private key: base64url of the 32-octet
 *       scalar, or PKCS#8 / SEC1 PEM</td><td>required</td></tr>
 *   <tr><td>{@code vapid.subject}</td><td>{@code mailto:} or {@code https:} contact</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code allow-http}</td><td>{@code true}/{@code false}</td><td>false</td></tr>
 *   <tr><td>{@code allow-loopback}</td><td>{@code true}/{@code false}</td><td>false</td></tr>
 *   <tr><td>{@code allow-private-networks}</td><td>{@code true}/{@code false}</td>
 *       <td>false</td></tr>
 *   <tr><td>{@code connect-timeout}</td><td>ISO-8601 duration ({@code PT10S}) or whole
 *       seconds</td><td>10 s</td></tr>
 *   <tr><td>{@code response-timeout}</td><td>ISO-8601 duration or whole seconds</td>
 *       <td>30 s</td></tr>
 *   <tr><td>{@code max-payload-length}</td><td>0..3993 octets</td><td>3993</td></tr>
 *   <tr><td>{@code pad-to-multiple-of}</td><td>0..3993 octets (0: no padding)</td>
 *       <td>0</td></tr>
 *   <tr><td>{@code legacy-aesgcm}</td><td>{@code true}/{@code false}</td><td>false</td></tr>
 *   <tr><td>{@code max-connections-per-origin}</td><td>requests in flight per push-service
 *       origin, at least 1</td><td>256</td></tr>
 *   <tr><td>{@code max-connections-total}</td><td>requests in flight in all, at least the
 *       per-origin limit</td><td>1024</td></tr>
 * </table>
 *
 * <p>Thread safety: stateless.
 */
public final class WebPushTransportProvider implements PushTransportProvider {
  /** Key of the VAPID private key. */
  public static final String VAPID_PRIVATE_KEY = "vapid.private-key";

  /** Key of the VAPID subject. */
  public static final String VAPID_SUBJECT = "vapid.subject";

  /** Key allowing plain http push resources. */
  public static final String ALLOW_HTTP = "allow-http";

  /** Key allowing loopback targets. */
  public static final String ALLOW_LOOPBACK = "allow-loopback";

  /** Key allowing private-network targets. */
  public static final String ALLOW_PRIVATE_NETWORKS = "allow-private-networks";

  /** Key of the connect timeout. */
  public static final String CONNECT_TIMEOUT = "connect-timeout";

  /** Key of the response timeout. */
  public static final String RESPONSE_TIMEOUT = "response-timeout";

  /** Key of the payload cap. */
  public static final String MAX_PAYLOAD_LENGTH = "max-payload-length";

  /** Key of the padding block size. */
  public static final String PAD_TO_MULTIPLE_OF = "pad-to-multiple-of";

  /** Key enabling legacy aesgcm. */
  public static final String LEGACY_AESGCM = "legacy-aesgcm";

  /** Key of the per-origin connection limit. */
  public static final String MAX_CONNECTIONS_PER_ORIGIN = "max-connections-per-origin";

  /** Key of the total connection limit. */
  public static final String MAX_CONNECTIONS_TOTAL = "max-connections-total";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public WebPushTransportProvider() {}

  /** {@code web-push}. */
  @Override
  public String name() {
    return WebPushSubscription.TRANSPORT;
  }

  /**
   * Creates a transport from the keys above.
   *
   * @throws IllegalArgumentException if {@code vapid.private-key} is missing or any value is
   *     invalid (the message never repeats the key)
   */
  @Override
  public PushTransport create(Map<String, String> configuration) {
    requireNonNull(configuration, "configuration");
    String key = configuration.get(VAPID_PRIVATE_KEY);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "web-push: configuration key '"
              + VAPID_PRIVATE_KEY
              + "' is required (base64url scalar"
              + " or PEM)");
    }
    VapidKeyPair vapid;
    try {
      vapid =
          key.contains("-----BEGIN") ? VapidKeyPair.fromPem(key) : VapidKeyPair.fromBase64Url(key);
    } catch (PushCryptoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "web-push: '"
              + VAPID_PRIVATE_KEY
              + "' is not a valid P-256 private key: "
              + e.getMessage(),
          e);
    }
    WebPushTransport.Builder b =
        WebPushTransport.builder()
            .vapidKeyPair(vapid)
            .pushResourcePolicy(
                PushResourcePolicy.builder()
                    .allowHttp(bool(configuration, ALLOW_HTTP))
                    .allowLoopback(bool(configuration, ALLOW_LOOPBACK))
                    .allowPrivateNetworks(bool(configuration, ALLOW_PRIVATE_NETWORKS))
                    .build())
            .legacyAesGcm(bool(configuration, LEGACY_AESGCM));
    String subject = configuration.get(VAPID_SUBJECT);
    if (subject != null) {
      b.subject(subject.strip());
    }
    String ct = configuration.get(CONNECT_TIMEOUT);
    if (ct != null) {
      b.connectTimeout(duration(CONNECT_TIMEOUT, ct));
    }
    String rt = configuration.get(RESPONSE_TIMEOUT);
    if (rt != null) {
      b.responseTimeout(duration(RESPONSE_TIMEOUT, rt));
    }
    String max = configuration.get(MAX_PAYLOAD_LENGTH);
    if (max != null) {
      b.maxPayloadLength(integer(MAX_PAYLOAD_LENGTH, max));
    }
    String pad = configuration.get(PAD_TO_MULTIPLE_OF);
    if (pad != null) {
      b.padToMultipleOf(integer(PAD_TO_MULTIPLE_OF, pad));
    }
    String perOrigin = configuration.get(MAX_CONNECTIONS_PER_ORIGIN);
    if (perOrigin != null) {
      b.maxConnectionsPerOrigin(integer(MAX_CONNECTIONS_PER_ORIGIN, perOrigin));
    }
    String total = configuration.get(MAX_CONNECTIONS_TOTAL);
    if (total != null) {
      b.maxConnectionsTotal(integer(MAX_CONNECTIONS_TOTAL, total));
    }
    return b.build();
  }

  private static int integer(String key, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "web-push: '" + key + "' must be an integer, got '" + v + "'");
    }
  }

  private static boolean bool(Map<String, String> c, String key) {
    String v = c.get(key);
    if (v == null) {
      return false;
    }
    switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException(
            "web-push: '" + key + "' must be true or false, got '" + v + "'");
    }
  }

  private static Duration duration(String key, String v) {
    String s = v.strip();
    try {
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      return Duration.parse(s);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "web-push: '" + key + "' must be an ISO-8601 duration or whole seconds, got '" + v + "'");
    }
  }
}
