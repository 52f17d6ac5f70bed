package dev.davpush.testkit.contract;

import dev.davpush.spi.DeliveryQueue;
import dev.davpush.spi.DeliveryQueueFullException;
import dev.davpush.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Planted faults: each is the in-memory queue behind a decorator that breaks exactly one {@link
 * ContractRule} of the queue kit, the way a real queue might (a column not persisted, an off-by-one
 * on an instant, a lease that lapses, a retry table that is not coalesced).
 */
enum BrokenQueue {
  /** The attempt number is not persisted by offer. */
  OFFER_DROPS_ATTEMPT(ContractRule.QUEUE_OFFER_THEN_POLL) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          PendingDelivery stored = d.toBuilder().attempt(1).build();
          PendingDelivery r = super.offer(stored);
          return r == stored ? d : r;
        }
      };
    }
  },
  /** poll claims deliveries up to a second before they are due. */
  POLLS_A_SECOND_EARLY(ContractRule.QUEUE_NOT_BEFORE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          return super.poll(now.plusSeconds(1), max);
        }
      };
    }
  },
  /** poll returns its batch latest first. */
  LATEST_FIRST(ContractRule.QUEUE_EARLIEST_FIRST) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          List<PendingDelivery> r = new ArrayList<>(super.poll(now, max));
          Collections.reverse(r);
          return r;
        }
      };
    }
  },
  /** poll ignores max. */
  IGNORES_MAX(ContractRule.QUEUE_POLL_MAX) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          return super.poll(now, Integer.MAX_VALUE);
        }
      };
    }
  },
  /** A claim lapses after 30 minutes although its claimant lives (a visibility timeout). */
  CLAIM_LAPSES(ContractRule.QUEUE_CLAIMED_ONCE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      Map<String, Instant> claimedAt = new ConcurrentHashMap<>();
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          List<PendingDelivery> r = new ArrayList<>(super.poll(now, max));
          for (PendingDelivery d : claimedByKey.values()) {
            Instant at = claimedAt.get(d.idempotencyKey());
            if (at != null && !at.plus(Duration.ofMinutes(30)).isAfter(now) && r.size() < max) {
              r.add(d);
            }
          }
          r.forEach(d -> claimedAt.put(d.idempotencyKey(), now));
          return r;
        }
      };
    }
  },
  /** nextDue counts claimed deliveries. */
  NEXT_DUE_COUNTS_CLAIMED(ContractRule.QUEUE_NEXT_DUE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public Optional<Instant> nextDue() {
          List<Instant> all = new ArrayList<>();
          super.nextDue().ifPresent(all::add);
          claimedByKey.values().forEach(d -> all.add(d.notBefore()));
          return all.stream().min(Comparator.naturalOrder());
        }
      };
    }
  },
  /** A merging offer answers with the offered delivery's idempotency key. */
  MERGE_ANSWERS_OFFERED_KEY(ContractRule.QUEUE_OFFER_MERGES) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          return withKey(super.offer(d), d.idempotencyKey());
        }
      };
    }
  },
  /** A merge keeps the waiting delivery's not-before even when the offered one is due earlier. */
  MERGE_KEEPS_LATER_NOT_BEFORE(ContractRule.QUEUE_MERGE_EARLIER) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          PendingDelivery w = waitingByCoalescingKey.get(d.coalescingKey());
          if (w != null && d.notBefore().isBefore(w.notBefore())) {
            return super.offer(d.toBuilder().notBefore(w.notBefore()).build());
          }
          return super.offer(d);
        }
      };
    }
  },
  /** An offer while the key's delivery is claimed answers as if merged into the claimed one. */
  ANSWERS_MERGED_INTO_CLAIMED(ContractRule.QUEUE_CLAIMED_NOT_MERGED) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          Optional<PendingDelivery> claimed = claimedWithCoalescingKey(d.coalescingKey());
          PendingDelivery r = super.offer(d);
          return claimed.map(c -> c.mergedWith(d)).orElse(r);
        }
      };
    }
  },
  /** Coalescing by push resource alone: an offer for another topic is swallowed. */
  COALESCES_BY_PUSH_RESOURCE(ContractRule.QUEUE_KEYS_SEPARATE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          for (PendingDelivery w : waitingByCoalescingKey.values()) {
            if (w.subscriptionId().equals(d.subscriptionId())
                && !w.coalescingKey().equals(d.coalescingKey())) {
              return w;
            }
          }
          return super.offer(d);
        }
      };
    }
  },
  /** acknowledge matches the whole value, not the idempotency key. */
  ACKNOWLEDGE_BY_EQUALITY(ContractRule.QUEUE_ACKNOWLEDGE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public void acknowledge(PendingDelivery d) {
          PendingDelivery claimed = claimedByKey.get(d.idempotencyKey());
          if (claimed != null && claimed.equals(d)) {
            super.acknowledge(d);
          }
        }
      };
    }
  },
  /** acknowledge of a delivery that is not claimed throws. */
  ACKNOWLEDGE_UNKNOWN_THROWS(ContractRule.QUEUE_ACKNOWLEDGE_UNKNOWN) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public void acknowledge(PendingDelivery d) {
          if (!claimedByKey.containsKey(d.idempotencyKey())) {
            throw new IllegalStateException("acknowledge: no such claimed delivery");
          }
          super.acknowledge(d);
        }
      };
    }
  },
  /** reschedule loses the new not-before: the retry is due at once. */
  RESCHEDULE_DUE_AT_ONCE(ContractRule.QUEUE_RESCHEDULE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery reschedule(PendingDelivery next) {
          return super.reschedule(
              next.toBuilder().notBefore(next.notBefore().minusSeconds(3600)).build());
        }
      };
    }
  },
  /** Retries wait in a separate list that later offers do not merge into. */
  SEPARATE_RETRY_LIST(ContractRule.QUEUE_RESCHEDULED_MERGES_LATER) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      List<PendingDelivery> retries = Collections.synchronizedList(new ArrayList<>());
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery reschedule(PendingDelivery next) {
          if (waitingByCoalescingKey.containsKey(next.coalescingKey())) {
            return super.reschedule(next);
          }
          claimedByKey.remove(next.idempotencyKey());
          delegate.acknowledge(next);
          retries.add(next);
          return next;
        }

        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          List<PendingDelivery> out = new ArrayList<>();
          synchronized (retries) {
            retries.sort(Comparator.comparing(PendingDelivery::notBefore));
            while (!retries.isEmpty()
                && out.size() < max
                && !retries.get(0).notBefore().isAfter(now)) {
              PendingDelivery d = retries.remove(0);
              claimedByKey.put(d.idempotencyKey(), d);
              out.add(d);
            }
          }
          if (out.size() < max) {
            out.addAll(super.poll(now, max - out.size()));
          }
          return out;
        }

        @Override
        public Optional<Instant> nextDue() {
          List<Instant> all = new ArrayList<>();
          super.nextDue().ifPresent(all::add);
          synchronized (retries) {
            retries.forEach(d -> all.add(d.notBefore()));
          }
          return all.stream().min(Comparator.naturalOrder());
        }

        @Override
        public int size() {
          return super.size() + retries.size();
        }

        @Override
        public List<PendingDelivery> drain() {
          List<PendingDelivery> out = new ArrayList<>(super.drain());
          synchronized (retries) {
            out.addAll(retries);
            retries.clear();
          }
          return out;
        }
      };
    }
  },
  /** reschedule onto a waiting delivery answers with the rescheduled one's idempotency key. */
  RESCHEDULE_MERGE_ANSWERS_OWN_KEY(ContractRule.QUEUE_RESCHEDULE_MEETS_WAITING) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery reschedule(PendingDelivery next) {
          return withKey(super.reschedule(next), next.idempotencyKey());
        }
      };
    }
  },
  /** drain also ends the claimed deliveries. */
  DRAIN_ENDS_CLAIMED(ContractRule.QUEUE_DRAIN) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> drain() {
          List<PendingDelivery> out = super.drain();
          for (PendingDelivery c : List.copyOf(claimedByKey.values())) {
            super.acknowledge(c);
          }
          return out;
        }
      };
    }
  },
  /** size counts merged offers as deliveries. */
  SIZE_COUNTS_MERGES(ContractRule.QUEUE_SIZE) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      AtomicInteger merges = new AtomicInteger();
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          PendingDelivery r = super.offer(d);
          if (!r.idempotencyKey().equals(d.idempotencyKey())) {
            merges.incrementAndGet();
          }
          return r;
        }

        @Override
        public int size() {
          return super.size() + merges.get();
        }
      };
    }
  },
  /** A full queue throws an untyped exception. */
  UNTYPED_FULL(ContractRule.QUEUE_FULL) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          try {
            return super.offer(d);
          } catch (DeliveryQueueFullException e) {
            throw new IllegalStateException("queue full", e);
          }
        }
      };
    }
  },
  /** The capacity is checked before looking for a delivery to merge into. */
  FULL_BEFORE_MERGE(ContractRule.QUEUE_FULL_STILL_MERGES) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public PendingDelivery offer(PendingDelivery d) {
          if (super.size() >= this.capacity) {
            throw new DeliveryQueueFullException(this.capacity);
          }
          return super.offer(d);
        }
      };
    }
  },
  /** Overlapping polls hand out the last claimed delivery once more. */
  OVERLAPPING_POLLS_DUPLICATE(ContractRule.QUEUE_CONCURRENT_POLLS) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      AtomicInteger inFlight = new AtomicInteger();
      AtomicReference<PendingDelivery> last = new AtomicReference<>();
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public List<PendingDelivery> poll(Instant now, int max) {
          int overlapping = inFlight.incrementAndGet();
          try {
            List<PendingDelivery> r = new ArrayList<>(super.poll(now, max));
            BrokenStore.pause();
            PendingDelivery previous = last.get();
            if (overlapping > 1 && previous != null && !r.isEmpty()) {
              r.add(previous);
            }
            if (!r.isEmpty()) {
              last.set(r.get(0));
            }
            return r;
          } finally {
            inFlight.decrementAndGet();
          }
        }
      };
    }
  },
  /** A second close throws. */
  CLOSE_TWICE_THROWS(ContractRule.QUEUE_CLOSE_IDEMPOTENT) {
    @Override
    DeliveryQueue wrap(DeliveryQueue q, int capacity) {
      AtomicBoolean closed = new AtomicBoolean();
      return new ForwardingDeliveryQueue(q, capacity) {
        @Override
        public void close() {
          if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("already closed");
          }
          super.close();
        }
      };
    }
  };

  final ContractRule rule;

  BrokenQueue(ContractRule rule) {
    this.rule = rule;
  }

  abstract DeliveryQueue wrap(DeliveryQueue queue, int capacity);

  /** {@code answer} as it is when it carries {@code key}, else a copy that carries it. */
  static PendingDelivery withKey(PendingDelivery answer, String key) {
    return answer.idempotencyKey().equals(key)
        ? answer
        : answer.toBuilder().idempotencyKey(key).build();
  }
}
