package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test bed for the dispatch pipeline: fake resources, an in-memory store, a recording transport,
 * a clock the test moves, and two seams that make timing deterministic.
 *
 * <ul>
 *   <li>Wake-ups ({@code delayer}): either run at once after moving the clock to the moment they
 *       are for ({@link #autoWake}), or held until {@link #wake()} runs them.
 *   <li>Work ({@link ManualExecutor}): tasks of an engine built with {@link #manual} run only when
 *       the test calls {@link ManualExecutor#runAll()}, on the test's thread, in order.
 * </ul>
 */
final class EngineHarness implements AutoCloseable {
  static final URI BASE = URI.create("https://dav.example/push/");
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Trigger CONTENT_1 = new Trigger.ContentUpdate(Depth.ONE);
  static final Trigger PROPERTY_0 = new Trigger.PropertyUpdate(Depth.ZERO);

  record WakeUp(Runnable task, Duration delay) {}

  /** Runs submitted tasks only when asked, on the asking thread. */
  static final class ManualExecutor implements Executor {
    final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
    }

    /** Runs tasks, including those they submit, until none is left. */
    void runAll() {
      for (int i = 0; i < 1_000_000; i++) {
        Runnable r = tasks.poll();
        if (r == null) {
          return;
        }
        r.run();
      }
      throw new AssertionError("the engine keeps submitting work");
    }
  }

  final FakeResources resources = new FakeResources();
  final RecordingTransport transport;
  final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
  final MutableClock clock = new MutableClock(START);
  final ManualExecutor executor = new ManualExecutor();
  final Queue<WakeUp> held = new ConcurrentLinkedQueue<>();
  final List<Duration> wakeUpDelays = new CopyOnWriteArrayList<>();
  final List<PushEngine> engines = new ArrayList<>();
  volatile boolean autoWake;

  EngineHarness() {
    this(new RecordingTransport());
  }

  EngineHarness(RecordingTransport transport) {
    this.transport = transport;
    resources.collection("/cal/");
    resources.collection("/cal/alice/");
    resources.collection("/cal/alice/work/");
    resources.collection("/cal/alice/home/");
    resources.allow("alice", "/cal/", "/cal/alice/", "/cal/alice/work/", "/cal/alice/home/");
    resources.allow("bob", "/cal/alice/work/");
  }

  /** The engine's builder with the harness's parts; wake-ups as {@link #autoWake} says. */
  PushEngine.Builder builder() {
    return PushEngine.builder()
        .resources(resources)
        .store(store)
        .transport(transport)
        .messageEncoder(transport.encoder())
        .registrationBase(BASE)
        .clock(clock)
        .jitter(() -> 0.5)
        .delayer(
            (task, delay) -> {
              wakeUpDelays.add(delay);
              if (autoWake) {
                clock.advance(delay);
                task.run();
              } else {
                held.add(new WakeUp(task, delay));
              }
            });
  }

  /** An engine on its own threads. */
  PushEngine engine(Consumer<PushEngine.Builder> custom) {
    PushEngine.Builder b = builder();
    custom.accept(b);
    PushEngine e = b.build();
    engines.add(e);
    return e;
  }

  /** An engine whose work runs only in {@link ManualExecutor#runAll()}; close does not wait. */
  PushEngine manual(Consumer<PushEngine.Builder> custom) {
    return engine(b -> custom.accept(b.executor(executor).closeTimeout(Duration.ZERO)));
  }

  /**
   * Runs the held wake-ups: moves the clock to the latest moment one of them is for, runs them,
   * then the work they submitted to the manual executor.
   */
  void wake() {
    List<WakeUp> due = new ArrayList<>();
    for (WakeUp w; (w = held.poll()) != null; ) {
      due.add(w);
    }
    Duration longest = Duration.ZERO;
    for (WakeUp w : due) {
      if (w.delay().compareTo(longest) > 0) {
        longest = w.delay();
      }
    }
    clock.advance(longest);
    for (WakeUp w : due) {
      w.task().run();
    }
    executor.runAll();
  }

  static WebPushSubscription subscription(String pushResource) {
    return WebPushSubscription.of(
        PushResource.parse(pushResource), PushEngineTest.KEY, AuthSecret.random());
  }

  static WebPushSubscription subscriptionNamed(String name) {
    return subscription("https://push.example/" + name);
  }

  static Registration register(
      PushEngine engine, String principal, String path, WebPushSubscription s, Trigger... t) {
    return engine
        .register(path, principal, new RegisterRequest(s, List.of(t), null))
        .registration();
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static void assertDone(CompletableFuture<?> f) {
    assertThat(f).as("completed").isDone();
  }

  @Override
  public void close() {
    for (PushEngine e : engines) {
      e.close();
    }
  }
}
