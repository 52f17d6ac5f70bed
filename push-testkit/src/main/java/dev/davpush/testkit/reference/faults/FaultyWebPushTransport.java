package dev.davpush.testkit.reference.faults;

import static java.util.Objects.requireNonNull;

import dev.davpush.Base64Url;
import dev.davpush.DeliveryException;
import dev.davpush.P256PublicKey;
import dev.davpush.Subscription;
import dev.davpush.TransportDescriptor;
import dev.davpush.Urgency;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.Aes128GcmCodec;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushMessageReader;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A Web Push transport that builds every push request itself, from the project's public crypto
 * ({@link Aes128GcmCodec}, {@link VapidKeyPair}) and the JDK's, with exactly one deliberate {@link
 * Deviation} from RFC 8030, RFC 8291, RFC 8292 or the draft, and posts it with {@code
 * java.net.http}. Key-rotation messages are always sent correctly (except with {@link
 * Deviation#SWALLOW_KEY_ROTATION}), so that a fault of the change notifications breaks no
 * requirement of the key rotation. Without a deviation its requests are correct: RFC 8291
 * encryption with a fresh ECDH key and salt, one record of {@code rs} 4096, {@code TTL}, {@code
 * Content-Type: application/xml; charset="UTF-8"}, and a VAPID {@code Authorization} with {@code
 * aud} the push resource's origin, {@code exp} twelve hours ahead and the server's {@code sub}.
 *
 * <p>Descriptor and acceptance come from the server's {@link WebPushTransport}, so {@code
 * transports} advertises the same key that signs. Answers are classified by {@link
 * DeliveryResult#classify}; no answer is a {@link DeliveryException}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class FaultyWebPushTransport implements PushTransport {
  /** The one thing this transport does wrong. */
  enum Deviation {
    /** No deviation: a correct request. */
    NONE,
    /** No {@code TTL} header (R-8030-4). */
    NO_TTL,
    /** {@code TTL: 86400s}, not {@code 1*DIGIT} (R-8030-4). */
    TTL_NOT_DIGITS,
    /** {@code Urgency: urgent} (R-8030-5). */
    BAD_URGENCY,
    /** Two {@code Urgency} header lines (R-8030-5). */
    TWO_URGENCIES,
    /** A {@code Topic} of 33 characters (R-8030-6). */
    LONG_TOPIC,
    /** A {@code Topic} with characters outside base64url (R-8030-6). */
    TOPIC_NOT_BASE64URL,
    /** {@code Content-Type: text/plain} (R-WDP-59). */
    WRONG_CONTENT_TYPE,
    /** No {@code Content-Type} (R-WDP-59). */
    NO_CONTENT_TYPE,
    /** {@code Content-Encoding: aesgcm} over an {@code aes128gcm} body (R-8291-9). */
    CONTENT_ENCODING_AESGCM,
    /** Encrypted with a random auth secret instead of the subscription's (R-WDP-48). */
    WRONG_AUTH_SECRET,
    /** The last ciphertext byte flipped, so the tag fails (R-WDP-48). */
    CORRUPT_CIPHERTEXT,
    /** Two records instead of one (R-8291-6). */
    TWO_RECORDS,
    /** A random 65-byte keyid that is not a P-256 point (R-8291-7). */
    KEYID_NOT_A_POINT,
    /** One salt for every message (R-8188-8). */
    REUSED_SALT,
    /** One ECDH key pair for every message (R-8291-2). */
    REUSED_ECDH_KEY,
    /** The first message to each push resource uses the VAPID key as its ECDH key (R-8292-10). */
    VAPID_KEY_AS_ECDH_KEY,
    /** A body padded past 4096 bytes, in one record of {@code rs} 8192 (R-8030-7). */
    BODY_OVER_4096,
    /** No {@code Authorization} header (R-WDP-54). */
    NO_AUTHORIZATION,
    /** Signed with a key other than the published one (R-WDP-54). */
    SIGNED_WITH_ANOTHER_KEY,
    /** {@code aud} of another origin (R-8292-2). */
    WRONG_AUDIENCE,
    /** {@code exp} 25 hours ahead (R-8292-2). */
    EXPIRY_TOO_FAR,
    /** {@code exp} two hours past (R-8292-2). */
    EXPIRED_TOKEN,
    /** An ASN.1 DER ECDSA signature instead of the 64-byte JOSE form (R-8292-3). */
    DER_SIGNATURE,
    /** No {@code sub} claim (R-8292-5). */
    NO_SUBJECT,
    /** {@code sub} an address without {@code mailto:} (R-8292-5). */
    SUBJECT_NOT_A_URI,
    /** Reports every message delivered without sending it (R-WDP-34). */
    SWALLOW_MESSAGES,
    /** Reports key-rotation messages delivered without sending them (R-WDP-55). */
    SWALLOW_KEY_ROTATION,
    /** Reports a push resource's 404/410 as delivered (R-WDP-45). */
    IGNORE_GONE
  }

  private static final String CONTENT_TYPE = "application/xml; charset=\"UTF-8\"";
  private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);
  private static final String JWT_HEADER =
      Base64Url.encode("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ECParameterSpec P256 = p256();

  private final Deviation deviation;
  private final WebPushTransport webPush;
  private final Supplier<VapidKeyPair> vapidKey;
  private final String subject;
  private final HttpClient http;
  private final KeyPair fixedEcdhKey = generate();
  private final VapidKeyPair otherKey = VapidKeyPair.generate();
  private final byte[] fixedSalt = new byte[Aes128GcmCodec.SALT_LENGTH];
  private final Set<String> firstMessageSent = ConcurrentHashMap.newKeySet();
  private final @Nullable FaultyWebPushTransport correct;

  FaultyWebPushTransport(
      Deviation deviation,
      WebPushTransport webPush,
      Supplier<VapidKeyPair> vapidKey,
      String subject) {
    this.deviation = requireNonNull(deviation, "deviation");
    this.webPush = requireNonNull(webPush, "webPush");
    this.vapidKey = requireNonNull(vapidKey, "vapidKey");
    this.subject = requireNonNull(subject, "subject");
    RANDOM.nextBytes(fixedSalt);
    this.correct =
        deviation == Deviation.NONE
            ? null
            : new FaultyWebPushTransport(Deviation.NONE, webPush, vapidKey, subject);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String name() {
    return webPush.name();
  }

  @Override
  public TransportDescriptor descriptor() {
    return webPush.descriptor();
  }

  @Override
  public boolean accepts(Subscription subscription) {
    return webPush.accepts(subscription);
  }

  @Override
  public CompletionStage<DeliveryResult> send(PushDelivery delivery) {
    if (!(delivery.subscription() instanceof WebPushSubscription sub)) {
      return CompletableFuture.failedFuture(
          new DeliveryException(
              DeliveryException.Reason.UNSUPPORTED, "not a web-push subscription"));
    }
    boolean keyRotation = isKeyRotation(delivery);
    if (keyRotation && deviation != Deviation.SWALLOW_KEY_ROTATION && correct != null) {
      // the deviation is in the change notifications; the key-rotation message goes out right
      return correct.send(delivery);
    }
    if (deviation == Deviation.SWALLOW_MESSAGES
        || (deviation == Deviation.SWALLOW_KEY_ROTATION && keyRotation)) {
      return CompletableFuture.completedFuture(new DeliveryResult.Delivered(201));
    }
    HttpRequest request;
    try {
      request = request(delivery, sub);
    } catch (GeneralSecurityException | RuntimeException e) {
      return CompletableFuture.failedFuture(
          new DeliveryException(
              DeliveryException.Reason.ENCRYPTION, "faulty transport: " + e.getMessage(), e));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new java.util.concurrent.CompletionException(
                    new DeliveryException(
                        DeliveryException.Reason.CONNECTION_FAILED,
                        "faulty transport: no answer from the push service",
                        failure));
              }
              DeliveryResult r =
                  DeliveryResult.classify(
                      response.statusCode(),
                      response
                          .headers()
                          .firstValue("Retry-After")
                          .flatMap(FaultyWebPushTransport::retryAfter)
                          .orElse(null));
              if (deviation == Deviation.IGNORE_GONE && r instanceof DeliveryResult.Gone) {
                return new DeliveryResult.Delivered(201);
              }
              return r;
            });
  }

  /** A {@code Retry-After} value as a delay: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
  static java.util.Optional<java.time.Duration> retryAfter(String value) {
    String v = value.trim();
    if (v.matches("[0-9]{1,9}")) {
      return java.util.Optional.of(java.time.Duration.ofSeconds(Long.parseLong(v)));
    }
    return dev.davpush.xml.HttpDates.parse(v)
        .map(t -> java.time.Duration.between(java.time.Instant.now(), t))
        .map(d -> d.isNegative() ? java.time.Duration.ZERO : d);
  }

  private HttpRequest request(PushDelivery delivery, WebPushSubscription sub)
      throws GeneralSecurityException {
    VapidKeyPair vapid = vapidKey.get();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sub.pushResource().uri())
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(delivery, sub, vapid)));
    b.header(
        "Content-Encoding",
        deviation == Deviation.CONTENT_ENCODING_AESGCM ? "aesgcm" : "aes128gcm");
    switch (deviation) {
      case NO_TTL -> {}
      case TTL_NOT_DIGITS -> b.header("TTL", delivery.ttl().getSeconds() + "s");
      default -> b.header("TTL", Long.toString(delivery.ttl().getSeconds()));
    }
    switch (deviation) {
      case BAD_URGENCY -> b.header("Urgency", "urgent");
      case TWO_URGENCIES -> b.header("Urgency", "low").header("Urgency", "high");
      default -> {
        if (delivery.urgency() != Urgency.NORMAL) {
          b.header("Urgency", delivery.urgency().token());
        }
      }
    }
    switch (deviation) {
      case LONG_TOPIC -> b.header("Topic", "t".repeat(33));
      case TOPIC_NOT_BASE64URL -> b.header("Topic", "a+b/c=");
      default -> delivery.topic().ifPresent(t -> b.header("Topic", t));
    }
    switch (deviation) {
      case WRONG_CONTENT_TYPE -> b.header("Content-Type", "text/plain; charset=UTF-8");
      case NO_CONTENT_TYPE -> {}
      default -> b.header("Content-Type", CONTENT_TYPE);
    }
    if (deviation != Deviation.NO_AUTHORIZATION) {
      b.header("Authorization", authorization(vapid, sub.pushResource().origin()));
    }
    return b.build();
  }

  private static boolean isKeyRotation(PushDelivery delivery) {
    try {
      return PushMessageReader.read(delivery.payload()).isKeyRotation();
    } catch (RuntimeException e) {
      return false;
    }
  }

  // --- RFC 8291 ---

  private byte[] body(PushDelivery delivery, WebPushSubscription sub, VapidKeyPair vapid)
      throws GeneralSecurityException {
    byte[] plaintext = delivery.payload();
    KeyPair ecdh;
    byte[] asPublic;
    if (deviation == Deviation.REUSED_ECDH_KEY) {
      ecdh = fixedEcdhKey;
      asPublic = encode((ECPublicKey) ecdh.getPublic());
    } else if (deviation == Deviation.VAPID_KEY_AS_ECDH_KEY
        && firstMessageSent.add(sub.pushResource().uri().toString())) {
      ecdh = new KeyPair(publicKey(vapid.publicKey().bytes()), privateKey(vapid));
      asPublic = vapid.publicKey().bytes();
    } else {
      ecdh = generate();
      asPublic = encode((ECPublicKey) ecdh.getPublic());
    }
    byte[] ua = sub.subscriptionPublicKey().bytes();
    byte[] auth = sub.authSecret().bytes();
    if (deviation == Deviation.WRONG_AUTH_SECRET) {
      auth = new byte[auth.length];
      RANDOM.nextBytes(auth);
    }
    KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(ecdh.getPrivate());
    agreement.doPhase(publicKey(ua), true);
    byte[] secret = agreement.generateSecret();
    byte[] prk = hmac(auth, secret);
    byte[] info = concat(KEY_INFO, ua, asPublic, new byte[] {1});
    byte[] ikm = Arrays.copyOf(hmac(prk, info), 32);
    byte[] salt = new byte[Aes128GcmCodec.SALT_LENGTH];
    if (deviation == Deviation.REUSED_SALT) {
      salt = fixedSalt.clone();
    } else {
      RANDOM.nextBytes(salt);
    }
    byte[] keyId = asPublic;
    if (deviation == Deviation.KEYID_NOT_A_POINT) {
      keyId = new byte[P256PublicKey.LENGTH];
      RANDOM.nextBytes(keyId);
      keyId[0] = 4; // the form of an uncompressed point, almost surely not on the curve
    }
    byte[] body =
        switch (deviation) {
          case TWO_RECORDS ->
              Aes128GcmCodec.encrypt(plaintext, ikm, salt, keyId, plaintext.length / 2 + 18, 0);
          case BODY_OVER_4096 ->
              Aes128GcmCodec.encryptRecords(
                  plaintext,
                  new int[] {plaintext.length},
                  new int[] {4200},
                  ikm,
                  salt,
                  keyId,
                  8192);
          default ->
              Aes128GcmCodec.encryptRecords(
                  plaintext, new int[] {plaintext.length}, new int[] {0}, ikm, salt, keyId, 4096);
        };
    if (deviation == Deviation.CORRUPT_CIPHERTEXT) {
      body[body.length - 1] ^= 0x01;
    }
    return body;
  }

  // --- RFC 8292 ---

  private String authorization(VapidKeyPair key, String origin) throws GeneralSecurityException {
    VapidKeyPair signer = deviation == Deviation.SIGNED_WITH_ANOTHER_KEY ? otherKey : key;
    Instant now = Instant.now();
    long exp =
        switch (deviation) {
          case EXPIRY_TOO_FAR -> now.plus(Duration.ofHours(25)).getEpochSecond();
          case EXPIRED_TOKEN -> now.minus(Duration.ofHours(2)).getEpochSecond();
          default -> now.plus(Duration.ofHours(12)).getEpochSecond();
        };
    String aud = deviation == Deviation.WRONG_AUDIENCE ? "https://push.example.net" : origin;
    StringBuilder claims = new StringBuilder("{\"aud\":\"").append(aud).append("\",\"exp\":");
    claims.append(exp);
    switch (deviation) {
      case NO_SUBJECT -> {}
      case SUBJECT_NOT_A_URI -> claims.append(",\"sub\":\"reference-server@davpush.invalid\"");
      default -> claims.append(",\"sub\":\"").append(subject).append('"');
    }
    claims.append('}');
    String signingInput =
        JWT_HEADER + "." + Base64Url.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature ecdsa =
        Signature.getInstance(
            deviation == Deviation.DER_SIGNATURE
                ? "SHA256withECDSA"
                : "SHA256withECDSAinP1363Format");
    ecdsa.initSign(privateKey(signer));
    ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String jwt = signingInput + "." + Base64Url.encode(ecdsa.sign());
    return "vapid t=" + jwt + ", k=" + signer.publicKey().toBase64Url();
  }

  // --- P-256 plumbing ---

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available", e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(P256, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation failed", e);
    }
  }

  private static PrivateKey privateKey(VapidKeyPair key) throws GeneralSecurityException {
    byte[] d = key.privateKeyBytes();
    try {
      return KeyFactory.getInstance("EC")
          .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), P256));
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  private static PublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65));
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
  }

  private static byte[] encode(ECPublicKey key) {
    byte[] out = new byte[P256PublicKey.LENGTH];
    out[0] = 4;
    copy32(key.getW().getAffineX(), out, 1);
    copy32(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }
}
