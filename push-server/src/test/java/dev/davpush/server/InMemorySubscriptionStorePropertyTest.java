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
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The store against a trivially correct model: a map by id plus linear scans. */
class InMemorySubscriptionStorePropertyTest {
  static final P256PublicKey KEY =
      P256PublicKey.fromBase64Url(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final AuthSecret SECRET = AuthSecret.of(new byte[16]);

  sealed interface Op permits Save, Remove, RemoveBySub, RemoveExpired {}

  record Save(String id, String owner, String path, String push, int expiresIn) implements Op {}

  record Remove(String id) implements Op {}

  record RemoveBySub(String push) implements Op {}

  record RemoveExpired(int at) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> ids = Arbitraries.of("r1", "r2", "r3", "r4", "r5");
    Arbitrary<String> owners = Arbitraries.of("alice", "bob");
    Arbitrary<String> paths = Arbitraries.of("/a/", "/b/", "/a/c/");
    Arbitrary<String> pushes = Arbitraries.of("p1", "p2", "p3");
    Arbitrary<Integer> times = Arbitraries.integers().between(0, 10);
    Arbitrary<Op> save =
        Combinators.combine(ids, owners, paths, pushes, times).as(Save::new).map(o -> (Op) o);
    Arbitrary<Op> remove = ids.map(Remove::new);
    Arbitrary<Op> removeBySub = pushes.map(RemoveBySub::new);
    Arbitrary<Op> removeExpired = times.map(RemoveExpired::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, save),
            net.jqwik.api.Tuple.of(2, remove),
            net.jqwik.api.Tuple.of(1, removeBySub),
            net.jqwik.api.Tuple.of(1, removeExpired))
        .list()
        .ofMaxSize(40);
  }

  @Property
  void indexesAgreeWithAModelAfterAnySequence(@ForAll("ops") List<Op> ops) {
    InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    Map<String, Registration> model = new HashMap<>();
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
        } catch (dev.davpush.RegistrationConflictException e) {
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
      }
      assertConsistent(store, model);
    }
  }

  private static void assertConsistent(InMemorySubscriptionStore store, Map<String, Registration> model) {
    assertThat(store.size()).isEqualTo(model.size());
    for (String id : List.of("r1", "r2", "r3", "r4", "r5")) {
      assertThat(store.find(id)).isEqualTo(java.util.Optional.ofNullable(model.get(id)));
    }
    for (String path : List.of("/a/", "/b/", "/a/c/")) {
      assertThat(store.findByTopic(Topic.of(path)))
          .containsExactlyInAnyOrderElementsOf(
              model.values().stream().filter(r -> r.topic().value().equals(path)).toList());
      for (String owner : List.of("alice", "bob")) {
        for (String push : List.of("p1", "p2", "p3")) {
          String subId = pushUri(push);
          assertThat(store.find(owner, path, subId))
              .isEqualTo(
                  model.values().stream()
                      .filter(
                          r ->
                              r.owner().equals(owner)
                                  && r.resourcePath().equals(path)
                                  && Objects.equals(r.subscription().id(), subId))
                      .findFirst());
        }
      }
    }
    for (String push : List.of("p1", "p2", "p3")) {
      String subId = pushUri(push);
      assertThat(store.findBySubscription(subId))
          .containsExactlyInAnyOrderElementsOf(
              model.values().stream().filter(r -> r.subscription().id().equals(subId)).toList());
    }
  }

  private static String pushUri(String push) {
    return "https://push.example/" + push;
  }

  private static Registration registration(Save s) {
    return Registration.builder()
        .id(s.id())
        .registrationUrl(URI.create("https://dav.example/push/" + s.id()))
        .resourcePath(s.path())
        .topic(Topic.of(s.path()))
        .owner(s.owner())
        .subscription(WebPushSubscription.of(PushResource.parse(pushUri(s.push())), KEY, SECRET))
        .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
        .expires(NOW.plusSeconds(s.expiresIn()))
        .created(NOW)
        .build();
  }
}
