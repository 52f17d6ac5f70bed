package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the retained heap per registration of {@link InMemorySubscriptionStore} with realistic
 * data: 100,000 registrations over 1,000 owners with 5 collections each, every registration its own
 * ~180-character push resource and fresh P-256 key and auth secret, and owner, path, topic and
 * trigger values that arrive as fresh objects per registration (as from parsing a request).
 *
 * <p>Not a timed unit test: it runs only on request, and reports the figure.
 *
 * <pre>
 * mvn -B -ntp -q -pl push-api,push-webdav-xml,push-server test \
 *   -Dtest=InMemorySubscriptionStoreFootprintTest -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Ddavpush.footprint=true
 * </pre>
 *
 * <p>With {@code -Ddavpush.footprint=true} the test asserts the target of at most 600 bytes per
 * registration (the measured figure is far enough below it to be stable).
 */
class InMemorySubscriptionStoreFootprintTest {
  static final int REGISTRATIONS = 100_000;
  static final int OWNERS = 1_000;
  static final int COLLECTIONS_PER_OWNER = 5;
  static final long TARGET_BYTES = 600;

  @Test
  @EnabledIfSystemProperty(named = "davpush.footprint", matches = "true")
  void retainsAtMost600BytesPerRegistration(TestReporter report) throws Exception {
    double perRegistration = measure(REGISTRATIONS);
    report.publishEntry(
        "InMemorySubscriptionStore",
        String.format(
            java.util.Locale.ROOT,
            "%.0f bytes per registration (%d registrations)",
            perRegistration,
            REGISTRATIONS));
    assertThat(perRegistration).isLessThanOrEqualTo(TARGET_BYTES);
  }

  static double measure(int n) throws GeneralSecurityException {
    Random random = new Random(42);
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    String[] owners = new String[OWNERS];
    String[][] topics = new String[OWNERS][COLLECTIONS_PER_OWNER];
    for (int o = 0; o < OWNERS; o++) {
      owners[o] = "user" + o + "@example.com";
      for (int c = 0; c < COLLECTIONS_PER_OWNER; c++) {
        topics[o][c] = base64Url(random, 16);
      }
    }
    Instant now = Instant.now();
    long before = usedHeapAfterGc();
    InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    for (int i = 0; i < n; i++) {
      int o = i % OWNERS;
      int c = (i / OWNERS) % COLLECTIONS_PER_OWNER;
      String owner = new String(owners[o]);
      String path = "/dav/calendars/" + owner + "/calendar-" + c + "/";
      String id = base64Url(random, 16);
      String push =
          "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABm" + base64Url(random, 96);
      Instant created = now.plusNanos(random.nextInt(1_000_000_000));
      store.save(
          Registration.builder()
              .id(id)
              .registrationUrl(URI.create("https://dav.example.com/.well-known/davpush/" + id))
              .resourcePath(path)
              .topic(Topic.of(new String(topics[o][c])))
              .owner(owner)
              .subscription(
                  WebPushSubscription.of(
                      PushResource.parse(push),
                      P256PublicKey.of(
                          uncompressed((ECPublicKey) kpg.generateKeyPair().getPublic())),
                      AuthSecret.random()))
              .triggers(
                  List.of(
                      new Trigger.ContentUpdate(Depth.ONE), new Trigger.PropertyUpdate(Depth.ZERO)))
              .expires(created.plus(Duration.ofDays(7)))
              .created(created)
              .build());
    }
    long after = usedHeapAfterGc();
    if (store.size() != n) {
      throw new AssertionError("expected " + n + " registrations, got " + store.size());
    }
    return (after - before) / (double) n;
  }

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Runtime rt = Runtime.getRuntime();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static String base64Url(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 0x04;
    copy32(key.getW().getAffineX(), out, 1);
    copy32(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }
}
