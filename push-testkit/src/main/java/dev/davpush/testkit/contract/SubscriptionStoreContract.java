package dev.davpush.testkit.contract;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link SubscriptionStore}: every promise of its Javadoc that a test can check,
 * one test per {@link ContractRule} ({@code STORE-01} … {@code STORE-28}). Extend it in your test
 * sources and supply a fresh, empty store:
 *
 * <pre>{@code
 * class MyStoreContractTest extends SubscriptionStoreContract {
 *   @Override
 *   protected SubscriptionStore createStore() {
 *     return new MyStore(freshSchema());
 *   }
 *
 *   @Override
 *   protected void disposeStore(SubscriptionStore store) {
 *     ((MyStore) store).dropSchema();
 *   }
 * }
 * }</pre>
 *
 * <p>The kit stores Web Push registrations with {@code https} push resources under {@code
 * push.example.test} and registration URLs under {@code dav.example.test}; nothing is contacted.
 * All instants are whole seconds, so a store that keeps microseconds or milliseconds passes. The
 * concurrency rules run {@link #concurrency()} threads at once and each test has a time limit of
 * {@value #TIMEOUT_SECONDS} seconds.
 *
 * <p>Thread safety: JUnit creates one instance per test; not for other use.
 */
@DisplayNameGeneration(RuleDisplayNames.class)
@Timeout(value = SubscriptionStoreContract.TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
public abstract class SubscriptionStoreContract {
  /** Time limit of each test, in seconds: 60. */
  public static final long TIMEOUT_SECONDS = 60;

  /** The instant the kit treats as "now" in expiry rules: 2030-01-01T00:00:00Z. */
  public static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static final UserAgentKeyPair KEYS = UserAgentKeyPair.generate();
  private static final UserAgentKeyPair OTHER_KEYS = UserAgentKeyPair.generate();

  /** Distinguishes this test's names from another test's, in case a store is not emptied. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private @Nullable SubscriptionStore store;

  /** For subclasses. */
  protected SubscriptionStoreContract() {}

  /**
   * The store under test, new and empty; called once before each test.
   *
   * @return an empty store
   */
  protected abstract SubscriptionStore createStore();

  /**
   * Releases a store after its test (drop its tables, close its pool). The default does nothing.
   *
   * @param store the store {@link #createStore()} returned
   * @throws Exception if releasing fails; the test then fails
   */
  protected void disposeStore(SubscriptionStore store) throws Exception {}

  /**
   * How many threads the concurrency rules (STORE-10, STORE-11) run at once. Default 8; a store
   * with a connection pool smaller than that may want fewer.
   *
   * @return ≥ 2
   */
  protected int concurrency() {
    return 8;
  }

  /** Creates the store under test. */
  @BeforeEach
  public final void createStoreUnderTest() {
    store = requireNonNull(createStore(), "createStore() returned null");
  }

  /**
   * Releases the store under test.
   *
   * @throws Exception if {@link #disposeStore} fails
   */
  @AfterEach
  public final void disposeStoreUnderTest() throws Exception {
    SubscriptionStore s = store;
    store = null;
    if (s != null) {
      disposeStore(s);
    }
  }

  /**
   * The store under test, for subclasses' own tests.
   *
   * @return the store {@link #createStore()} gave for the running test
   */
  protected final SubscriptionStore store() {
    SubscriptionStore s = store;
    if (s == null) {
      throw new IllegalStateException("store(): only while a test runs");
    }
    return s;
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private String id(String name) {
    return run + "-" + name;
  }

  private String owner(String name) {
    return "principal-" + run + "-" + name;
  }

  private String path(String name) {
    return "/dav/" + run + "/" + name + "/";
  }

  private Topic topicOf(String path) {
    return Topic.of("topic:" + path);
  }

  /** A push resource URI; names sort like the subscription ids they give. */
  private String subscription(String name) {
    return "https://push.example.test/push/" + run + "-" + name;
  }

  private Registration registration(
      String id, String owner, String path, String subscription, Instant expires) {
    return Registration.builder()
        .id(id)
        .registrationUrl(URI.create("https://dav.example.test/push/registrations/" + id))
        .resourcePath(path)
        .topic(topicOf(path))
        .owner(owner)
        .subscription(
            WebPushSubscription.of(
                new PushResource(URI.create(subscription)), KEYS.publicKey(), KEYS.authSecret()))
        .triggers(List.of(new Trigger.ContentUpdate(Depth.ONE)))
        .expires(expires)
        .created(NOW.minus(Duration.ofDays(1)))
        .build();
  }

  private Registration registration(String id, String owner, String path, String subscription) {
    return registration(id, owner, path, subscription, NOW.plus(Duration.ofDays(7)));
  }

  private static Set<String> ids(Collection<Registration> registrations) {
    return registrations.stream().map(Registration::id).collect(Collectors.toSet());
  }

  private static Optional<String> idOf(Optional<Registration> registration) {
    return registration.map(Registration::id);
  }

  private static List<String> subscriptionIds(List<Registration> page) {
    return page.stream().map(r -> r.subscription().id()).collect(Collectors.toList());
  }

  private static Instant at(int seconds) {
    return NOW.plusSeconds(seconds);
  }

  // ---- rules ----------------------------------------------------------------------------------

  /** {@code save}, {@code find} and updates. */
  @Nested
  @DisplayName("Saving and finding")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class SavingAndFinding {
    /** For JUnit. */
    public SavingAndFinding() {}

    /** STORE-01. */
    @Test
    @Verifies(ContractRule.STORE_SAVE_THEN_FIND)
    public void saveThenFind() {
      Registration r =
          registration(id("a"), owner("o"), path("p"), subscription("s")).toBuilder()
              .triggers(
                  List.of(
                      new Trigger.ContentUpdate(Depth.INFINITY),
                      new Trigger.PropertyUpdate(
                          Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, PropertyName.GETETAG))))
              .created(NOW.minus(Duration.ofHours(5)))
              .build();
      store().save(r);
      assertEquals(Optional.of(r), store().find(r.id()), "find(id) after save(r)");
    }

    /** STORE-02. */
    @Test
    @Verifies(ContractRule.STORE_FIND_UNKNOWN)
    public void findUnknown() {
      store().save(registration(id("a1"), owner("o"), path("p"), subscription("s")));
      assertEquals(Optional.empty(), store().find(id("unknown")), "find(id) of an unknown id");
      assertEquals(
          Optional.empty(), store().find(id("a")), "find(id) of a prefix of the stored id");
    }

    /** STORE-03. */
    @Test
    @Verifies(ContractRule.STORE_FIND_BY_NATURAL_KEY)
    public void findByNaturalKey() {
      Registration r = registration(id("a"), owner("o"), path("p"), subscription("s"));
      store().save(r);
      assertEquals(
          Optional.of(r),
          store().find(owner("o"), path("p"), subscription("s")),
          "find(owner, path, subscription) of the saved key");
      assertEquals(
          Optional.empty(),
          store().find(owner("o"), path("p"), subscription("other")),
          "find with another subscription id");
    }

    /** STORE-04. */
    @Test
    @Verifies(ContractRule.STORE_UPDATE_REPLACES)
    public void updateReplaces() {
      Registration r = registration(id("a"), owner("o"), path("p"), subscription("s"));
      store().save(r);
      List<Trigger> triggers = List.of(new Trigger.PropertyUpdate(Depth.ONE));
      WebPushSubscription newKeys =
          WebPushSubscription.of(
              new PushResource(URI.create(subscription("s"))),
              OTHER_KEYS.publicKey(),
              OTHER_KEYS.authSecret());
      Registration updated =
          r.toBuilder()
              .expires(NOW.plus(Duration.ofDays(30)))
              .triggers(triggers)
              .subscription(newKeys)
              .build();
      store().save(updated);
      Registration read =
          store().find(r.id()).orElseThrow(() -> new AssertionError("find(id) after an update"));
      assertEquals(updated.expires(), read.expires(), "expiry after an update");
      assertEquals(triggers, read.triggers(), "triggers after an update");
      assertEquals(newKeys, read.subscription(), "subscription keys after an update");
      assertEquals(r.registrationUrl(), read.registrationUrl(), "registration URL after update");
      assertEquals(
          Set.of(r.id()),
          ids(store().findBySubscription(subscription("s"))),
          "registrations of the subscription after an update");
      assertEquals(
          Set.of(r.id()),
          ids(store().findByTopic(topicOf(path("p")))),
          "registrations of the topic after an update");
    }

    /** STORE-05. */
    @Test
    @Verifies(ContractRule.STORE_UPDATE_REINDEXES)
    public void updateReindexes() {
      Registration r = registration(id("a"), owner("o"), path("p1"), subscription("s"));
      store().save(r);
      store().save(r.toBuilder().resourcePath(path("p2")).topic(topicOf(path("p2"))).build());
      assertEquals(
          Optional.of(r.id()),
          idOf(store().find(owner("o"), path("p2"), subscription("s"))),
          "the new natural key after the move");
      assertEquals(
          Set.of(), ids(store().findByTopic(topicOf(path("p1")))), "the old topic after the move");
      assertEquals(
          Set.of(r.id()),
          ids(store().findByTopic(topicOf(path("p2")))),
          "the new topic after the move");
    }
  }

  /** The natural key (owner, resource path, subscription id) and its conflicts. */
  @Nested
  @DisplayName("Natural key")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class NaturalKey {
    /** For JUnit. */
    public NaturalKey() {}

    /** STORE-06. */
    @Test
    @Verifies(ContractRule.STORE_CONFLICT_IS_TYPED)
    public void conflictIsTyped() {
      Registration a = registration(id("a"), owner("o"), path("p"), subscription("s"));
      store().save(a);
      Registration other = registration(id("b"), owner("o"), path("p"), subscription("s"));
      assertThrows(
          RegistrationConflictException.class, () -> store().save(other), "a conflicting insert");
      Registration c = registration(id("c"), owner("o"), path("q"), subscription("s"));
      store().save(c);
      Registration taking = c.toBuilder().resourcePath(path("p")).topic(topicOf(path("p"))).build();
      try {
        store().save(taking);
      } catch (RuntimeException e) {
        // whether the update is refused at all is STORE-27's business; here: its type
        assertInstanceOf(RegistrationConflictException.class, e, "a conflicting update's refusal");
      }
    }

    /** STORE-07. */
    @Test
    @Verifies(ContractRule.STORE_CONFLICT_CHANGES_NOTHING)
    public void conflictChangesNothing() {
      Registration a = registration(id("a"), owner("o"), path("p"), subscription("s"));
      store().save(a);
      Registration b =
          registration(id("b"), owner("o"), path("p"), subscription("s"), at(99_999)).toBuilder()
              .subscription(
                  WebPushSubscription.of(
                      new PushResource(URI.create(subscription("s"))),
                      OTHER_KEYS.publicKey(),
                      OTHER_KEYS.authSecret()))
              .build();
      try {
        store().save(b);
      } catch (RuntimeException expected) {
        // the type is STORE-06's business; this rule checks the state afterwards
      }
      assertEquals(Optional.of(a), store().find(a.id()), "the stored registration");
      assertEquals(Optional.empty(), store().find(b.id()), "the refused id");
      assertEquals(
          Optional.of(a.id()),
          idOf(store().find(owner("o"), path("p"), subscription("s"))),
          "the holder of the natural key");
      assertEquals(1, store().countByOwner(owner("o")), "countByOwner");
      assertEquals(1, store().countByResource(path("p")), "countByResource");
      assertEquals(Set.of(a.id()), ids(store().findByTopic(topicOf(path("p")))), "findByTopic");
      assertEquals(
          Set.of(a.id()), ids(store().findBySubscription(subscription("s"))), "findBySubscription");
    }

    /** STORE-08. */
    @Test
    @Verifies(ContractRule.STORE_KEY_INCLUDES_OWNER)
    public void keyIncludesOwner() {
      store().save(registration(id("a"), owner("o1"), path("p"), subscription("s")));
      store().save(registration(id("b"), owner("o2"), path("p"), subscription("s")));
      assertEquals(
          Optional.of(id("a")),
          idOf(store().find(owner("o1"), path("p"), subscription("s"))),
          "first principal's registration");
      assertEquals(
          Optional.of(id("b")),
          idOf(store().find(owner("o2"), path("p"), subscription("s"))),
          "second principal's registration");
      assertEquals(
          Optional.empty(),
          store().find(owner("o3"), path("p"), subscription("s")),
          "a third principal's key");
    }

    /** STORE-09. */
    @Test
    @Verifies(ContractRule.STORE_KEY_INCLUDES_RESOURCE)
    public void keyIncludesResource() {
      store().save(registration(id("a"), owner("o"), path("p1"), subscription("s")));
      store().save(registration(id("b"), owner("o"), path("p2"), subscription("s")));
      assertEquals(
          Optional.of(id("a")),
          idOf(store().find(owner("o"), path("p1"), subscription("s"))),
          "registration on the first resource");
      assertEquals(
          Optional.of(id("b")),
          idOf(store().find(owner("o"), path("p2"), subscription("s"))),
          "registration on the second resource");
      assertEquals(
          Optional.empty(),
          store().find(owner("o"), path("p3"), subscription("s")),
          "the key on a third resource");
    }

    /** STORE-28. */
    @Test
    @Verifies(ContractRule.STORE_CONFLICT_HIDES_PUSH_RESOURCE)
    public void conflictHidesPushResource() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      Registration other = registration(id("b"), owner("o"), path("p"), subscription("s"));
      try {
        store().save(other);
      } catch (RuntimeException e) {
        String path = URI.create(subscription("s")).getRawPath();
        for (Throwable t = e; t != null; t = t.getCause()) {
          String message = String.valueOf(t.getMessage());
          assertFalse(
              message.contains(path), "the message of " + t.getClass().getName() + " shows it");
        }
        return;
      }
      throw new AssertionError("the conflicting save was not refused");
    }

    /** STORE-27. */
    @Test
    @Verifies(ContractRule.STORE_UPDATE_CONFLICT)
    public void updateConflict() {
      Registration a = registration(id("a"), owner("o"), path("p1"), subscription("s"));
      Registration b = registration(id("b"), owner("o"), path("p2"), subscription("s"));
      store().save(a);
      store().save(b);
      Registration moved =
          a.toBuilder().resourcePath(path("p2")).topic(topicOf(path("p2"))).build();
      assertThrows(
          RuntimeException.class, () -> store().save(moved), "the update"); // type: STORE-06
      assertEquals(Optional.of(a), store().find(a.id()), "the updated registration, unchanged");
      assertEquals(Optional.of(b), store().find(b.id()), "the holder of the key, unchanged");
    }
  }

  /** Concurrent use. */
  @Nested
  @DisplayName("Concurrency")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Concurrency {
    /** For JUnit. */
    public Concurrency() {}

    /**
     * STORE-10.
     *
     * @throws Exception if the threads cannot be run
     */
    @Test
    @Verifies(ContractRule.STORE_RACE_ON_NATURAL_KEY)
    public void raceOnNaturalKey() throws Exception {
      int threads = Math.max(2, concurrency());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int round = 0; round < 20; round++) {
          String s = subscription("race" + round);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<Boolean>> outcomes = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Registration r = registration(id("r" + round + "t" + t), owner("o"), path("p"), s);
            outcomes.add(
                pool.submit(
                    () -> {
                      start.await();
                      try {
                        store().save(r);
                        return true;
                      } catch (RuntimeException refused) {
                        return false; // the exception's type is STORE-06's business
                      }
                    }));
          }
          start.countDown();
          int saved = 0;
          for (Future<Boolean> f : outcomes) {
            if (f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
              saved++;
            }
          }
          assertEquals(1, saved, "round " + round + ": saves that succeeded on one natural key");
          assertEquals(
              1,
              store().findBySubscription(s).size(),
              "round " + round + ": registrations holding the natural key");
          assertTrue(
              store().find(owner("o"), path("p"), s).isPresent(),
              "round " + round + ": the natural key finds the winner");
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /**
     * STORE-11.
     *
     * @throws Exception if the threads cannot be run
     */
    @Test
    @Verifies(ContractRule.STORE_CONCURRENT_SAVES)
    public void concurrentSaves() throws Exception {
      int threads = Math.max(2, concurrency());
      int perThread = 50;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      ConcurrentLinkedQueue<String> savedIds = new ConcurrentLinkedQueue<>();
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                      String n = "t" + thread + "i" + i;
                      Registration r =
                          registration(id(n), owner("o" + thread), path(n), subscription(n));
                      store().save(r);
                      savedIds.add(r.id());
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(threads * perThread, savedIds.size(), "saves that returned");
      List<String> missing = new ArrayList<>();
      for (String id : savedIds) {
        if (store().find(id).isEmpty()) {
          missing.add(id);
        }
      }
      assertEquals(List.of(), missing, "saved registrations that find(id) does not find");
    }
  }

  /** {@code findByTopic} and {@code findBySubscription}. */
  @Nested
  @DisplayName("Lookups")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Lookups {
    /** For JUnit. */
    public Lookups() {}

    /** STORE-12. */
    @Test
    @Verifies(ContractRule.STORE_FIND_BY_TOPIC)
    public void findByTopic() {
      store().save(registration(id("a"), owner("o1"), path("p"), subscription("s1")));
      store().save(registration(id("b"), owner("o2"), path("p"), subscription("s2"), at(-3600)));
      store().save(registration(id("c"), owner("o1"), path("q"), subscription("s1")));
      assertEquals(
          Set.of(id("a"), id("b")),
          ids(store().findByTopic(topicOf(path("p")))),
          "registrations of the topic, the expired one included");
      assertEquals(
          Set.of(id("c")), ids(store().findByTopic(topicOf(path("q")))), "another topic's");
      assertEquals(List.of(), store().findByTopic(topicOf(path("unknown"))), "an unknown topic's");
    }

    /** STORE-13. */
    @Test
    @Verifies(ContractRule.STORE_FIND_BY_SUBSCRIPTION)
    public void findBySubscription() {
      store().save(registration(id("a"), owner("o"), path("p1"), subscription("s")));
      store().save(registration(id("b"), owner("o"), path("p2"), subscription("s")));
      store().save(registration(id("c"), owner("o"), path("p1"), subscription("t")));
      assertEquals(
          Set.of(id("a"), id("b")),
          ids(store().findBySubscription(subscription("s"))),
          "registrations of the subscription on both resources");
      assertEquals(
          Set.of(id("c")), ids(store().findBySubscription(subscription("t"))), "another's");
      assertEquals(
          List.of(), store().findBySubscription(subscription("unknown")), "an unknown one's");
    }

    /** STORE-14. */
    @Test
    @Verifies(ContractRule.STORE_LOOKUPS_ARE_SNAPSHOTS)
    public void lookupsAreSnapshots() {
      store().save(registration(id("a"), owner("o1"), path("p"), subscription("s")));
      store().save(registration(id("b"), owner("o2"), path("p"), subscription("s")));
      List<Registration> byTopic = store().findByTopic(topicOf(path("p")));
      List<Registration> bySubscription = store().findBySubscription(subscription("s"));
      store().save(registration(id("c"), owner("o3"), path("p"), subscription("s")));
      store().remove(id("a"));
      assertEquals(Set.of(id("a"), id("b")), ids(byTopic), "findByTopic's list, read later");
      assertEquals(
          Set.of(id("a"), id("b")), ids(bySubscription), "findBySubscription's list, read later");
    }
  }

  /** {@code remove}, {@code removeBySubscription}, {@code removeExpired}. */
  @Nested
  @DisplayName("Removal")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Removal {
    /** For JUnit. */
    public Removal() {}

    /** STORE-15. */
    @Test
    @Verifies(ContractRule.STORE_REMOVE)
    public void remove() {
      Registration a = registration(id("a"), owner("o"), path("p"), subscription("s"));
      Registration b = registration(id("b"), owner("o"), path("q"), subscription("t"));
      store().save(a);
      store().save(b);
      assertTrue(store().remove(a.id()), "remove(id) of a stored registration");
      assertEquals(Optional.empty(), store().find(a.id()), "find(id) after remove");
      assertEquals(
          Optional.empty(),
          store().find(owner("o"), path("p"), subscription("s")),
          "find(natural key) after remove");
      assertEquals(Set.of(), ids(store().findByTopic(topicOf(path("p")))), "findByTopic");
      assertEquals(Set.of(), ids(store().findBySubscription(subscription("s"))), "bySubscription");
      assertEquals(1, store().countByOwner(owner("o")), "countByOwner after remove");
      assertEquals(0, store().countByResource(path("p")), "countByResource after remove");
      assertFalse(store().remove(a.id()), "remove(id) a second time");
      assertFalse(store().remove(id("unknown")), "remove(id) of an unknown id");
      assertEquals(Optional.of(b), store().find(b.id()), "the other registration");
    }

    /** STORE-16. */
    @Test
    @Verifies(ContractRule.STORE_REMOVE_BY_SUBSCRIPTION)
    public void removeBySubscription() {
      store().save(registration(id("a"), owner("o1"), path("p1"), subscription("s")));
      store().save(registration(id("b"), owner("o1"), path("p2"), subscription("s")));
      store().save(registration(id("c"), owner("o2"), path("p1"), subscription("s")));
      store().save(registration(id("d"), owner("o1"), path("p1"), subscription("t")));
      assertEquals(3, store().removeBySubscription(subscription("s")), "how many were removed");
      assertEquals(List.of(), store().findBySubscription(subscription("s")), "what is left of it");
      for (String n : List.of("a", "b", "c")) {
        assertEquals(Optional.empty(), store().find(id(n)), "find(id) of a removed one");
      }
      assertEquals(Optional.of(id("d")), idOf(store().find(id("d"))), "another subscription's");
      assertEquals(0, store().removeBySubscription(subscription("unknown")), "an unknown one");
    }

    /** STORE-17. */
    @Test
    @Verifies(ContractRule.STORE_REMOVE_EXPIRED)
    public void removeExpired() {
      store().save(registration(id("before"), owner("o"), path("p"), subscription("a"), at(-1)));
      store().save(registration(id("at"), owner("o"), path("p"), subscription("b"), at(0)));
      store().save(registration(id("after"), owner("o"), path("p"), subscription("c"), at(1)));
      assertEquals(2, store().removeExpired(NOW), "how many expired at or before now");
      assertEquals(Optional.empty(), store().find(id("before")), "expired before now");
      assertEquals(Optional.empty(), store().find(id("at")), "expired exactly at now");
      assertEquals(Optional.of(id("after")), idOf(store().find(id("after"))), "expiring later");
      assertEquals(0, store().removeExpired(NOW), "a second sweep");
    }
  }

  /** {@code countByOwner}, {@code countByResource}. */
  @Nested
  @DisplayName("Counts")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class Counts {
    /** For JUnit. */
    public Counts() {}

    /** STORE-18. */
    @Test
    @Verifies(ContractRule.STORE_COUNT_BY_OWNER)
    public void countByOwner() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      store().save(registration(id("b"), owner("o"), path("q"), subscription("s"), at(-60)));
      store().save(registration(id("c"), owner("x"), path("p"), subscription("s")));
      assertEquals(2, store().countByOwner(owner("o")), "a principal with an expired one");
      assertEquals(1, store().countByOwner(owner("x")), "another principal");
      assertEquals(0, store().countByOwner(owner("unknown")), "an unknown principal");
    }

    /** STORE-19. */
    @Test
    @Verifies(ContractRule.STORE_COUNT_BY_RESOURCE)
    public void countByResource() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      store().save(registration(id("b"), owner("x"), path("p"), subscription("s"), at(-60)));
      store().save(registration(id("c"), owner("o"), path("q"), subscription("s")));
      assertEquals(2, store().countByResource(path("p")), "a resource with an expired one");
      assertEquals(1, store().countByResource(path("q")), "another resource");
      assertEquals(0, store().countByResource(path("unknown")), "an unknown resource");
    }
  }

  /** {@code distinctSubscriptions} (the key-rotation fan-out). */
  @Nested
  @DisplayName("Distinct subscriptions")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class DistinctSubscriptions {
    /** For JUnit. */
    public DistinctSubscriptions() {}

    /** The kit's precondition for paging through everything stored. */
    private void requireEmptyStore() {
      if (!store().distinctSubscriptions(null, NOW.minus(Duration.ofDays(3650)), 1).isEmpty()) {
        throw new IllegalStateException(
            "createStore() must return an empty store: distinctSubscriptions pages through"
                + " everything stored, and this store already holds registrations");
      }
    }

    /** Five subscriptions a..e; b on two resources, d of two principals. */
    private List<String> fiveSubscriptions() {
      requireEmptyStore();
      List<String> names = List.of("e", "c", "a", "d", "b");
      for (String n : names) {
        store().save(registration(id(n), owner("o"), path("p"), subscription(n)));
      }
      store().save(registration(id("b2"), owner("o"), path("q"), subscription("b")));
      store().save(registration(id("d2"), owner("x"), path("p"), subscription("d")));
      return new ArrayList<>(new TreeSet<>(names.stream().map(n -> subscription(n)).toList()));
    }

    /** STORE-20. */
    @Test
    @Verifies(ContractRule.STORE_DISTINCT_ORDERED_PAGES)
    public void orderedPages() {
      List<String> expected = fiveSubscriptions();
      List<String> seen = new ArrayList<>();
      String after = null;
      for (int page = 0; page < 10; page++) {
        List<String> ids = subscriptionIds(store().distinctSubscriptions(after, NOW, 2));
        if (ids.isEmpty()) {
          break;
        }
        for (String id : ids) {
          if (after != null) {
            assertTrue(id.compareTo(after) > 0, "page " + page + " holds an id not after the last");
          }
          seen.add(id);
          after = id;
        }
      }
      assertEquals(expected, seen, "subscription ids of all pages, in order");
      assertEquals(
          expected.subList(2, 5),
          subscriptionIds(store().distinctSubscriptions(expected.get(1), NOW, 10)),
          "the page after the second subscription");
      assertEquals(
          expected.subList(2, 5),
          subscriptionIds(store().distinctSubscriptions(expected.get(1) + "0", NOW, 10)),
          "the page after an id that is not stored");
    }

    /** STORE-21. */
    @Test
    @Verifies(ContractRule.STORE_DISTINCT_FULL_PAGES)
    public void fullPages() {
      List<String> expected = fiveSubscriptions();
      assertEquals(2, store().distinctSubscriptions(null, NOW, 2).size(), "first page of 2");
      assertEquals(
          2, store().distinctSubscriptions(expected.get(1), NOW, 2).size(), "second page of 2");
      assertEquals(
          1, store().distinctSubscriptions(expected.get(3), NOW, 2).size(), "last page of 2");
      assertEquals(5, store().distinctSubscriptions(null, NOW, 5).size(), "one page of 5");
      assertEquals(5, store().distinctSubscriptions(null, NOW, 7).size(), "one page of 7");
    }

    /** STORE-22. */
    @Test
    @Verifies(ContractRule.STORE_DISTINCT_ACTIVE_ONLY)
    public void activeOnly() {
      requireEmptyStore();
      store().save(registration(id("a"), owner("o"), path("p"), subscription("a"), at(-10)));
      store().save(registration(id("b1"), owner("o"), path("p"), subscription("b"), at(-10)));
      store().save(registration(id("b2"), owner("o"), path("q"), subscription("b"), at(3600)));
      store().save(registration(id("c"), owner("o"), path("p"), subscription("c"), at(3600)));
      List<Registration> page = store().distinctSubscriptions(null, NOW, 10);
      assertEquals(
          Set.of(subscription("b"), subscription("c")),
          Set.copyOf(subscriptionIds(page)),
          "subscriptions with a registration not expired at now");
      for (Registration r : page) {
        assertFalse(r.isExpired(NOW), "the registration standing for " + r.id() + " is expired");
      }
    }
  }

  /** {@code recordSuccess}, {@code recordFailure}: the failure streak of R-WDP-45. */
  @Nested
  @DisplayName("Delivery health")
  @DisplayNameGeneration(RuleDisplayNames.class)
  public class DeliveryHealth {
    /** For JUnit. */
    public DeliveryHealth() {}

    /** STORE-23. */
    @Test
    @Verifies(ContractRule.STORE_FAILURE_STARTS_STREAK)
    public void failureStartsStreak() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      assertEquals(at(10), store().recordFailure(subscription("s"), at(10)), "a first failure");
    }

    /** STORE-24. */
    @Test
    @Verifies(ContractRule.STORE_FAILURE_STREAK_KEPT)
    public void streakKept() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      store().recordFailure(subscription("s"), at(10));
      assertEquals(at(10), store().recordFailure(subscription("s"), at(20)), "second failure");
      assertEquals(at(10), store().recordFailure(subscription("s"), at(30)), "third failure");
    }

    /** STORE-25. */
    @Test
    @Verifies(ContractRule.STORE_SUCCESS_ENDS_STREAK)
    public void successEndsStreak() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      store().recordFailure(subscription("s"), at(10));
      store().recordFailure(subscription("s"), at(20));
      store().recordSuccess(subscription("s"), at(30));
      store().recordFailure(subscription("s"), at(40));
      assertEquals(
          at(40),
          store().recordFailure(subscription("s"), at(50)),
          "a failure after the success and a new first failure");
    }

    /** STORE-26. */
    @Test
    @Verifies(ContractRule.STORE_STREAK_PER_SUBSCRIPTION)
    public void streakPerSubscription() {
      store().save(registration(id("a"), owner("o"), path("p"), subscription("s")));
      store().save(registration(id("b"), owner("o"), path("p"), subscription("t")));
      store().recordFailure(subscription("s"), at(10));
      store().recordFailure(subscription("t"), at(20));
      assertEquals(
          at(20), store().recordFailure(subscription("t"), at(25)), "the other one's streak");
      store().recordSuccess(subscription("t"), at(30));
      assertEquals(
          at(10),
          store().recordFailure(subscription("s"), at(40)),
          "the first one's streak after the other's success");
    }
  }
}
