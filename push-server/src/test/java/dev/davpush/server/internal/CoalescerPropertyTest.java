package dev.davpush.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Topic;
import dev.davpush.server.internal.Coalescer.Holdback;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The coalescing stage's decisions (R-WDP-43) as pure functions of time and load. */
class CoalescerPropertyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Topic TOPIC = Topic.of("work");
  static final String PUSH = "https://push.example/a";

  record Windows(Duration base, Duration maximum) {}

  /** base and maximum with base ≤ maximum, down to the nanosecond, up to a year. */
  @Provide
  Arbitrary<Windows> windows() {
    Arbitrary<Long> nanos = Arbitraries.longs().between(0, Duration.ofDays(365).toNanos());
    Arbitrary<Long> small = Arbitraries.longs().between(0, Duration.ofMinutes(2).toNanos());
    return Combinators.combine(
            Arbitraries.oneOf(small, nanos), Arbitraries.oneOf(small, nanos, Arbitraries.just(0L)))
        .as((b, extra) -> new Windows(Duration.ofNanos(b), Duration.ofNanos(b).plusNanos(extra)));
  }

  /** Windows the engine would use: at least a millisecond, so a window has an inside. */
  @Provide
  Arbitrary<Windows> openWindows() {
    return windows().filter(w -> w.base().toMillis() >= 1);
  }

  @Provide
  Arbitrary<Integer> backlogs() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.integers().between(-1, Coalescer.FULL_LOAD_BACKLOG + 1),
        Arbitraries.of(
            0,
            1,
            Coalescer.FULL_LOAD_BACKLOG - 1,
            Coalescer.FULL_LOAD_BACKLOG,
            Integer.MAX_VALUE,
            Integer.MIN_VALUE));
  }

  @Property
  void windowStaysBetweenBaseAndMaximum(
      @ForAll("windows") Windows w, @ForAll("backlogs") int backlog) {
    Duration d = Coalescer.window(w.base(), w.maximum(), backlog);
    assertThat(d).isBetween(w.base(), w.maximum());
  }

  @Property
  void windowNeverShrinksAsTheBacklogGrows(
      @ForAll("windows") Windows w, @ForAll("backlogs") int a, @ForAll("backlogs") int b) {
    int low = Math.min(a, b);
    int high = Math.max(a, b);
    assertThat(Coalescer.window(w.base(), w.maximum(), low))
        .isLessThanOrEqualTo(Coalescer.window(w.base(), w.maximum(), high));
  }

  @Example
  void windowIsTheBaseWhenIdleAndTheMaximumAtFullLoad() {
    Duration base = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(30);
    assertThat(Coalescer.window(base, max, 0)).isEqualTo(base);
    assertThat(Coalescer.window(base, max, Coalescer.FULL_LOAD_BACKLOG / 2))
        .isEqualTo(Duration.ofMillis(15_500));
    assertThat(Coalescer.window(base, max, Coalescer.FULL_LOAD_BACKLOG)).isEqualTo(max);
  }

  record Step(long afterNanos, Holdback importance, int backlog, int key) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.longs().between(0, 10),
                    Arbitraries.longs().between(0, Duration.ofMinutes(2).toNanos())),
                Arbitraries.of(Holdback.class),
                backlogs(),
                Arbitraries.integers().between(0, 2))
            .as(Step::new);
    return step.list().ofMaxSize(60);
  }

  @Property
  void notBeforeIsNeverBeforeNowAndHighIsAlwaysNow(
      @ForAll("windows") Windows w, @ForAll("histories") List<Step> steps) {
    Coalescer c = new Coalescer(w.base(), w.maximum());
    Instant now = T0;
    for (Step s : steps) {
      now = now.plusNanos(s.afterNanos());
      Instant at = c.notBefore(PUSH + s.key(), TOPIC, s.importance(), now, s.backlog());
      assertThat(at).isAfterOrEqualTo(now);
      assertThat(at).isBeforeOrEqualTo(now.plus(w.maximum()));
      if (s.importance() == Holdback.NONE) {
        assertThat(at).isEqualTo(now);
      }
    }
  }

  @Property
  void notBeforeIsNeverBeforeNowEvenWhenTheClockGoesBack(
      @ForAll("windows") Windows w,
      @ForAll @Size(max = 40) List<@IntRange(min = -5_000, max = 5_000) Integer> millis,
      @ForAll("backlogs") int backlog) {
    Coalescer c = new Coalescer(w.base(), w.maximum());
    for (int m : millis) {
      Instant now = T0.plusMillis(m);
      assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, now, backlog)).isAfterOrEqualTo(now);
    }
  }

  @Provide
  Arbitrary<List<Step>> bursts() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE), // scaled into the window below
                Arbitraries.of(Holdback.FULL, Holdback.EDGE),
                backlogs(),
                Arbitraries.just(0))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(200);
  }

  @Property
  void aBurstWithinOneWindowGetsAtMostALeadingAndATrailingEdge(
      @ForAll("openWindows") Windows w, @ForAll("bursts") List<Step> steps) {
    Coalescer c = new Coalescer(w.base(), w.maximum());
    long windowNanos = w.base().toNanos();
    // change instants inside [T0, T0 + base), in order
    List<Long> offsets = new ArrayList<>();
    for (Step s : steps) {
      offsets.add(Math.floorMod(s.afterNanos(), windowNanos));
    }
    offsets.sort(null);
    Set<Instant> distinct = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      distinct.add(
          c.notBefore(PUSH, TOPIC, s.importance(), T0.plusNanos(offsets.get(i)), s.backlog()));
    }
    assertThat(distinct).hasSizeLessThanOrEqualTo(2);
  }

  @Property
  void keysDoNotHoldEachOtherBack(
      @ForAll("openWindows") Windows w, @ForAll @IntRange(min = 2, max = 50) int keys) {
    Coalescer c = new Coalescer(w.base(), w.maximum());
    for (int k = 0; k < keys; k++) {
      assertThat(c.notBefore(PUSH + k, TOPIC, Holdback.EDGE, T0, 0)).isEqualTo(T0);
      assertThat(c.notBefore(PUSH, Topic.of("t" + k), Holdback.EDGE, T0, 0)).isEqualTo(T0);
    }
  }

  @Example
  void theFirstChangeGoesAtOnceAndTheRestOfTheWindowAtItsEnd() {
    Coalescer c = new Coalescer(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, T0, 0)).isEqualTo(T0);
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, T0.plusMillis(10), 0))
        .isEqualTo(T0.plusSeconds(1));
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, T0.plusMillis(900), 0))
        .isEqualTo(T0.plusSeconds(1));
    // after a quiet window: a leading edge again
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, T0.plusSeconds(3), 0))
        .isEqualTo(T0.plusSeconds(3));
  }

  @Example
  void aLowChangeWaitsForTheWholeWindowEvenAfterAQuietPeriod() {
    Coalescer c = new Coalescer(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.FULL, T0, 0)).isEqualTo(T0.plusSeconds(1));
  }

  @Example
  void aHighChangeDoesNotStartAWindow() {
    Coalescer c = new Coalescer(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.NONE, T0, 0)).isEqualTo(T0);
    assertThat(c.notBefore(PUSH, TOPIC, Holdback.EDGE, T0.plusMillis(1), 0))
        .isEqualTo(T0.plusMillis(1));
  }

  @Example
  void zeroWindowsNeverHoldAnythingBack() {
    Coalescer c = new Coalescer(Duration.ZERO, Duration.ZERO);
    for (Holdback i : Holdback.values()) {
      assertThat(c.notBefore(PUSH, TOPIC, i, T0, 10)).isEqualTo(T0);
      assertThat(c.notBefore(PUSH, TOPIC, i, T0, 10)).isEqualTo(T0);
    }
  }

  @Example
  void forgetBeforeDropsOnlyKeysScheduledBeforeTheCutoff() {
    Coalescer c = new Coalescer(Duration.ofSeconds(1), Duration.ofSeconds(30));
    c.notBefore(PUSH + 1, TOPIC, Holdback.EDGE, T0, 0);
    c.notBefore(PUSH + 2, TOPIC, Holdback.EDGE, T0.plusSeconds(10), 0);
    assertThat(c.forgetBefore(T0.plusSeconds(5))).isEqualTo(1);
    assertThat(c.size()).isEqualTo(1);
  }
}
