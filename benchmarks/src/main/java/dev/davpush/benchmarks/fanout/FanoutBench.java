package dev.davpush.benchmarks.fanout;

import static dev.davpush.benchmarks.fanout.Report.f;
import static dev.davpush.benchmarks.fanout.Report.millis;
import static dev.davpush.benchmarks.fanout.Report.percentile;
import static dev.davpush.benchmarks.fanout.Report.round;
import static dev.davpush.benchmarks.fanout.Report.seconds;

import dev.davpush.PushMessage;
import dev.davpush.PushResource;
import dev.davpush.benchmarks.fanout.LoopbackPushService.Behaviour;
import dev.davpush.benchmarks.fanout.LoopbackPushService.Phase;
import dev.davpush.benchmarks.fanout.LoopbackPushService.Received;
import dev.davpush.server.PublishResult;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushMessageWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.jspecify.annotations.Nullable;

/**
 * The fan-out harness: end-to-end figures of the engine against a loopback push service, side by
 * side with webpush-java 5.1.2 where a comparison makes sense. Run {@code -help} for the options;
 * {@code benchmarks/FANOUT.md} has the commands and the results.
 *
 * <p>Scenarios: {@code fanout} (one change to N registrations), {@code faults} (the same with 5 %
 * hanging and 5 % answering 503), {@code heap} (heap per in-memory registration), {@code coalesce}
 * (100 changes in one second to K registrations, decrypted at the push service), {@code latency}
 * (one subscriber, sequential publishes). Every wait is bounded by {@code -timeout}.
 */
public final class FanoutBench {
  private int n = 10_000;
  private int heapN = 100_000;
  private int heapDevices = 1;
  private int k = 100;
  private int changes = 100;
  private int publishes = 2_000;
  private int warmup = 200;
  private int warmupFanout = 1_000;
  private int rounds = 8;
  private int anchorThreads = 2;
  private int serverThreads = 4;
  private Duration timeout = Duration.ofSeconds(120);
  private Duration anchorRequestTimeout = Duration.ofSeconds(30);
  private boolean anchor = true;
  private boolean json;
  private final Set<String> scenarios = new LinkedHashSet<>();

  private FanoutBench() {}

  /**
   * Runs the selected scenarios.
   *
   * @param args options, see {@code -help}
   * @throws Exception if a scenario cannot be set up
   */
  public static void main(String[] args) throws Exception {
    FanoutBench b = new FanoutBench();
    if (!b.parse(args)) {
      return;
    }
    System.out.println(
        f(
            "fan-out harness: JDK %s (%s), %d cores, max heap %d MiB, scenarios %s",
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            b.scenarios));
    for (String s : b.scenarios) {
      switch (s) {
        case "fanout" -> b.fanout();
        case "faults" -> b.faults();
        case "heap" -> b.heap();
        case "coalesce" -> b.coalesce();
        case "latency" -> b.latency();
        case "capacity" -> b.capacity();
        default -> throw new IllegalStateException(s);
      }
    }
    // webpush-java's per-message clients may leave non-daemon threads behind
    System.exit(0);
  }

