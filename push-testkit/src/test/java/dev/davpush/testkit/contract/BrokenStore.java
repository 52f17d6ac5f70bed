package dev.davpush.testkit.contract;

import dev.davpush.Registration;
import dev.davpush.RegistrationConflictException;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.server.InMemorySubscriptionStore;
import dev.davpush.spi.SubscriptionStore;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Planted faults: each is the in-memory store behind a decorator that breaks exactly one {@link
 * ContractRule} of the store kit, the way a real store might (a column not persisted, a query
 * without one of its conditions, a check-then-act race).
 */
enum BrokenStore {
  /** A trigger's property names are not persisted. */
  DROPS_TRIGGER_PROPERTIES(ContractRule.STORE_SAVE_THEN_FIND) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          List<Trigger> triggers = new ArrayList<>();
          for (Trigger t : r.triggers()) {
            triggers.add(
                t instanceof Trigger.PropertyUpdate p ? new Trigger.PropertyUpdate(p.depth()) : t);
          }
          super.save(r.toBuilder().triggers(triggers).build());
        }
      };
    }
  },
  /** find(id) matches ids by prefix when there is no exact match (a LIKE query). */
  FINDS_BY_PREFIX(ContractRule.STORE_FIND_UNKNOWN) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public Optional<Registration> find(String id) {
          Optional<Registration> exact = super.find(id);
          if (exact.isPresent()) {
            return exact;
          }
          return all().stream().filter(r -> r.id().startsWith(id)).findFirst();
        }
      };
    }
  },
  /** The natural-key lookup forgets the subscription id. */
  NATURAL_KEY_WITHOUT_SUBSCRIPTION(ContractRule.STORE_FIND_BY_NATURAL_KEY) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public Optional<Registration> find(String owner, String path, String subscriptionId) {
          return all().stream()
              .filter(r -> r.owner().equals(owner) && r.resourcePath().equals(path))
              .findFirst();
        }
      };
    }
  },
  /** An update of the keys alone is not written. */
  UPDATE_KEEPS_OLD_KEYS(ContractRule.STORE_UPDATE_REPLACES) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          Optional<Registration> old = delegate.find(r.id());
          if (old.isPresent() && old.get().subscription().id().equals(r.subscription().id())) {
            super.save(r.toBuilder().subscription(old.get().subscription()).build());
          } else {
            super.save(r);
          }
        }
      };
    }
  },
  /** A moved registration stays in its old topic's index. */
  STALE_TOPIC_AFTER_MOVE(ContractRule.STORE_UPDATE_REINDEXES) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      Map<Topic, Set<String>> stale = new ConcurrentHashMap<>();
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          Optional<Registration> old = delegate.find(r.id());
          super.save(r);
          if (old.isPresent() && !old.get().topic().equals(r.topic())) {
            stale
                .computeIfAbsent(old.get().topic(), t -> ConcurrentHashMap.newKeySet())
                .add(r.id());
          }
        }

        @Override
        public List<Registration> findByTopic(Topic topic) {
          List<Registration> out = new ArrayList<>(super.findByTopic(topic));
          for (String id : stale.getOrDefault(topic, Set.of())) {
            delegate.find(id).ifPresent(out::add);
          }
          return out;
        }
      };
    }
  },
  /** A conflict is reported with an untyped exception. */
  UNTYPED_CONFLICT(ContractRule.STORE_CONFLICT_IS_TYPED) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          try {
            super.save(r);
          } catch (RegistrationConflictException e) {
            throw new IllegalStateException("duplicate key", e);
          }
        }
      };
    }
  },
  /** The conflict's message names the push resource. */
  CONFLICT_SHOWS_PUSH_RESOURCE(ContractRule.STORE_CONFLICT_HIDES_PUSH_RESOURCE) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          try {
            super.save(r);
          } catch (RegistrationConflictException e) {
            throw new RegistrationConflictException(
                "duplicate (owner, path, push resource): " + r.subscription().id());
          }
        }
      };
    }
  },
  /** The holder's expiry is written before the conflict is noticed. */
  CONFLICT_WRITES_EXPIRY(ContractRule.STORE_CONFLICT_CHANGES_NOTHING) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          Optional<Registration> holder =
              delegate.find(r.owner(), r.resourcePath(), r.subscription().id());
          if (holder.isPresent() && !holder.get().id().equals(r.id())) {
            delegate.save(holder.get().toBuilder().expires(r.expires()).build());
          }
          super.save(r);
        }
      };
    }
  },
  /** The natural-key lookup forgets the owner. */
  NATURAL_KEY_WITHOUT_OWNER(ContractRule.STORE_KEY_INCLUDES_OWNER) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public Optional<Registration> find(String owner, String path, String subscriptionId) {
          return all().stream()
              .filter(
                  r ->
                      r.resourcePath().equals(path) && r.subscription().id().equals(subscriptionId))
              .findFirst();
        }
      };
    }
  },
  /** The natural-key lookup forgets the resource path. */
  NATURAL_KEY_WITHOUT_PATH(ContractRule.STORE_KEY_INCLUDES_RESOURCE) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public Optional<Registration> find(String owner, String path, String subscriptionId) {
          return all().stream()
              .filter(r -> r.owner().equals(owner) && r.subscription().id().equals(subscriptionId))
              .findFirst();
        }
      };
    }
  },
  /** An update is not checked against the natural key: it takes the key from its holder. */
  UPDATE_TAKES_KEY(ContractRule.STORE_UPDATE_CONFLICT) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          if (delegate.find(r.id()).isPresent()) {
            delegate
                .find(r.owner(), r.resourcePath(), r.subscription().id())
                .filter(holder -> !holder.id().equals(r.id()))
                .ifPresent(holder -> delegate.remove(holder.id()));
          }
          super.save(r);
        }
      };
    }
  },
  /** Check, then act: a save that loses the race replaces the winner instead of failing. */
  CHECK_THEN_ACT(ContractRule.STORE_RACE_ON_NATURAL_KEY) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          String s = r.subscription().id();
          Optional<Registration> holder = delegate.find(r.owner(), r.resourcePath(), s);
          if (holder.isPresent() && !holder.get().id().equals(r.id())) {
            super.save(r); // refused, as it should be
            return;
          }
          pause();
          try {
            super.save(r);
          } catch (RegistrationConflictException lostTheRace) {
            delegate.find(r.owner(), r.resourcePath(), s).ifPresent(w -> delegate.remove(w.id()));
            super.save(r);
          }
        }
      };
    }
  },
  /** Saves that overlap another save are lost from the id index. */
  LOSES_OVERLAPPING_SAVES(ContractRule.STORE_CONCURRENT_SAVES) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      AtomicInteger inFlight = new AtomicInteger();
      Set<String> lost = ConcurrentHashMap.newKeySet();
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void save(Registration r) {
          try {
            if (inFlight.incrementAndGet() > 1) {
              lost.add(r.id());
            }
            pause();
            super.save(r);
          } finally {
            inFlight.decrementAndGet();
          }
        }

        @Override
        public Optional<Registration> find(String id) {
          return lost.contains(id) ? Optional.empty() : super.find(id);
        }
      };
    }
  },
  /** findByTopic filters out expired registrations. */
  TOPIC_WITHOUT_EXPIRED(ContractRule.STORE_FIND_BY_TOPIC) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> findByTopic(Topic topic) {
          return super.findByTopic(topic).stream()
              .filter(r -> !r.isExpired(SubscriptionStoreContract.NOW))
              .toList();
        }
      };
    }
  },
  /** findBySubscription returns only the registrations on the first resource it meets. */
  SUBSCRIPTION_ON_ONE_RESOURCE(ContractRule.STORE_FIND_BY_SUBSCRIPTION) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> findBySubscription(String subscriptionId) {
          List<Registration> all = super.findBySubscription(subscriptionId);
          if (all.isEmpty()) {
            return all;
          }
          String path = all.get(0).resourcePath();
          return all.stream().filter(r -> r.resourcePath().equals(path)).toList();
        }
      };
    }
  },
  /** The lookups return live views that query again on every read. */
  LIVE_VIEWS(ContractRule.STORE_LOOKUPS_ARE_SNAPSHOTS) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> findByTopic(Topic topic) {
          return live(() -> delegate.findByTopic(topic));
        }

        @Override
        public List<Registration> findBySubscription(String subscriptionId) {
          return live(() -> delegate.findBySubscription(subscriptionId));
        }
      };
    }
  },
  /** remove answers true whatever it removed. */
  REMOVE_ALWAYS_TRUE(ContractRule.STORE_REMOVE) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public boolean remove(String id) {
          super.remove(id);
          return true;
        }
      };
    }
  },
  /** removeBySubscription answers 1 for "something was removed". */
  REMOVE_BY_SUBSCRIPTION_COUNTS_ONE(ContractRule.STORE_REMOVE_BY_SUBSCRIPTION) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public int removeBySubscription(String subscriptionId) {
          return Math.min(1, super.removeBySubscription(subscriptionId));
        }
      };
    }
  },
  /** removeExpired keeps a registration that expires exactly at now. */
  REMOVE_EXPIRED_STRICTLY_BEFORE(ContractRule.STORE_REMOVE_EXPIRED) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public int removeExpired(Instant now) {
          return super.removeExpired(now.minusNanos(1));
        }
      };
    }
  },
  /** countByOwner leaves out expired registrations. */
  OWNER_COUNT_WITHOUT_EXPIRED(ContractRule.STORE_COUNT_BY_OWNER) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public int countByOwner(String owner) {
          return (int)
              all().stream()
                  .filter(
                      r -> r.owner().equals(owner) && !r.isExpired(SubscriptionStoreContract.NOW))
                  .count();
        }
      };
    }
  },
  /** countByResource leaves out expired registrations. */
  RESOURCE_COUNT_WITHOUT_EXPIRED(ContractRule.STORE_COUNT_BY_RESOURCE) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public int countByResource(String path) {
          return (int)
              all().stream()
                  .filter(
                      r ->
                          r.resourcePath().equals(path)
                              && !r.isExpired(SubscriptionStoreContract.NOW))
                  .count();
        }
      };
    }
  },
  /** Each page comes in descending order. */
  DESCENDING_PAGES(ContractRule.STORE_DISTINCT_ORDERED_PAGES) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> distinctSubscriptions(
            @Nullable String after, Instant now, int limit) {
          List<Registration> page = new ArrayList<>(super.distinctSubscriptions(after, now, limit));
          Collections.reverse(page);
          return page;
        }
      };
    }
  },
  /** Pages are one short of the limit. */
  SHORT_PAGES(ContractRule.STORE_DISTINCT_FULL_PAGES) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> distinctSubscriptions(
            @Nullable String after, Instant now, int limit) {
          return super.distinctSubscriptions(after, now, Math.max(1, limit - 1));
        }
      };
    }
  },
  /** distinctSubscriptions ignores expiry. */
  DISTINCT_WITH_EXPIRED(ContractRule.STORE_DISTINCT_ACTIVE_ONLY) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public List<Registration> distinctSubscriptions(
            @Nullable String after, Instant now, int limit) {
          return super.distinctSubscriptions(after, Instant.EPOCH, limit);
        }
      };
    }
  },
  /** The first failure of a streak answers a second too early. */
  FIRST_FAILURE_OFF_BY_ONE(ContractRule.STORE_FAILURE_STARTS_STREAK) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public Instant recordFailure(String subscriptionId, Instant at) {
          Instant since = super.recordFailure(subscriptionId, at);
          return since.equals(at) ? at.minusSeconds(1) : since;
        }
      };
    }
  },
  /** recordFailure answers the previous failure, not the first of the streak. */
  PREVIOUS_FAILURE_NOT_FIRST(ContractRule.STORE_FAILURE_STREAK_KEPT) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      Map<String, Instant> last = new ConcurrentHashMap<>();
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void recordSuccess(String subscriptionId, Instant at) {
          last.remove(subscriptionId);
          super.recordSuccess(subscriptionId, at);
        }

        @Override
        public Instant recordFailure(String subscriptionId, Instant at) {
          super.recordFailure(subscriptionId, at);
          Instant previous = last.put(subscriptionId, at);
          return previous == null ? at : previous;
        }
      };
    }
  },
  /** recordSuccess does nothing. */
  SUCCESS_IGNORED(ContractRule.STORE_SUCCESS_ENDS_STREAK) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      return new ForwardingSubscriptionStore(store) {
        @Override
        public void recordSuccess(String subscriptionId, Instant at) {}
      };
    }
  },
  /** One failure streak for every subscription. */
  ONE_STREAK_FOR_ALL(ContractRule.STORE_STREAK_PER_SUBSCRIPTION) {
    @Override
    SubscriptionStore wrap(SubscriptionStore store) {
      Instant[] since = {null};
      return new ForwardingSubscriptionStore(store) {
        @Override
        public synchronized void recordSuccess(String subscriptionId, Instant at) {
          since[0] = null;
        }

        @Override
        public synchronized Instant recordFailure(String subscriptionId, Instant at) {
          if (since[0] == null) {
            since[0] = at;
          }
          return since[0];
        }
      };
    }
  };

  final ContractRule rule;

  BrokenStore(ContractRule rule) {
    this.rule = rule;
  }

  /** The in-memory store with this fault planted. */
  SubscriptionStore create() {
    return wrap(new InMemorySubscriptionStore());
  }

  abstract SubscriptionStore wrap(SubscriptionStore store);

  /** Widens a race window. */
  static void pause() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A list that asks its source again on every read. */
  static List<Registration> live(Supplier<List<Registration>> source) {
    return new AbstractList<>() {
      @Override
      public Registration get(int index) {
        return source.get().get(index);
      }

      @Override
      public int size() {
        return source.get().size();
      }
    };
  }
}
