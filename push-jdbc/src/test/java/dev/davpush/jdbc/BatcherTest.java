package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PushException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Group commit: concurrent calls share statements, each gets its own answer, failures reach all.
 */
class BatcherTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aLoneCallRunsAtOnceAsABatchOfOne() {
    List<List<String>> batches = new ArrayList<>();
    Batcher<String, String> b =
        new Batcher<>(
            "t",
            8,
            keys -> {
              batches.add(keys);
              return Map.of(keys.get(0), keys.get(0).toUpperCase());
            });
    assertThat(b.call("a")).isEqualTo("A");
    assertThat(b.call("b")).isEqualTo("B");
    assertThat(batches).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void callsArrivingDuringABatchShareTheNextOneAndEachGetsItsOwnValue() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<List<Integer>> batches = new ArrayList<>();
    Batcher<Integer, Integer> b =
        new Batcher<>(
            "t",
            256,
            keys -> {
              synchronized (batches) {
                batches.add(keys);
              }
              if (keys.contains(-1)) {
                firstRunning.countDown();
                await(release);
              }
              Map<Integer, Integer> out = new HashMap<>();
              for (int k : keys) {
                out.put(k, k * 10);
              }
              return out;
            });
    Future<Integer> first = pool.submit(() -> b.call(-1));
    assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Integer>> rest = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int k = i;
      rest.add(pool.submit(() -> b.call(k)));
    }
    waitUntilWaiting(b, 12);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(-10);
    for (int i = 0; i < 12; i++) {
      assertThat(rest.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
    // the twelve waited behind the first batch, then ran together
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).hasSize(12);
  }

  @Test
  void aBatchCarriesAtMostMaxBatchKeysAndEqualKeysOnce() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<List<Integer>> batches = new ArrayList<>();
    Batcher<Integer, Integer> b =
        new Batcher<>(
            "t",
            4,
            keys -> {
              synchronized (batches) {
                batches.add(keys);
              }
              if (keys.contains(-1)) {
                firstRunning.countDown();
                await(release);
              }
              Map<Integer, Integer> out = new HashMap<>();
              keys.forEach(k -> out.put(k, k));
              return out;
            });
    Future<Integer> first = pool.submit(() -> b.call(-1));
    assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Integer>> rest = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int k = i % 5; // 0..4 twice
      rest.add(pool.submit(() -> b.call(k)));
    }
    waitUntilWaiting(b, 10);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 10; i++) {
      assertThat(rest.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i % 5);
    }
    synchronized (batches) {
      for (List<Integer> keys : batches) {
        assertThat(keys.size()).isBetween(1, 4);
        assertThat(keys).doesNotHaveDuplicates();
      }
      assertThat(batches.size()).isGreaterThanOrEqualTo(3); // 10 waiting calls, 4 at most each
    }
  }

  @Test
  void aFailedBatchFailsEachOfItsCallersWithItsOwnTypedExceptionAndTheNextBatchRuns()
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Batcher<String, String> b =
        new Batcher<>(
            "acknowledge",
            8,
            keys -> {
              if (runs.getAndIncrement() == 0) {
                throw Sql.failure("acknowledge", new SQLException("boom", "08006"));
              }
              return Map.of(keys.get(0), "ok");
            });
    assertThatThrownBy(() -> b.call("a"))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("acknowledge failed")
        .hasMessageContaining("08006")
        .hasMessageNotContaining("boom");
    assertThat(b.call("b")).isEqualTo("ok");

    Batcher<String, String> other =
        new Batcher<>(
            "find",
            8,
            keys -> {
              throw new PushException("a stored registration does not decode");
            });
    assertThatThrownBy(() -> other.call("x"))
        .isInstanceOf(PushException.class)
        .hasMessageContaining("find failed");
  }

  /** Each call's statement starts after the call arrived: it sees every write made before it. */
  @RepeatedTest(5)
  void everyCallSeesWhatWasWrittenBeforeItArrived() throws Exception {
    AtomicLong committed = new AtomicLong();
    Map<Integer, Long> seenAtStart = new ConcurrentHashMap<>();
    AtomicInteger statements = new AtomicInteger();
    Batcher<Integer, Long> b =
        new Batcher<>(
            "t",
            64,
            keys -> {
              statements.incrementAndGet();
              long snapshot = committed.get(); // the statement's snapshot
              Thread.onSpinWait();
              Map<Integer, Long> out = new HashMap<>();
              keys.forEach(k -> out.put(k, snapshot));
              return out;
            });
    int calls = 2_000;
    List<Future<?>> fs = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    for (int t = 0; t < 16; t++) {
      fs.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < calls; ) {
                  long written = committed.incrementAndGet(); // a write before the call
                  long seen = b.call(i);
                  assertThat(seen).isGreaterThanOrEqualTo(written);
                  seenAtStart.put(i, seen);
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(seenAtStart).hasSize(calls);
    assertThat(statements.get()).isLessThanOrEqualTo(calls);
  }

  private static void await(CountDownLatch l) {
    try {
      if (!l.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // Waits (bounded) until n callers wait behind the running batch.
  private static void waitUntilWaiting(Batcher<?, ?> b, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.waiting() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + b.waiting() + " of " + n + " callers arrived");
      }
      Thread.sleep(5);
    }
  }
}
