package dev.davpush.testkit.contract;

import dev.davpush.DeliveryException;
import dev.davpush.DeliveryException.Reason;
import dev.davpush.Subscription;
import dev.davpush.Urgency;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PushDelivery;
import dev.davpush.spi.PushTransport;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Planted faults: each is {@link dev.davpush.webpush.WebPushTransport} behind a decorator that
 * breaks exactly one {@link ContractRule} of the transport kit, the way a real transport might (a
 * status misclassified, a header dropped, an exception thrown instead of returned).
 */
enum BrokenTransport {
  /** Refuses every subscription. */
  ACCEPTS_NOTHING(ContractRule.TRANSPORT_CONFIGURATION) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public boolean accepts(Subscription subscription) {
          return false;
        }
      };
    }
  },
  /** Sends a payload with a stray byte appended. */
  CORRUPTS_PAYLOAD(ContractRule.TRANSPORT_DELIVERED_201) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          byte[] payload = Arrays.copyOf(d.payload(), d.payloadLength() + 1);
          payload[payload.length - 1] = ' ';
          return super.send(copy(d, payload, d.ttl(), d.urgency(), d.topic().orElse(null)));
        }
      };
    }
  },
  /** Takes only 201 as delivered. */
  ONLY_201_DELIVERED(ContractRule.TRANSPORT_DELIVERED_2XX) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapResult(
          t,
          r ->
              r instanceof DeliveryResult.Delivered d && d.status() != 201
                  ? new DeliveryResult.Rejected(d.status(), "unexpected status")
                  : r);
    }
  },
  /** Takes only 404 as gone. */
  ONLY_404_GONE(ContractRule.TRANSPORT_GONE) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapResult(
          t,
          r ->
              r instanceof DeliveryResult.Gone g && g.status() == 410
                  ? new DeliveryResult.Rejected(410, "unexpected status")
                  : r);
    }
  },
  /** Drops the Retry-After of a 429. */
  DROPS_RETRY_AFTER(ContractRule.TRANSPORT_RETRY_AFTER) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapResult(
          t,
          r ->
              r instanceof DeliveryResult.RetryLater l && l.status() == 429
                  ? new DeliveryResult.RetryLater(429, null)
                  : r);
    }
  },
  /** Takes 5xx as a refusal. */
  SERVER_ERROR_REJECTED(ContractRule.TRANSPORT_SERVER_ERROR) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapResult(
          t,
          r ->
              r instanceof DeliveryResult.RetryLater l && l.status() >= 500
                  ? new DeliveryResult.Rejected(l.status(), "server error")
                  : r);
    }
  },
  /** Takes 413 as transient. */
  PAYLOAD_TOO_LARGE_RETRIED(ContractRule.TRANSPORT_REJECTED) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapResult(
          t,
          r ->
              r instanceof DeliveryResult.Rejected j && j.status() == 413
                  ? new DeliveryResult.RetryLater(413, null)
                  : r);
    }
  },
  /** A dropped connection (not a refused one) is reported with reason OTHER. */
  DROPPED_CONNECTION_UNCLASSIFIED(ContractRule.TRANSPORT_CONNECTION_DROPPED) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapFailure(
          t,
          e ->
              e.reason() == Reason.CONNECTION_FAILED && !hasCause(e, ConnectException.class)
                  ? new DeliveryException(Reason.OTHER, e.getMessage(), e)
                  : e);
    }
  },
  /** A refused connection is reported as an answer (a 503). */
  REFUSED_AS_ANSWER(ContractRule.TRANSPORT_CONNECTION_REFUSED) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          return super.send(d)
              .handle(
                  (r, e) -> {
                    Throwable cause = unwrap(e);
                    if (cause != null && hasCause(cause, ConnectException.class)) {
                      return new DeliveryResult.RetryLater(503, null);
                    }
                    if (cause != null) {
                      throw new CompletionException(cause);
                    }
                    return r;
                  });
        }
      };
    }
  },
  /** A timeout is reported as a failed connection. */
  TIMEOUT_AS_CONNECTION_FAILED(ContractRule.TRANSPORT_TIMEOUT) {
    @Override
    PushTransport wrap(PushTransport t) {
      return mapFailure(
          t,
          e ->
              e.reason() == Reason.TIMEOUT
                  ? new DeliveryException(Reason.CONNECTION_FAILED, e.getMessage(), e)
                  : e);
    }
  },
  /** send waits for the answer before it returns. */
  BLOCKS_UNTIL_ANSWERED(ContractRule.TRANSPORT_DOES_NOT_BLOCK) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          CompletableFuture<DeliveryResult> f = super.send(d).toCompletableFuture();
          f.handle((r, e) -> null).join();
          return f;
        }
      };
    }
  },
  /** send after close throws. */
  THROWS_AFTER_CLOSE(ContractRule.TRANSPORT_CLOSED) {
    @Override
    PushTransport wrap(PushTransport t) {
      AtomicBoolean closed = new AtomicBoolean();
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          if (closed.get()) {
            throw new IllegalStateException("transport closed");
          }
          return super.send(d);
        }

        @Override
        public void close() {
          closed.set(true);
          super.close();
        }
      };
    }
  },
  /** Sends one second more TTL than asked. */
  TTL_ONE_SECOND_LONGER(ContractRule.TRANSPORT_TTL_HEADER) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          return super.send(
              copy(d, d.payload(), d.ttl().plusSeconds(1), d.urgency(), d.topic().orElse(null)));
        }
      };
    }
  },
  /** Drops the RFC 8030 topic. */
  DROPS_TOPIC(ContractRule.TRANSPORT_TOPIC_HEADER) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          return super.send(copy(d, d.payload(), d.ttl(), d.urgency(), null));
        }
      };
    }
  },
  /** Sends every message at normal urgency. */
  DROPS_URGENCY(ContractRule.TRANSPORT_URGENCY_HEADER) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          return super.send(copy(d, d.payload(), d.ttl(), Urgency.NORMAL, d.topic().orElse(null)));
        }
      };
    }
  },
  /** Failures name the push resource in their message. */
  FAILURE_SHOWS_PUSH_RESOURCE(ContractRule.TRANSPORT_HIDES_PUSH_RESOURCE) {
    @Override
    PushTransport wrap(PushTransport t) {
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          return super.send(d)
              .handle(
                  (r, e) -> {
                    Throwable cause = unwrap(e);
                    if (cause instanceof DeliveryException de) {
                      throw new CompletionException(
                          new DeliveryException(
                              de.reason(),
                              de.getMessage() + " (" + d.subscription().id() + ")",
                              de));
                    }
                    if (cause != null) {
                      throw new CompletionException(cause);
                    }
                    return r;
                  });
        }
      };
    }
  },
  /** A send that overlaps another is sent twice. */
  OVERLAPPING_SENDS_DUPLICATE(ContractRule.TRANSPORT_CONCURRENT_SENDS) {
    @Override
    PushTransport wrap(PushTransport t) {
      AtomicInteger inFlight = new AtomicInteger();
      return new ForwardingPushTransport(t) {
        @Override
        public CompletionStage<DeliveryResult> send(PushDelivery d) {
          if (inFlight.incrementAndGet() > 1) {
            super.send(d);
          }
          return super.send(d).whenComplete((r, e) -> inFlight.decrementAndGet());
        }
      };
    }
  };

  final ContractRule rule;

  BrokenTransport(ContractRule rule) {
    this.rule = rule;
  }

  abstract PushTransport wrap(PushTransport transport);

  static PushDelivery copy(
      PushDelivery d, byte[] payload, Duration ttl, Urgency urgency, @Nullable String topic) {
    return PushDelivery.builder(d.subscription(), payload)
        .ttl(ttl)
        .urgency(urgency)
        .topic(topic)
        .build();
  }

  static @Nullable Throwable unwrap(@Nullable Throwable e) {
    return e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
  }

  static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  static PushTransport mapResult(PushTransport t, Function<DeliveryResult, DeliveryResult> f) {
    return new ForwardingPushTransport(t) {
      @Override
      public CompletionStage<DeliveryResult> send(PushDelivery d) {
        return super.send(d).thenApply(f);
      }
    };
  }

  static PushTransport mapFailure(
      PushTransport t, Function<DeliveryException, DeliveryException> f) {
    return new ForwardingPushTransport(t) {
      @Override
      public CompletionStage<DeliveryResult> send(PushDelivery d) {
        return super.send(d)
            .handle(
                (r, e) -> {
                  Throwable cause = unwrap(e);
                  if (cause instanceof DeliveryException de) {
                    throw new CompletionException(f.apply(de));
                  }
                  if (cause != null) {
                    throw new CompletionException(cause);
                  }
                  return r;
                });
      }
    };
  }
}
