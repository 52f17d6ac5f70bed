package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Subscription;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The store against a trivially correct model: a map by id plus linear scans, and a map of failure
 * streaks. Every operation of the SPI is run in random sequences; after each, every lookup, count
 * and the paged distinct subscriptions are compared with the model.
 */
class InMemorySubscriptionStorePropertyTest {
  static final P256PublicKey KEY =
      P256PublicKey.fromBase64Url(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
  static final P256PublicKey OTHER_KEY = freshKey();
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final AuthSecret SECRET = AuthSecret.of(new byte[16]);

  /** How a saved registration differs from the plain Web Push one. */
  enum Shape {
    /** aes128gcm, registration URL = base + id, one trigger. */
    PLAIN,
    /** aesgcm, another key, two triggers, another URL base, nanoseconds in the instants. */
    VARIED,
    /** A registration URL that does not end with the id (kept whole). */
    URL_WITHOUT_ID,
    /** Another transport's subscription (kept whole). */
    OTHER_TRANSPORT
  }

  /** The pools operations draw from. */
  record Pools(List<String> ids, List<String> owners, List<String> paths, List<String> pushes) {
    static Pools of(int ids, int owners, int paths, int pushes) {
      return new Pools(
          names("r", ids), names("owner", owners), names("/c/", paths), names("p", pushes));
    }

    private static List<String> names(String prefix, int n) {
      return IntStream.range(0, n)
          .mapToObj(i -> prefix + i + (prefix.startsWith("/") ? "/" : ""))
          .toList();
    }
  }

  static final Pools SMALL = Pools.of(5, 2, 3, 3);
  // Enough registrations at once for the tables to grow past 16 and shrink again.
  static final Pools LARGE = Pools.of(40, 3, 3, 12);

  sealed interface Op permits Save, Remove, RemoveBySub, RemoveExpired, Success, Failure, Pages {}

  record Save(
      String id, String owner, String path, String topic, String push, int expiresIn, Shape shape)
      implements Op {}

  record Remove(String id) implements Op {}

  record RemoveBySub(String push) implements Op {}

  record RemoveExpired(int at) implements Op {}

  record Success(String push, int at) implements Op {}

  record Failure(String push, int at) implements Op {}

  record Pages(int limit, int at) implements Op {}

  @Provide
  Arbitrary<List<Op>> small() {
    return ops(SMALL, 40);
  }

  @Provide
  Arbitrary<List<Op>> large() {
    return ops(LARGE, 120);
  }

  private static Arbitrary<List<Op>> ops(Pools pools, int maxOps) {
    Arbitrary<String> ids = Arbitraries.of(pools.ids());
    Arbitrary<String> owners = Arbitraries.of(pools.owners());
    Arbitrary<String> paths = Arbitraries.of(pools.paths());
    Arbitrary<String> pushes = Arbitraries.of(pools.pushes());
    Arbitrary<Integer> times = Arbitraries.integers().between(0, 10);
    Arbitrary<Shape> shapes =
        Arbitraries.frequency(
            Tuple.of(6, Shape.PLAIN),
            Tuple.of(2, Shape.VARIED),
            Tuple.of(1, Shape.URL_WITHOUT_ID),
            Tuple.of(1, Shape.OTHER_TRANSPORT));
    Arbitrary<Op> save =
        Combinators.combine(ids, owners, paths, paths, pushes, times, shapes)
            .as(Save::new)
            .map(o -> (Op) o);
    Arbitrary<Op> remove = ids.map(Remove::new);
    Arbitrary<Op> removeBySub = pushes.map(RemoveBySub::new);
    Arbitrary<Op> removeExpired = times.map(RemoveExpired::new);
    Arbitrary<Op> success = Combinators.combine(pushes, times).as(Success::new);
    Arbitrary<Op> failure = Combinators.combine(pushes, times).as(Failure::new);
    Arbitrary<Op> pages =
        Combinators.combine(Arbitraries.integers().between(1, 5), times).as(Pages::new);
    return Arbitraries.frequencyOf(
            Tuple.of(12, save),
            Tuple.of(3, remove),
            Tuple.of(1, removeBySub),
            Tuple.of(1, removeExpired),
            Tuple.of(2, success),
            Tuple.of(3, failure),
            Tuple.of(2, pages))
        .list()
        .ofMaxSize(maxOps);
  }

  @Property
  void indexesAgreeWithAModelAfterAnySequence(@ForAll("small") List<Op> ops) {
    run(SMALL, ops);
  }

  @Property
  void indexesAgreeWithAModelWhileTheTablesGrowAndShrink(@ForAll("large") List<Op> ops) {
    run(LARGE, ops);
  }

  private static void run(Pools pools, List<Op> ops) {
    InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    Map<String, Registration> model = new HashMap<>();
    Map<String, Instant> failingSince = new HashMap<>();
    for (Op op : ops) {
      if (op instanceof Save s) {
        Registration r = registration(s);
        boolean conflict =
            model.values().stream()
                .anyMatch(
                    o ->
                        !o.id().equals(r.id())
                            && o.owner().equals(r.owner())
                            && o.resourcePath().equals(r.resourcePath())
                            && o.subscription().id().equals(r.subscription().id()));
        try {
          store.save(r);
          assertThat(conflict).as("save succeeded although the natural key was taken").isFalse();
          model.put(r.id(), r);
        } catch (RegistrationConflictException e) {
          assertThat(conflict).as("save refused without a conflict").isTrue();
        }
      } else if (op instanceof Remove r) {
        assertThat(store.remove(r.id())).isEqualTo(model.remove(r.id()) != null);
      } else if (op instanceof RemoveBySub r) {
        String subId = pushUri(r.push());
        long expected =
            model.values().stream().filter(o -> o.subscription().id().equals(subId)).count();
        model.values().removeIf(o -> o.subscription().id().equals(subId));
        assertThat(store.removeBySubscription(subId)).isEqualTo((int) expected);
      } else if (op instanceof RemoveExpired r) {
        Instant at = NOW.plusSeconds(r.at());
        long expected = model.values().stream().filter(o -> o.isExpired(at)).count();
        model.values().removeIf(o -> o.isExpired(at));
        assertThat(store.removeExpired(at)).isEqualTo((int) expected);
      } else if (op instanceof Success s) {
        String subId = pushUri(s.push());
        store.recordSuccess(subId, NOW.plusSeconds(s.at()));
        failingSince.remove(subId);
      } else if (op instanceof Failure f) {
        String subId = pushUri(f.push());
        Instant at = NOW.plusSeconds(f.at());
        Instant expected = failingSince.getOrDefault(subId, at);
        if (hasSubscription(model, subId)) {
          failingSince.putIfAbsent(subId, at);
        }
        assertThat(store.recordFailure(subId, at))
            .as("start of the failure streak")
            .isEqualTo(expected);
      } else if (op instanceof Pages p) {
        assertPagesCoverEveryLiveSubscriptionOnce(store, model, NOW.plusSeconds(p.at()), p.limit());
      }
      // a push resource without registrations has no streak; one saved again starts afresh
      failingSince.keySet().removeIf(subId -> !hasSubscription(model, subId));
      assertConsistent(pools, store, model);
    }
    // every streak the model knows is still the store's
    for (Map.Entry<String, Instant> streak : failingSince.entrySet()) {
      assertThat(store.recordFailure(streak.getKey(), NOW.plusSeconds(99)))
          .isEqualTo(streak.getValue());
    }
  }

  private static boolean hasSubscription(Map<String, Registration> model, String subId) {
    return model.values().stream().anyMatch(o -> o.subscription().id().equals(subId));
  }

  private static void assertPagesCoverEveryLiveSubscriptionOnce(
      InMemorySubscriptionStore store, Map<String, Registration> model, Instant now, int limit) {
    List<String> expected =
        model.values().stream()
            .filter(r -> !r.isExpired(now))
            .map(r -> r.subscription().id())
            .distinct()
            .sorted()
            .toList();
    List<String> seen = new ArrayList<>();
    String after = null;
    for (int pageNo = 0; ; pageNo++) {
      assertThat(pageNo).as("pages never end").isLessThanOrEqualTo(expected.size() + 1);
      List<Registration> page = store.distinctSubscriptions(after, now, limit);
      assertThat(page.size()).isLessThanOrEqualTo(limit);
      for (Registration r : page) {
        String subId = r.subscription().id();
        assertThat(model.get(r.id())).as("a stored registration stands for it").isEqualTo(r);
        assertThat(r.isExpired(now)).as("the representative is not expired").isFalse();
        if (after != null) {
          assertThat(subId).as("in order, after the previous one").isGreaterThan(after);
        }
        after = subId;
        seen.add(subId);
      }
      if (page.size() < limit) {
        break;
      }
    }
    assertThat(seen).as("every live subscription once, in order").isEqualTo(expected);
  }

  private static void assertConsistent(
      Pools pools, InMemorySubscriptionStore store, Map<String, Registration> model) {
    assertThat(store.size()).isEqualTo(model.size());
    for (String id : pools.ids()) {
      assertThat(store.find(id)).isEqualTo(Optional.ofNullable(model.get(id)));
    }
    Map<List<String>, Registration> byNaturalKey = new HashMap<>();
    for (Registration r : model.values()) {
      byNaturalKey.put(List.of(r.owner(), r.resourcePath(), r.subscription().id()), r);
    }
    for (String path : pools.paths()) {
      assertThat(store.findByTopic(Topic.of(path)))
          .containsExactlyInAnyOrderElementsOf(
              model.values().stream().filter(r -> r.topic().value().equals(path)).toList());
      assertThat(store.countByResource(path))
          .isEqualTo(
              (int) model.values().stream().filter(r -> r.resourcePath().equals(path)).count());
      for (String owner : pools.owners()) {
        for (String push : pools.pushes()) {
          String subId = pushUri(push);
          assertThat(store.find(owner, path, subId))
              .isEqualTo(Optional.ofNullable(byNaturalKey.get(List.of(owner, path, subId))));
        }
      }
    }
    for (String owner : pools.owners()) {
      assertThat(store.countByOwner(owner))
          .isEqualTo((int) model.values().stream().filter(r -> r.owner().equals(owner)).count());
    }
    Set<String> pushes = new HashSet<>(pools.pushes());
    for (String push : pushes) {
      String subId = pushUri(push);
      assertThat(store.findBySubscription(subId))
          .containsExactlyInAnyOrderElementsOf(
              model.values().stream().filter(r -> r.subscription().id().equals(subId)).toList());
    }
  }

  private static String pushUri(String push) {
    return "https://push.example/" + push;
  }

  /** A subscription of a transport other than Web Push. */
  record OtherSubscription(String id) implements Subscription {
    @Override
    public String transport() {
      return "other";
    }
  }

  private static Registration registration(Save s) {
    String push = pushUri(s.push());
    Registration.Builder b =
        Registration.builder()
            .id(s.id())
            .registrationUrl(URI.create("https://dav.example/push/" + s.id()))
            .resourcePath(s.path())
            .topic(Topic.of(s.topic()))
            .owner(s.owner())
            .subscription(WebPushSubscription.of(PushResource.parse(push), KEY, SECRET))
            .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
            .expires(NOW.plusSeconds(s.expiresIn()))
            .created(NOW);
    return switch (s.shape()) {
      case PLAIN -> b.build();
      case VARIED ->
          b.registrationUrl(URI.create("https://other.example/r%C3%A9g/" + s.id()))
              .subscription(
                  WebPushSubscription.of(
                      PushResource.parse(push),
                      ContentEncoding.AESGCM,
                      OTHER_KEY,
                      AuthSecret.of(s.id().repeat(16).substring(0, 16).getBytes())))
              .triggers(
                  List.of(
                      new Trigger.ContentUpdate(Depth.INFINITY),
                      new Trigger.PropertyUpdate(Depth.ZERO, Set.of(PropertyName.DISPLAYNAME))))
              .expires(NOW.plusSeconds(s.expiresIn()).plusNanos(1))
              .created(NOW.minusNanos(123_456_789))
              .build();
      case URL_WITHOUT_ID ->
          b.registrationUrl(URI.create("https://dav.example/push/" + s.id() + "?v=2")).build();
      case OTHER_TRANSPORT -> b.subscription(new OtherSubscription(push)).build();
    };
  }

  private static P256PublicKey freshKey() {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey k = (ECPublicKey) kpg.generateKeyPair().getPublic();
      byte[] out = new byte[65];
      out[0] = 0x04;
      copy32(k.getW().getAffineX(), out, 1);
      copy32(k.getW().getAffineY(), out, 33);
      return P256PublicKey.of(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }
}