  private boolean parse(String[] args) {
    List<String> all = List.of("fanout", "faults", "heap", "coalesce", "latency");
    for (int i = 0; i < args.length; i++) {
      String a = args[i].replaceFirst("^--?", "");
      String v = null;
      int eq = a.indexOf('=');
      if (eq >= 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "help", "h" -> {
          System.out.println(
              """
              usage: java -cp benchmarks/target/benchmarks.jar dev.davpush.benchmarks.fanout.FanoutBench [options]
                -fanout -faults -heap -coalesce -latency   scenarios to run (any number; default all)
                -capacity           not in 'all': the loopback push service alone, N plain POSTs over
                                    the transport's HTTP stack (HttpClient 5 async, 16 connections)
                -n N                registrations for fanout and faults (default 10000)
                -heap-n N           registrations for heap (default 100000)
                -heap-devices D     registrations per principal for heap (default 1: every
                                    registration its own principal, the worst case)
                -k K                registrations for coalesce (default 100)
                -changes C          changes within one second for coalesce (default 100)
                -publishes P        measured publishes for latency (default 2000)
                -warmup W           warm-up publishes for latency (default 200)
                -warmup-fanout W    registrations of the warm-up fan-out before fanout/faults (default 1000, 0 = none)
                -rounds R           fanout: measure R fan-outs on one engine, each to new
                                    registrations and push resources (default 8; 1 for
                                    the first fan-out of a fresh JVM alone), and
                                    report the median of the second half as the steady
                                    state (the ratio uses it); faults: the engine first
                                    does R-1 fan-outs of N with the same faults (held
                                    exchanges ended after each); later rounds show the
                                    engine once the JIT has settled
                -timeout S          bound in seconds on each library's run in a scenario (default 120)
                -anchor-timeout S   webpush-java: how long one send may wait for an answer (default 30,
                                    davpush's default response timeout; webpush-java has none)
                -anchor-threads T   webpush-java submitting threads (default 2)
                -server-threads T   handler threads of the loopback push service (default 4)
                -no-anchor          skip webpush-java
                -json               also print one JSON line per scenario (prefixed 'JSON ')""");
          return false;
        }
        case "fanout", "faults", "heap", "coalesce", "latency", "capacity" -> scenarios.add(a);
        case "all" -> scenarios.addAll(all);
        case "json" -> json = true;
        case "no-anchor" -> anchor = false;
        default -> {
          if (v == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option -" + a + " needs a value");
            }
            v = args[++i];
          }
          int value = Integer.parseInt(v);
          switch (a) {
            case "n" -> n = value;
            case "heap-n" -> heapN = value;
            case "heap-devices" -> heapDevices = Math.max(1, value);
            case "k" -> k = value;
            case "changes" -> changes = value;
            case "publishes" -> publishes = value;
            case "warmup" -> warmup = value;
            case "warmup-fanout" -> warmupFanout = value;
            case "rounds" -> rounds = Math.max(1, value);
            case "timeout" -> timeout = Duration.ofSeconds(value);
            case "anchor-timeout" -> anchorRequestTimeout = Duration.ofSeconds(value);
            case "anchor-threads" -> anchorThreads = value;
            case "server-threads" -> serverThreads = value;
            default -> throw new IllegalArgumentException("unknown option -" + a + "; try -help");
          }
        }
      }
    }
    if (scenarios.isEmpty()) {
      scenarios.addAll(all);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // 1. fanout

  private void fanout() throws Exception {
    Report r =
        new Report(
            "fanout", f("one change to %d registrations, push service answers 201", n), json);
    r.put("n", n);
    try (LoopbackPushService push = new LoopbackPushService(serverThreads)) {
      warmUp(push, "fanout");
      UserAgentKeyPair[] keys = keys(n, r);
      List<Double> rates = new ArrayList<>();
      Run d = null;
      Phase phase = null;
      // with several rounds, one engine serves them all, as in a long-running server
      EngineSetup shared = rounds > 1 ? new EngineSetup() : null;
      for (int round = 1; round <= rounds; round++) {
        if (round > 1) {
          keys = keys(n, null);
        }
        phase =
            push.newPhase(
                "davpush-fanout" + (round > 1 ? "-" + round : ""), n, i -> Behaviour.CREATED, null);
        EngineSetup setup = shared != null ? shared : new EngineSetup();
        try {
          register(setup, phase, keys, round == 1 ? r : null);
          d = publishOnce(setup, phase);
        } finally {
          if (shared == null) {
            setup.close();
          } else {
            // the next round's change must reach only its own registrations: remove these
            // (every registration expires before this instant)
            shared.store.removeExpired(Instant.now().plus(Duration.ofDays(36_500)));
          }
        }
        String exact = exactlyOnce(phase);
        rates.add(d.rate(phase));
        r.line(
            rounds > 1 ? f("davpush %d/%d", round, rounds) : "davpush",
            f(
                "%d/%d push resources got a 201 (%s); publish() -> last 201 %.3f s ="
                    + " %.0f deliveries/s",
                phase.healthyDelivered(), n, exact, seconds(d.elapsed), d.rate(phase)));
        r.line("", "PublishResult " + d.describe());
        r.line("", d.cpu(phase));
        r.put("davpush_delivered", phase.healthyDelivered())
            .put("davpush_cpu_us_per_delivery", round(d.cpu / 1_000.0 / n, 0))
            .put("davpush_jit_s", round(d.jit / 1_000.0, 2))
            .put("davpush_exactly_once", exact.equals("each exactly 1 request"))
            .put("davpush_seconds", round(seconds(d.elapsed), 3))
            .put("davpush_deliveries_per_s", round(d.rate(phase), 0))
            .put("davpush_publish_result", d.describe());
      }
      if (shared != null) {
        shared.close();
      }
      double measured = rates.get(rates.size() - 1);
      if (rounds > 1) {
        r.line("rounds", f("deliveries/s per round %s", roundList(rates)));
        r.put("davpush_rounds_deliveries_per_s", roundList(rates));
        // the engine of a long-running server: the rounds of the second half, once the JIT has
        // compiled the hot paths (the first half shows the warm-up)
        List<Double> late = new ArrayList<>(rates.subList(rates.size() / 2, rates.size()));
        measured = median(late);
        r.line(
            "steady state",
            f(
                "median of rounds %d to %d: %.0f deliveries/s (min %.0f, max %.0f)",
                rates.size() / 2 + 1,
                rates.size(),
                measured,
                Collections.min(late),
                Collections.max(late)));
        r.put("davpush_steady_deliveries_per_s", round(measured, 0));
      }
      if (anchor) {
        Phase a = push.newPhase("webpush-java-fanout", n, i -> Behaviour.CREATED, null);
        WebPushJavaAnchor.Outcome o = runAnchor(a, keys);
        double aRate = a.healthyDelivered() / seconds(a.lastCreatedNanos.get() - o.startNanos());
        r.line(
            "webpush-java 5.1.2",
            f(
                "%d/%d push resources got a 201 (%s); first send -> last 201"
                    + " %.3f s = %.0f deliveries/s (%d submitting threads)",
                a.healthyDelivered(),
                n,
                exactlyOnce(a),
                seconds(a.lastCreatedNanos.get() - o.startNanos()),
                aRate,
                anchorThreads));
        r.line("", anchorSummary(o));
        double ratio = measured / aRate;
        r.line(
            "ratio",
            f(
                "davpush%s / webpush-java = %.2f (deliveries/s)",
                rounds > 1 ? " (steady state)" : "", ratio));
        r.put("webpush_java_delivered", a.healthyDelivered())
            .put("webpush_java_deliveries_per_s", round(aRate, 0))
            .put("ratio", round(ratio, 2));
      }
    }
    r.end();
  }

  // ---------------------------------------------------------------------------------------------
  // 2. faults

  private void faults() throws Exception {
    Report r =
        new Report(
            "faults", f("one change to %d registrations, 5 %% hang, 5 %% answer 503", n), json);
    Behaviour[] plan = faultPlan(n);
    r.put("n", n);
    try (LoopbackPushService push = new LoopbackPushService(serverThreads)) {
      warmUp(push, "faults");
      UserAgentKeyPair[] keys = keys(n, r);
      Phase phase = push.newPhase("davpush-faults", n, i -> plan[i], null);
      r.line(
          "plan",
          f(
              "%d healthy, %d hanging (accept, never answer), %d answering 503"
                  + " (seeded shuffle)",
              phase.healthy, count(plan, Behaviour.HANG), count(plan, Behaviour.UNAVAILABLE)));
      EngineSetup setup = new EngineSetup();
      if (rounds > 1) {
        warmRounds(push, setup, plan, r);
      }
      register(setup, phase, keys, r);
      Run d = publishOnce(setup, phase);
      long[] lat = healthyLatencies(phase, d.start);
      r.line(
          "davpush",
          f(
              "%d/%d healthy push resources got a 201 within %d s; healthy"
                  + " publish->arrival p50 %.1f ms, p99 %.1f ms (of the delivered)",
              phase.healthyDelivered(),
              phase.healthy,
              timeout.toSeconds(),
              millis(percentile(lat.clone(), 50)),
              millis(percentile(lat.clone(), 99))));
      r.line("", d.cpu(phase) + ", until the last healthy 201");
      r.line(
          "",
          f(
              "push service saw: %d requests to hanging resources (held open; %d/%d"
                  + " reached), %d answers 503 (%d/%d reached); healthy never reached: %d; last"
                  + " healthy 201 at %.1f s",
              phase.hung.get(),
              reached(phase, Behaviour.HANG),
              count(plan, Behaviour.HANG),
              phase.unavailable.get(),
              reached(phase, Behaviour.UNAVAILABLE),
              count(plan, Behaviour.UNAVAILABLE),
              neverReached(phase),
              seconds(phase.lastCreatedNanos.get() - d.start)));
      r.line(
          "",
          d.result != null
              ? f(
                  "PublishResult %s after %.1f s",
                  d.describe(), seconds(d.completedNanos - d.start))
              : f(
                  "publish() stage NOT complete after %d s (%s)",
                  timeout.toSeconds(), d.describe()));
      r.put("davpush_healthy", phase.healthy)
          .put("davpush_healthy_delivered", phase.healthyDelivered())
          .put("davpush_p50_ms", round(millis(percentile(lat.clone(), 50)), 1))
          .put("davpush_p99_ms", round(millis(percentile(lat.clone(), 99)), 1))
          .put("davpush_cpu_us_per_healthy_delivery", round(d.cpu / 1_000.0 / phase.healthy, 0))
          .put("davpush_hung_requests", phase.hung.get())
          .put("davpush_503_answers", phase.unavailable.get())
          .put("davpush_publish_result", d.describe());
      if (d.result == null) {
        long c0 = System.nanoTime();
        setup.close();
        CompletableFuture<PublishResult> s = d.stage.toCompletableFuture();
        r.line(
            "",
            f(
                "engine.close() took %.1f s; afterwards the stage is %s",
                seconds(System.nanoTime() - c0), state(s)));
        r.put("davpush_after_close", state(s));
      } else {
        setup.close();
      }
      if (anchor) {
        Phase a = push.newPhase("webpush-java-faults", n, i -> plan[i], null);
        WebPushJavaAnchor.Outcome o = runAnchor(a, keys);
        long[] al = healthyLatencies(a, o.startNanos());
        r.line(
            "webpush-java 5.1.2",
            f(
                "%d/%d healthy push resources got a 201 within %d s;"
                    + " healthy start->arrival p50 %.1f ms, p99 %.1f ms (of the delivered)",
                a.healthyDelivered(),
                a.healthy,
                timeout.toSeconds(),
                millis(percentile(al.clone(), 50)),
                millis(percentile(al.clone(), 99))));
        r.line("", anchorSummary(o));
        r.line(
            "",
            f(
                "push service saw: %d requests to hanging resources, %d answers 503;"
                    + " healthy never reached: %d",
                a.hung.get(), a.unavailable.get(), neverReached(a)));
        r.put("webpush_java_healthy_delivered", a.healthyDelivered())
            .put("webpush_java_finished", o.finished())
            .put("webpush_java_timed_out", o.timedOut());
      }
    }
    r.end();
  }

  /**
   * {@code rounds - 1} fan-outs of {@code n} fresh registrations with the same faults on {@code
   * setup}'s engine before the measured one, as a long-running server would have done, so that the
   * fault paths are compiled too. After each, its registrations are removed and the push service
   * ends the exchanges it held (a hanging request otherwise stays open for the transport's 30 s
   * response timeout, and the next rounds would start with the slow slots of the origin filled by
   * an earlier round's requests). The engine then sees those attempts fail and gives them up
   * without sending again, since their registrations are gone.
   */
  private void warmRounds(LoopbackPushService push, EngineSetup setup, Behaviour[] plan, Report r)
      throws InterruptedException {
    List<Double> rates = new ArrayList<>();
    for (int round = 1; round < rounds; round++) {
      Phase warm = push.newPhase("warm-round-" + round, n, i -> plan[i], null);
      register(setup, warm, keys(n, null), null);
      Run w = publishOnce(setup, warm, false);
      rates.add(w.rate(warm));
      setup.store.removeExpired(Instant.now().plus(Duration.ofDays(36_500)));
      push.releaseHeld();
    }
    r.line(
        "same engine before",
        f(
            "%d fan-outs of %d with the same faults (their registrations removed after each),"
                + " healthy deliveries/s %s",
            rounds - 1, n, roundList(rates)));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }

  private static String roundList(List<Double> values) {
    StringBuilder b = new StringBuilder("[");
    for (double v : values) {
      b.append(b.length() > 1 ? ", " : "").append(Math.round(v));
    }
    return b.append(']').toString();
  }

  private static Behaviour[] faultPlan(int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    List<Integer> shuffled = new ArrayList<>(Arrays.asList(order));
    Collections.shuffle(shuffled, new Random(8030));
    Behaviour[] plan = new Behaviour[n];
    Arrays.fill(plan, Behaviour.CREATED);
    int five = n / 20;
    for (int j = 0; j < five; j++) {
      plan[shuffled.get(j)] = Behaviour.HANG;
      plan[shuffled.get(five + j)] = Behaviour.UNAVAILABLE;
    }
    return plan;
  }

  // ---------------------------------------------------------------------------------------------
  // 3. heap

  private void heap() {
    Report r =
        new Report(
            "heap",
            f(
                "%d in-memory registrations through PushEngine.register, %d per principal",
                heapN, heapDevices),
            json);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    EngineSetup setup = new EngineSetup();
    // push resources that are never contacted: nothing is published in this scenario
    String base = "http://127.0.0.1:9/push/heap/";
    long before = usedAfterGc(memory);
    long t0 = System.nanoTime();
    for (int i = 0; i < heapN; i++) {
      UserAgentKeyPair ua = UserAgentKeyPair.generate();
      setup.register(
          i / heapDevices, PushResource.parse(base + i), ua.publicKey(), ua.authSecret());
    }
    long registered = System.nanoTime() - t0;
    long after = usedAfterGc(memory);
    int stored = setup.store.findByTopic(CalendarResources.TOPIC).size();
    double per = (after - before) / (double) heapN;
    r.line(
        "registrations",
        f(
            "%d registered in %.1f s (key generation included), %d in the store",
            heapN, seconds(registered), stored));
    r.line(
        "heap",
        f(
            "used after GC: before %.1f MiB, after %.1f MiB -> %.0f bytes per" + " registration",
            before / 1048576.0, after / 1048576.0, per));
    r.put("n", heapN)
        .put("per_principal", heapDevices)
        .put("bytes_per_registration", round(per, 0))
        .put("used_before", before)
        .put("used_after", after);
    Reference.reachabilityFence(setup);
    setup.close();
    r.end();
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  // ---------------------------------------------------------------------------------------------
  // 4. coalesce

  private void coalesce() throws Exception {
    Report r =
        new Report(
            "coalesce",
            f(
                "%d changes to one collection within 1 s, %d registrations,"
                    + " push service decrypts",
                changes, k),
            json);
    try (LoopbackPushService push = new LoopbackPushService(serverThreads)) {
      UserAgentKeyPair[] keys = keys(k, r);
      Phase phase = push.newPhase("davpush-coalesce", k, i -> Behaviour.CREATED, keys);
      try (EngineSetup setup = new EngineSetup()) {
        register(setup, phase, keys, r);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<CompletableFuture<PublishResult>> stages = new ArrayList<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / changes;
        for (int c = 0; c < changes; c++) {
          long at = start + c * interval;
          for (long w; (w = at - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(w);
          }
          stages.add(setup.publishMemberChange().toCompletableFuture());
        }
        long published = System.nanoTime() - start;
        String newest = setup.resources.syncToken(CalendarResources.COLLECTION).orElseThrow();
        int done = 0;
        int[] sum = new int[5];
        for (CompletableFuture<PublishResult> s : stages) {
          PublishResult p = waitFor(s, deadline);
          if (p != null) {
            done++;
            sum[0] += p.matched();
            sum[1] += p.delivered();
            sum[2] += p.failed();
            sum[3] += p.gone();
            sum[4] += p.suppressed();
          }
        }
        long settled = System.nanoTime() - start;
        int min = Integer.MAX_VALUE;
        int max = 0;
        int lastIsNewest = 0;
        int sawNewest = 0;
        int undecryptable = 0;
        for (int i = 0; i < k; i++) {
          List<Received> got = phase.received(i);
          min = Math.min(min, got.size());
          max = Math.max(max, got.size());
          if (!got.isEmpty() && got.get(got.size() - 1).syncToken().equals(newest)) {
            lastIsNewest++;
          }
          for (Received m : got) {
            if (m.syncToken().equals(newest)) {
              sawNewest++;
              break;
            }
            if (m.syncToken().startsWith("undecryptable")) {
              undecryptable++;
            }
          }
        }
        r.line(
            "published",
            f(
                "%d changes in %.3f s; %d/%d publish stages complete after %.1f s",
                changes, seconds(published), done, changes, seconds(settled)));
        r.line(
            "davpush",
            f("messages per registration: min %d, max %d (%d changes)", min, max, changes));
        r.line(
            "",
            f(
                "last message carries the newest sync-token (%s): %d/%d registrations;"
                    + " newest token received at all: %d/%d; undecryptable: %d",
                newest, lastIsNewest, k, sawNewest, k, undecryptable));
        r.line(
            "",
            f(
                "summed PublishResults: matched %d, delivered %d, failed %d, gone %d,"
                    + " suppressed %d",
                sum[0], sum[1], sum[2], sum[3], sum[4]));
        r.put("k", k)
            .put("changes", changes)
            .put("messages_min", min)
            .put("messages_max", max)
            .put("last_is_newest", lastIsNewest)
            .put("stages_complete", done)
            .put("delivered", sum[1])
            .put("failed", sum[2]);
      }
    }
    r.end();
  }

  // ---------------------------------------------------------------------------------------------
  // 5. latency

  private void latency() throws Exception {
    Report r =
        new Report(
            "latency",
            f("one subscriber, %d sequential publishes after %d warm-up", publishes, warmup),
            json);
    try (LoopbackPushService push = new LoopbackPushService(serverThreads)) {
      UserAgentKeyPair[] keys = keys(1, null);
      Phase phase = push.newPhase("davpush-latency", 1, i -> Behaviour.CREATED, null);
      long deadline = System.nanoTime() + timeout.toNanos();
      long[] lat = new long[publishes];
      int measured = 0;
      // isolated changes: sequential publishes would otherwise be coalesced into one message a
      // second, which is the point of coalescing but not what this scenario measures
      try (EngineSetup setup =
          new EngineSetup(
              b -> b.coalescingWindow(Duration.ZERO).maximumCoalescingWindow(Duration.ZERO))) {
        register(setup, phase, keys, null);
        for (int j = 0; j < warmup + publishes && System.nanoTime() < deadline; j++) {
          long t0 = System.nanoTime();
          CompletableFuture<PublishResult> s = setup.publishMemberChange().toCompletableFuture();
          if (!phase.awaitCreated(1, deadline) || waitFor(s, deadline) == null) {
            break;
          }
          if (j >= warmup) {
            lat[measured++] = phase.lastCreatedNanos.get() - t0;
          }
        }
      }
      long[] d = Arrays.copyOf(lat, measured);
      r.line(
          "davpush",
          f(
              "%d measured: publish() -> 201 p50 %.2f ms, p99 %.2f ms, max %.2f ms",
              measured,
              millis(percentile(d, 50)),
              millis(percentile(d, 99)),
              millis(percentile(d, 100))));
      r.put("davpush_measured", measured)
          .put("davpush_p50_ms", round(millis(percentile(d, 50)), 2))
          .put("davpush_p99_ms", round(millis(percentile(d, 99)), 2));
      if (anchor) {
        Phase a = push.newPhase("webpush-java-latency", 1, i -> Behaviour.CREATED, null);
        WebPushJavaAnchor w = new WebPushJavaAnchor(VapidKeyPair.generate());
        List<WebPushJavaAnchor.Target> t = targets(a, keys);
        byte[] payload = payload();
        long[] al = new long[publishes];
        int am = 0;
        long ad = System.nanoTime() + timeout.toNanos();
        for (int j = 0; j < warmup + publishes && System.nanoTime() < ad; j++) {
          long t0 = System.nanoTime();
          if (w.sendOne(t.get(0), payload, anchorRequestTimeout) != 201 || !a.awaitCreated(1, ad)) {
            break;
          }
          if (j >= warmup) {
            al[am++] = a.lastCreatedNanos.get() - t0;
          }
        }
        long[] ax = Arrays.copyOf(al, am);
        r.line(
            "webpush-java 5.1.2",
            f(
                "%d measured: send() -> 201 p50 %.2f ms, p99 %.2f ms," + " max %.2f ms",
                am,
                millis(percentile(ax, 50)),
                millis(percentile(ax, 99)),
                millis(percentile(ax, 100))));
        r.put("webpush_java_p50_ms", round(millis(percentile(ax, 50)), 2))
            .put("webpush_java_p99_ms", round(millis(percentile(ax, 99)), 2));
      }
    }
    r.end();
  }

  // ---------------------------------------------------------------------------------------------
  // capacity of the loopback push service (is it the bottleneck?)

  private void capacity() throws Exception {
    Report r =
        new Report(
            "capacity",
            f(
                "the loopback push service alone: %d POSTs of 300 bytes,"
                    + " HttpClient 5 async, at most 16 connections (as WebPushTransport)",
                n),
            json);
    try (LoopbackPushService push = new LoopbackPushService(serverThreads);
        CloseableHttpAsyncClient client =
            HttpAsyncClients.custom()
                .setConnectionManager(
                    PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(16)
                        .setMaxConnTotal(256)
                        .build())
                .build()) {
      client.start();
      byte[] body = new byte[300];
      for (int round = 0; round < 2; round++) { // the first round warms up
        Phase phase = push.newPhase("capacity-" + round, n, i -> Behaviour.CREATED, null);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          client.execute(
              SimpleRequestBuilder.post(phase.url(i))
                  .setBody(body, ContentType.APPLICATION_OCTET_STREAM)
                  .build(),
              null);
        }
        boolean all = phase.awaitAllHealthy(start + timeout.toNanos());
        double secs = seconds(phase.lastCreatedNanos.get() - start);
        if (round == 1) {
          r.line(
              "push service",
              f(
                  "%d/%d answered 201%s in %.3f s = %.0f requests/s",
                  phase.healthyDelivered(),
                  n,
                  all ? "" : " (NOT all)",
                  secs,
                  phase.healthyDelivered() / secs));
          r.put("n", n).put("requests_per_s", round(phase.healthyDelivered() / secs, 0));
        }
      }
    }
    r.end();
  }

  // ---------------------------------------------------------------------------------------------
  // shared steps

  /**
   * One publish and its bounded wait: until every healthy push resource has a 201, then for the
   * stage.
   */
  private final class Run {
    final long start;
    final long cpuStart = processCpuNanos();
    final long jitStart = jitMillis();
    final CompletionStage<PublishResult> stage;
    long elapsed;
    long cpu;
    long jit;
    volatile long completedNanos;
    @Nullable PublishResult result;
    @Nullable Throwable failure;

    Run(EngineSetup setup) {
      start = System.nanoTime();
      stage = setup.publishMemberChange();
      stage.whenComplete((r, e) -> completedNanos = System.nanoTime());
    }

    double rate(Phase phase) {
      return phase.healthyDelivered() / seconds(elapsed);
    }

    /**
     * The process's CPU time (all threads: engine, HTTP client, the push service, JIT compiler, GC)
     * per delivered message, microseconds. Unlike the rate, it hardly depends on what else runs on
     * the machine.
     */
    String cpu(Phase phase) {
      int delivered = Math.max(1, phase.healthyDelivered());
      return f(
          "process CPU %.2f s = %.0f us per delivery (JIT compiler threads %.2f s of it)",
          seconds(cpu), cpu / 1_000.0 / delivered, jit / 1_000.0);
    }

    String describe() {
      if (result != null) {
        return f(
            "matched %d, suppressed %d, delivered %d, gone %d, failed %d",
            result.matched(),
            result.suppressed(),
            result.delivered(),
            result.gone(),
            result.failed());
      }
      return failure != null ? "failed: " + failure : "not complete";
    }
  }

  private Run publishOnce(EngineSetup setup, Phase phase) throws InterruptedException {
    return publishOnce(setup, phase, true);
  }

  /**
   * Publishes one change and waits until every healthy push resource has its 201, the stage
   * completes, or the timeout passes; then, if {@code awaitStage}, waits for the stage until the
   * timeout (it completes only once every delivery has an outcome: never, with hanging resources).
   */
  private Run publishOnce(EngineSetup setup, Phase phase, boolean awaitStage)
      throws InterruptedException {
    Run run = new Run(setup);
    long deadline = run.start + timeout.toNanos();
    CompletableFuture<PublishResult> s = run.stage.toCompletableFuture();
    // until every healthy push resource has its 201, the stage completes (no more deliveries
    // then), or the deadline passes
    while (!phase.awaitAllHealthy(Math.min(deadline, System.nanoTime() + 50_000_000L))
        && !s.isDone()
        && System.nanoTime() - deadline < 0) {
      // poll again
    }
    long last = phase.lastCreatedNanos.get();
    run.elapsed = (last == 0 ? System.nanoTime() : last) - run.start;
    run.cpu = processCpuNanos() - run.cpuStart;
    run.jit = jitMillis() - run.jitStart;
    if (!awaitStage && !s.isDone()) {
      return run;
    }
    try {
      run.result = s.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // reported as not complete
    } catch (ExecutionException e) {
      run.failure = e.getCause();
    }
    return run;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
        .getProcessCpuTime();
  }

  /**
   * CPU time of the JIT compiler threads so far, ms: on Linux the sum of user and system time of
   * the threads named {@code C1/C2 CompilerThread*} in {@code /proc/self/task} (clock ticks of 10
   * ms); elsewhere the JVM's accumulated compilation time, which is wall time and overstates on a
   * busy machine.
   */
  private static long jitMillis() {
    File tasks = new File("/proc/self/task");
    File[] dirs = tasks.listFiles();
    if (dirs != null) {
      long ticks = 0;
      for (File d : dirs) {
        try {
          String comm = Files.readString(new File(d, "comm").toPath()).strip();
          if (!comm.contains("CompilerThre")) {
            continue;
          }
          String stat = Files.readString(new File(d, "stat").toPath());
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
      return ticks * 10;
    }
    CompilationMXBean c = ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
  }

  /** A short fan-out of both libraries on throw-away push resources, so neither runs cold. */
  private void warmUp(LoopbackPushService push, String scenario) throws Exception {
    if (warmupFanout <= 0) {
      return;
    }
    UserAgentKeyPair[] keys = keys(warmupFanout, null);
    Phase phase =
        push.newPhase("warmup-davpush-" + scenario, warmupFanout, i -> Behaviour.CREATED, null);
    try (EngineSetup setup = new EngineSetup()) {
      register(setup, phase, keys, null);
      publishOnce(setup, phase);
    }
    if (anchor) {
      int m = Math.max(1, warmupFanout / 5);
      Phase a = push.newPhase("warmup-webpush-java-" + scenario, m, i -> Behaviour.CREATED, null);
      new WebPushJavaAnchor(VapidKeyPair.generate())
          .sendAll(
              targets(a, keys),
              payload(),
              anchorThreads,
              anchorRequestTimeout,
              System.nanoTime() + timeout.toNanos());
    }
  }

  private WebPushJavaAnchor.Outcome runAnchor(Phase a, UserAgentKeyPair[] keys) throws Exception {
    WebPushJavaAnchor w = new WebPushJavaAnchor(VapidKeyPair.generate());
    List<WebPushJavaAnchor.Target> t = targets(a, keys);
    byte[] payload = payload();
    long deadline = System.nanoTime() + timeout.toNanos();
    WebPushJavaAnchor.Outcome o =
        w.sendAll(t, payload, anchorThreads, anchorRequestTimeout, deadline);
    return o;
  }

  private String anchorSummary(WebPushJavaAnchor.Outcome o) {
    return f(
        "started %d sends, answers by status %s, timed out %d (after %d s each), errors %d;"
            + " %s",
        o.started(),
        o.statuses(),
        o.timedOut(),
        anchorRequestTimeout.toSeconds(),
        o.errors(),
        o.finished() ? "all sent" : "NOT finished within " + timeout.toSeconds() + " s");
  }

  private static List<WebPushJavaAnchor.Target> targets(Phase phase, UserAgentKeyPair[] keys) {
    List<WebPushJavaAnchor.Target> t = new ArrayList<>(phase.n);
    for (int i = 0; i < phase.n; i++) {
      t.add(
          new WebPushJavaAnchor.Target(
              phase.url(i), keys[i].publicKey().toBase64Url(), keys[i].authSecret().toBase64Url()));
    }
    return t;
  }

  /** What the engine sends for a content update: the same bytes go through webpush-java. */
  private static byte[] payload() {
    return PushMessageWriter.write(
        PushMessage.contentUpdate(CalendarResources.TOPIC, CalendarResources.syncTokenOf(1)));
  }

  private static UserAgentKeyPair[] keys(int count, @Nullable Report r) {
    long t0 = System.nanoTime();
    UserAgentKeyPair[] keys = new UserAgentKeyPair[count];
    for (int i = 0; i < count; i++) {
      keys[i] = UserAgentKeyPair.generate();
    }
    if (r != null) {
      r.line(
          "user agents",
          f(
              "%d fresh P-256 key pairs and auth secrets in %.1f s (not timed" + " below)",
              count, seconds(System.nanoTime() - t0)));
    }
    return keys;
  }

  private static void register(
      EngineSetup setup, Phase phase, UserAgentKeyPair[] keys, @Nullable Report r) {
    long t0 = System.nanoTime();
    for (int i = 0; i < phase.n; i++) {
      setup.register(i, phase.pushResource(i), keys[i].publicKey(), keys[i].authSecret());
    }
    long t = System.nanoTime() - t0;
    if (r != null) {
      r.line(
          "registrations",
          f(
              "%d through PushEngine.register in %.2f s (%.0f/s)",
              phase.n, seconds(t), phase.n / seconds(t)));
    }
  }

  private static String exactlyOnce(Phase phase) {
    int wrong = 0;
    for (int i = 0; i < phase.n; i++) {
      if (phase.requests.get(i) != 1 || phase.created.get(i) != 1) {
        wrong++;
      }
    }
    return wrong == 0 ? "each exactly 1 request" : wrong + " push resources NOT exactly 1 request";
  }

  private static long[] healthyLatencies(Phase phase, long start) {
    long[] l = new long[phase.n];
    int m = 0;
    for (int i = 0; i < phase.n; i++) {
      if (phase.behaviour[i] == Behaviour.CREATED && phase.created.get(i) > 0) {
        l[m++] = phase.firstArrival.get(i) - start;
      }
    }
    return Arrays.copyOf(l, m);
  }

  private static int neverReached(Phase phase) {
    int c = 0;
    for (int i = 0; i < phase.n; i++) {
      if (phase.behaviour[i] == Behaviour.CREATED && phase.requests.get(i) == 0) {
        c++;
      }
    }
    return c;
  }

  private static int reached(Phase phase, Behaviour b) {
    int c = 0;
    for (int i = 0; i < phase.n; i++) {
      if (phase.behaviour[i] == b && phase.requests.get(i) > 0) {
        c++;
      }
    }
    return c;
  }

  private static int count(Behaviour[] plan, Behaviour b) {
    int c = 0;
    for (Behaviour x : plan) {
      if (x == b) {
        c++;
      }
    }
    return c;
  }

  private static @Nullable PublishResult waitFor(CompletableFuture<PublishResult> s, long deadline)
      throws InterruptedException {
    try {
      return s.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    }
  }

  private static String state(CompletableFuture<PublishResult> s) {
    if (!s.isDone()) {
      return "still not complete";
    }
    try {
      return "complete: " + s.getNow(null);
    } catch (RuntimeException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return "failed: " + c.getClass().getSimpleName() + ": " + c.getMessage();
    }
  }
}
