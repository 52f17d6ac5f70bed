package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.ContentEncoding;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Subscription;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.spi.SubscriptionStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * In-memory {@link SubscriptionStore}: registrations indexed by id, by natural key (owner, resource
 * path, subscription id; digest ambiguity A-27), by topic and by subscription id, kept in a compact
 * form. Nothing survives the JVM.
 *
 * <p>Layout. A registration is stored as one entry holding its id, its subscription id (for Web
 * Push the push resource URI text), the 65-byte subscription public key and the 16-byte auth secret
 * in one 81-byte array, expiry and creation as epoch seconds plus nanoseconds, and a reference to a
 * <em>group</em> shared by every registration with the same owner, resource path, topic, triggers,
 * registration-URL base (the URL minus the trailing id) and content encoding; owner and resource
 * path are held once, with their registration counts, and groups share one instance of each trigger
 * list and registration-URL base. {@link Registration} values are rebuilt on every read, outside
 * the lock, and equal what was saved: a registration whose rebuilt form would differ (another
 * transport's subscription, or a registration URL that does not end with the id) is kept whole
 * instead. The indexes by id and by subscription id are hash tables chained through the entries
 * themselves (no node objects; the natural key is found among the entries of its subscription), and
 * each topic keeps an array of its entries, in which every entry knows its slot. Delivery health is
 * kept only for push resources in a failure streak; a streak lasts while the push resource has
 * registrations (updating one keeps it).
 *
 * <p>Footprint: 504 bytes of heap per registration (of which ~230 are the push resource URI text
 * and ~100 the keys), measured with 100,000 registrations over 1,000 owners with 5 collections
 * each, ~190-character push resources and fresh keys, owner, path, topic and triggers arriving as
 * fresh objects per registration ({@code InMemorySubscriptionStoreFootprintTest}, run with {@code
 * -Ddavpush.footprint=true}); the map-of-{@code Registration} layout this replaced retained 2,127
 * on the same data.
 *
 * <p>Cost. {@link #find(String)}, {@link #find(String, String, String)}, {@link #findByTopic},
 * {@link #findBySubscription}, {@link #remove}, {@link #removeBySubscription}, {@link #save}, the
 * counts and the health methods take time in proportion to what they match (expected); {@link
 * #removeExpired} and each page of {@link #distinctSubscriptions} scan the whole store (the page in
 * O(n log limit)).
 *
 * <p>Every method takes one lock, so each is atomic with respect to all others and the indexes
 * never disagree; {@link #save} checks before it changes anything, so a refused save leaves the
 * store as it was.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class InMemorySubscriptionStore implements SubscriptionStore {
  /** How many distinct trigger lists and registration-URL bases are shared between groups. */
  private static final int MAX_SHARED = 4_096;

  private static final int MIN_TABLE = 16;
  private static final int KEYS_LENGTH = P256PublicKey.LENGTH + AuthSecret.LENGTH;

  private final Object lock = new Object();
  // Every entry is in both tables: chained through Entry.nextById and Entry.nextBySubscription.
  private Entry[] byId = new Entry[MIN_TABLE];
  private Entry[] bySubscription = new Entry[MIN_TABLE];
  private int size;
  private final Map<Topic, TopicEntries> byTopic = new HashMap<>();
  private final Map<Group, Group> groups = new HashMap<>();
  private final Map<Object, Object> sharedValues = new HashMap<>();
  private final Map<String, Count> countByOwner = new HashMap<>();
  private final Map<String, Count> countByResource = new HashMap<>();
  // The start of the current failure streak, only for push resources in one.
  private final Map<String, Instant> failingSince = new HashMap<>();

  /** Creates an empty store. */
  public InMemorySubscriptionStore() {}

  /**
   * {@inheritDoc}
   *
   * @throws RegistrationConflictException if a registration with another id already holds the same
   *     (owner, resource path, subscription id); the store is then unchanged
   */
  @Override
  public void save(Registration registration) {
    requireNonNull(registration, "registration");
    Entry prepared = Entry.compact(registration);
    synchronized (lock) {
      Entry holder =
          entryByNaturalKey(
              registration.owner(), registration.resourcePath(), prepared.subscriptionId);
      if (holder != null && !holder.id.equals(registration.id())) {
        throw new RegistrationConflictException(
            "registration conflict: another registration of the same principal already binds"
                + " this subscription to resource "
                + registration.resourcePath()
                + "; update that registration instead of saving a new one");
      }
      Entry previous = entryById(registration.id());
      if (previous != null) {
        unlink(previous);
      }
      link(prepared.withGroup(intern(prepared.group)));
      if (previous != null) {
        // an update keeps the push resource's failure streak; moving away may end it
        forgetHealthIfGone(previous.subscriptionId);
      }
    }
  }

  @Override
  public Optional<Registration> find(String id) {
    requireNonNull(id, "id");
    Entry e;
    synchronized (lock) {
      e = entryById(id);
    }
    return e == null ? Optional.empty() : Optional.of(e.toRegistration());
  }

  @Override
  public Optional<Registration> find(String owner, String resourcePath, String subscriptionId) {
    requireNonNull(owner, "owner");
    requireNonNull(resourcePath, "resourcePath");
    requireNonNull(subscriptionId, "subscriptionId");
    Entry e;
    synchronized (lock) {
      e = entryByNaturalKey(owner, resourcePath, subscriptionId);
    }
    return e == null ? Optional.empty() : Optional.of(e.toRegistration());
  }

  @Override
  public List<Registration> findByTopic(Topic topic) {
    requireNonNull(topic, "topic");
    Entry[] matches;
    synchronized (lock) {
      TopicEntries t = byTopic.get(topic);
      matches = t == null ? new Entry[0] : Arrays.copyOf(t.entries, t.size);
    }
    return rebuild(Arrays.asList(matches));
  }

  @Override
  public List<Registration> findBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    List<Entry> matches;
    synchronized (lock) {
      matches = entriesBySubscription(subscriptionId);
    }
    return rebuild(matches);
  }

  @Override
  public boolean remove(String id) {
    requireNonNull(id, "id");
    synchronized (lock) {
      Entry e = entryById(id);
      if (e == null) {
        return false;
      }
      unlink(e);
      forgetHealthIfGone(e.subscriptionId);
      shrinkIfSparse();
      return true;
    }
  }

  @Override
  public int removeBySubscription(String subscriptionId) {
    requireNonNull(subscriptionId, "subscriptionId");
    synchronized (lock) {
      List<Entry> matches = entriesBySubscription(subscriptionId);
      for (Entry e : matches) {
        unlink(e);
      }
      failingSince.remove(subscriptionId);
      shrinkIfSparse();
      return matches.size();
    }
  }

  @Override
  public int removeExpired(Instant now) {
    requireNonNull(now, "now");
    synchronized (lock) {
      List<Entry> expired = new ArrayList<>();
      for (Entry head : byId) {
        for (Entry e = head; e != null; e = e.nextById) {
          if (e.isExpired(now)) {
            expired.add(e);
          }
        }
      }
      for (Entry e : expired) {
        unlink(e);
      }
      for (Entry e : expired) {
        forgetHealthIfGone(e.subscriptionId);
      }
      shrinkIfSparse();
      return expired.size();
    }
  }

  /**
   * The number of stored registrations, expired ones included.
   *
   * @return ≥ 0
   */
  public int size() {
    synchronized (lock) {
      return size;
    }
  }

  @Override
  public int countByOwner(String owner) {
    requireNonNull(owner, "owner");
    synchronized (lock) {
      Count c = countByOwner.get(owner);
      return c == null ? 0 : c.n;
    }
  }

  @Override
  public int countByResource(String resourcePath) {
    requireNonNull(resourcePath, "resourcePath");
    synchronized (lock) {
      Count c = countByResource.get(resourcePath);
      return c == null ? 0 : c.n;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each page scans the whole store: O(n log limit) for n stored registrations.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  @Override
  public List<Registration> distinctSubscriptions(
      @Nullable String afterSubscriptionId, Instant now, int limit) {
    requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: expected >= 1, got " + limit);
    }
    List<Entry> page;
    synchronized (lock) {
      TreeMap<String, Entry> smallest = new TreeMap<>();
      for (Entry head : bySubscription) {
        for (Entry e = head; e != null; e = e.nextBySubscription) {
          String s = e.subscriptionId;
          if (e.isExpired(now)
              || (afterSubscriptionId != null && s.compareTo(afterSubscriptionId) <= 0)
              || (smallest.size() == limit && s.compareTo(smallest.lastKey()) >= 0)) {
            continue;
          }
          if (smallest.putIfAbsent(s, e) == null && smallest.size() > limit) {
            smallest.pollLastEntry();
          }
        }
      }
      page = new ArrayList<>(smallest.values());
    }
    return rebuild(page);
  }

  @Override
  public void recordSuccess(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    synchronized (lock) {
      failingSince.remove(subscriptionId);
    }
  }

  @Override
  public Instant recordFailure(String subscriptionId, Instant at) {
    requireNonNull(subscriptionId, "subscriptionId");
    requireNonNull(at, "at");
    synchronized (lock) {
      Instant since = failingSince.get(subscriptionId);
      if (since != null) {
        return since;
      }
      Entry e = firstBySubscription(subscriptionId);
      if (e != null) {
        failingSince.put(e.subscriptionId, at);
      }
      return at;
    }
  }

  // ---- indexes; callers hold the lock -------------------------------------------------------

  private static int bucket(String key, int tableLength) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (tableLength - 1);
  }

  private @Nullable Entry entryById(String id) {
    for (Entry e = byId[bucket(id, byId.length)]; e != null; e = e.nextById) {
      if (e.id.equals(id)) {
        return e;
      }
    }
    return null;
  }

  private @Nullable Entry firstBySubscription(String subscriptionId) {
    Entry e = bySubscription[bucket(subscriptionId, bySubscription.length)];
    for (; e != null; e = e.nextBySubscription) {
      if (e.subscriptionId.equals(subscriptionId)) {
        return e;
      }
    }
    return null;
  }

  private List<Entry> entriesBySubscription(String subscriptionId) {
    List<Entry> out = new ArrayList<>(2);
    Entry e = bySubscription[bucket(subscriptionId, bySubscription.length)];
    for (; e != null; e = e.nextBySubscription) {
      if (e.subscriptionId.equals(subscriptionId)) {
        out.add(e);
      }
    }
    return out;
  }

  private @Nullable Entry entryByNaturalKey(
      String owner, String resourcePath, String subscriptionId) {
    Entry e = bySubscription[bucket(subscriptionId, bySubscription.length)];
    for (; e != null; e = e.nextBySubscription) {
      if (e.subscriptionId.equals(subscriptionId)
          && e.group.owner.value.equals(owner)
          && e.group.resourcePath.value.equals(resourcePath)) {
        return e;
      }
    }
    return null;
  }

  // One instance of a value many groups hold (trigger lists, the registration-URL base): groups of
  // different principals share them. At most MAX_SHARED values are kept (never released: they are
  // few and small); beyond that a value is held by its group alone.
  @SuppressWarnings("unchecked")
  private <T> T shared(T value) {
    Object s = sharedValues.get(value);
    if (s != null) {
      return (T) s;
    }
    if (sharedValues.size() < MAX_SHARED) {
      sharedValues.put(value, value);
    }
    return value;
  }

  // The interned group equal to the probe, taking the probe's parts into the store if new.
  private Group intern(Group probe) {
    Group g = groups.get(probe);
    if (g == null) {
      g =
          new Group(
              countByOwner.computeIfAbsent(probe.owner.value, Count::new),
              countByResource.computeIfAbsent(probe.resourcePath.value, Count::new),
              byTopic.computeIfAbsent(probe.topic.topic, TopicEntries::new),
              shared(probe.triggers),
              probe.urlBase == null ? null : shared(probe.urlBase),
              probe.contentEncoding);
      groups.put(g, g);
    }
    return g;
  }

  private void link(Entry e) {
    if (size >= byId.length) {
      resize(byId.length * 2);
    }
    int i = bucket(e.id, byId.length);
    e.nextById = byId[i];
    byId[i] = e;
    int j = bucket(e.subscriptionId, bySubscription.length);
    e.nextBySubscription = bySubscription[j];
    bySubscription[j] = e;
    size++;
    Group g = e.group;
    g.refs++;
    g.owner.n++;
    g.resourcePath.n++;
    g.topic.add(e);
  }

  // Removes e from every index; releases group, counts and topic once unused. Leaves health.
  private void unlink(Entry e) {
    int i = bucket(e.id, byId.length);
    if (byId[i] == e) {
      byId[i] = e.nextById;
    } else {
      Entry p = byId[i];
      while (p.nextById != e) {
        // e is on this chain, so the walk reaches it before the end
        p = requireNonNull(p.nextById, "entry not on its id chain");
      }
      p.nextById = e.nextById;
    }
    e.nextById = null;
    int j = bucket(e.subscriptionId, bySubscription.length);
    if (bySubscription[j] == e) {
      bySubscription[j] = e.nextBySubscription;
    } else {
      Entry p = bySubscription[j];
      while (p.nextBySubscription != e) {
        p = requireNonNull(p.nextBySubscription, "entry not on its subscription chain");
      }
      p.nextBySubscription = e.nextBySubscription;
    }
    e.nextBySubscription = null;
    size--;
    Group g = e.group;
    g.topic.remove(e);
    if (g.topic.size == 0) {
      byTopic.remove(g.topic.topic);
    }
    if (--g.owner.n == 0) {
      countByOwner.remove(g.owner.value);
    }
    if (--g.resourcePath.n == 0) {
      countByResource.remove(g.resourcePath.value);
    }
    if (--g.refs == 0) {
      groups.remove(g);
    }
  }

  // A push resource without registrations has no failure streak; saved again, it starts afresh.
  private void forgetHealthIfGone(String subscriptionId) {
    if (!failingSince.isEmpty() && firstBySubscription(subscriptionId) == null) {
      failingSince.remove(subscriptionId);
    }
  }

  private void shrinkIfSparse() {
    if (byId.length > MIN_TABLE && size < byId.length / 4) {
      int length = MIN_TABLE;
      while (length < size * 2) {
        length *= 2;
      }
      resize(length);
    }
  }

  private void resize(int length) {
    Entry[] oldById = byId;
    byId = new Entry[length];
    bySubscription = new Entry[length];
    for (Entry head : oldById) {
      Entry e = head;
      while (e != null) {
        Entry next = e.nextById;
        int i = bucket(e.id, length);
        e.nextById = byId[i];
        byId[i] = e;
        int j = bucket(e.subscriptionId, length);
        e.nextBySubscription = bySubscription[j];
        bySubscription[j] = e;
        e = next;
      }
    }
  }

  // Outside the lock: entries' stored values are final.
  private static List<Registration> rebuild(List<Entry> entries) {
    List<Registration> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.toRegistration());
    }
    return List.copyOf(out);
  }

  // ---- stored forms -------------------------------------------------------------------------

  /** A string held once for all its registrations, with how many there are. */
  private static final class Count {
    final String value;
    int n;

    Count(String value) {
      this.value = value;
    }
  }

  /** A topic's entries; every entry knows its slot, so removal is O(1). */
  private static final class TopicEntries {
    final Topic topic;
    Entry[] entries = new Entry[2];
    int size;

    TopicEntries(Topic topic) {
      this.topic = topic;
    }

    void add(Entry e) {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, size + (size >> 1) + 1);
      }
      e.topicSlot = size;
      entries[size++] = e;
    }

    void remove(Entry e) {
      int slot = e.topicSlot;
      Entry last = entries[--size];
      entries[slot] = last;
      last.topicSlot = slot;
      entries[size] = null;
      if (entries.length > 8 && size < entries.length / 4) {
        entries = Arrays.copyOf(entries, size * 2);
      }
    }
  }

  /**
   * What many registrations share: owner, resource path, topic, triggers, and for compact entries
   * the registration-URL base and the content encoding. Equal by those values.
   */
  private static final class Group {
    final Count owner;
    final Count resourcePath;
    final TopicEntries topic;
    final List<Trigger> triggers;
    final @Nullable String urlBase;
    final @Nullable ContentEncoding contentEncoding;
    final int hash;
    int refs;

    Group(
        Count owner,
        Count resourcePath,
        TopicEntries topic,
        List<Trigger> triggers,
        @Nullable String urlBase,
        @Nullable ContentEncoding contentEncoding) {
      this.owner = owner;
      this.resourcePath = resourcePath;
      this.topic = topic;
      this.triggers = triggers;
      this.urlBase = urlBase;
      this.contentEncoding = contentEncoding;
      this.hash =
          Objects.hash(
              owner.value, resourcePath.value, topic.topic, triggers, urlBase, contentEncoding);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Group g
          && owner.value.equals(g.owner.value)
          && resourcePath.value.equals(g.resourcePath.value)
          && topic.topic.equals(g.topic.topic)
          && triggers.equals(g.triggers)
          && Objects.equals(urlBase, g.urlBase)
          && Objects.equals(contentEncoding, g.contentEncoding);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * One stored registration. The stored values are final (read outside the lock); the links are
   * changed only under the lock.
   */
  private static final class Entry {
    final String id;
    final String subscriptionId;
    final Group group;
    // Compact: public key (65 bytes) then auth secret (16 bytes). Otherwise the Registration.
    final Object stored;
    final long expiresSecond;
    final long createdSecond;
    final int expiresNano;
    final int createdNano;
    @Nullable Entry nextById;
    @Nullable Entry nextBySubscription;
    int topicSlot;

    private Entry(Registration r, String subscriptionId, Group group, Object stored) {
      this.id = r.id();
      this.subscriptionId = subscriptionId;
      this.group = group;
      this.stored = stored;
      this.expiresSecond = r.expires().getEpochSecond();
      this.expiresNano = r.expires().getNano();
      this.createdSecond = r.created().getEpochSecond();
      this.createdNano = r.created().getNano();
    }

    private Entry(Entry e, Group group) {
      this.id = e.id;
      this.subscriptionId = e.subscriptionId;
      this.group = group;
      this.stored = e.stored;
      this.expiresSecond = e.expiresSecond;
      this.expiresNano = e.expiresNano;
      this.createdSecond = e.createdSecond;
      this.createdNano = e.createdNano;
    }

    /**
     * The entry for a registration, with a group not yet interned: compact if the rebuilt
     * registration equals it, else holding it whole.
     */
    static Entry compact(Registration r) {
      String subscriptionId = r.subscription().id();
      String url = r.registrationUrl().toString();
      if (r.subscription() instanceof WebPushSubscription w && url.endsWith(r.id())) {
        byte[] keys = new byte[KEYS_LENGTH];
        System.arraycopy(w.subscriptionPublicKey().bytes(), 0, keys, 0, P256PublicKey.LENGTH);
        System.arraycopy(w.authSecret().bytes(), 0, keys, P256PublicKey.LENGTH, AuthSecret.LENGTH);
        Group g = probe(r, url.substring(0, url.length() - r.id().length()), w.contentEncoding());
        Entry e = new Entry(r, subscriptionId, g, keys);
        try {
          if (e.toRegistration().equals(r)) {
            return e;
          }
        } catch (IllegalArgumentException notRebuildable) {
          // keep it whole
        }
      }
      return new Entry(r, subscriptionId, probe(r, null, null), r);
    }

    private static Group probe(
        Registration r, @Nullable String urlBase, @Nullable ContentEncoding encoding) {
      return new Group(
          new Count(r.owner()),
          new Count(r.resourcePath()),
          new TopicEntries(r.topic()),
          r.triggers(),
          urlBase,
          encoding);
    }

    Entry withGroup(Group interned) {
      return new Entry(this, interned);
    }

    boolean isExpired(Instant now) {
      long s = now.getEpochSecond();
      return s > expiresSecond || (s == expiresSecond && now.getNano() >= expiresNano);
    }

    Registration toRegistration() {
      if (stored instanceof Registration r) {
        return r;
      }
      byte[] keys = (byte[]) stored;
      Subscription subscription =
          WebPushSubscription.of(
              new PushResource(URI.create(subscriptionId)),
              requireNonNull(group.contentEncoding),
              P256PublicKey.of(Arrays.copyOfRange(keys, 0, P256PublicKey.LENGTH)),
              AuthSecret.of(Arrays.copyOfRange(keys, P256PublicKey.LENGTH, KEYS_LENGTH)));
      return Registration.builder()
          .id(id)
          .registrationUrl(URI.create(requireNonNull(group.urlBase).concat(id)))
          .resourcePath(group.resourcePath.value)
          .topic(group.topic.topic)
          .owner(group.owner.value)
          .subscription(subscription)
          .triggers(group.triggers)
          .expires(Instant.ofEpochSecond(expiresSecond, expiresNano))
          .created(Instant.ofEpochSecond(createdSecond, createdNano))
          .build();
    }
  }
}
