package dev.davpush.benchmarks.crypto;

import dev.davpush.PushResource;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.Vapid;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.webpush.crypto.WebPushEncryption;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.PushService;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One RFC 8291 push message with a 300-byte payload, prepared for sending: encrypted and authorised
 * with VAPID. Ours reuses the VAPID header per origin as {@code WebPushTransport} does;
 * webpush-java builds its {@code Notification} and {@code preparePost}s it (new JWT per message).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class WebPushMessageBenchmark {
  static final String ENDPOINT = "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV";

  byte[] payload;
  UserAgentKeyPair ua;
  VapidKeyPair vapid;
  PushResource resource;
  final ConcurrentHashMap<String, String> vapidHeaders = new ConcurrentHashMap<>();

  PushService webpushJava;

  /**
   * {@code PushService.preparePost}, looked up reflectively: its HttpClient 4 return type is a
   * runtime-only dependency of webpush-java.
   */
  java.lang.reflect.Method preparePost;

  Notification notification;
  String uaPublic;
  String uaAuth;

  /** Keys, payload and both libraries' senders. */
  @Setup
  public void setUp() throws Exception {
    payload = new byte[300];
    new Random(300).nextBytes(payload);
    ua = UserAgentKeyPair.generate();
    vapid = VapidKeyPair.generate();
    resource = PushResource.parse(ENDPOINT);
    uaPublic = ua.publicKey().toBase64Url();
    uaAuth = ua.authSecret().toBase64Url();
    // webpush-java requires a globally registered BouncyCastle provider; only this anchor needs it
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    webpushJava =
        new PushService(
            vapid.publicKey().toBase64Url(), vapid.privateKeyBase64Url(), "mailto:ops@example.com");
    notification = new Notification(ENDPOINT, uaPublic, uaAuth, payload);
    preparePost = PushService.class.getMethod("preparePost", Notification.class, Encoding.class);
  }

  /** Ours: RFC 8291 encryption plus the cached VAPID header of the origin. */
  @Benchmark
  public void davpushEncryptAndAuthorize(Blackhole bh) {
    bh.consume(WebPushEncryption.encrypt(payload, ua.publicKey(), ua.authSecret()));
    bh.consume(
        vapidHeaders.computeIfAbsent(
            resource.origin(),
            origin ->
                Vapid.authorization(
                    vapid,
                    origin,
                    Instant.now().plus(Duration.ofHours(12)),
                    "mailto:ops@example.com")));
  }

  /** Ours, signing a new VAPID token for every message (what the cache avoids). */
  @Benchmark
  public void davpushEncryptAndSignEveryTime(Blackhole bh) {
    bh.consume(WebPushEncryption.encrypt(payload, ua.publicKey(), ua.authSecret()));
    bh.consume(
        Vapid.authorization(
            vapid,
            resource.origin(),
            Instant.now().plus(Duration.ofHours(12)),
            "mailto:ops@example.com"));
  }

  /** webpush-java 5.1.2: Notification from the subscription's strings, then preparePost. */
  @Benchmark
  public Object webpushJavaPreparePost() throws Exception {
    return preparePost.invoke(
        webpushJava, new Notification(ENDPOINT, uaPublic, uaAuth, payload), Encoding.AES128GCM);
  }

  /** webpush-java 5.1.2 with a Notification built once (its most favourable case). */
  @Benchmark
  public Object webpushJavaPreparePostPrebuiltNotification() throws Exception {
    return preparePost.invoke(webpushJava, notification, Encoding.AES128GCM);
  }

  /**
   * The user agent side: decrypting one such message. The same body every time, so the sender point
   * is cached: an optimistic figure (a real user agent sees a new sender key per message).
   */
  @Benchmark
  public byte[] davpushDecrypt(DecryptState s) {
    return ua.decrypt(s.body);
  }

  /** A body to decrypt. */
  @State(Scope.Benchmark)
  public static class DecryptState {
    byte[] body;

    /** Encrypts one message. */
    @Setup
    public void setUp(WebPushMessageBenchmark b) {
      body = WebPushEncryption.encrypt(b.payload, b.ua.publicKey(), b.ua.authSecret());
    }
  }
}
