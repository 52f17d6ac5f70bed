package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/** The advisor never recommends an interval outside its bounds, whatever the configuration. */
class PollingAdvisorPropertyTest {

  @Property
  void neverOutsideItsBounds(
      @ForAll PushState state,
      @ForAll("durations") Duration poll,
      @ForAll("durations") Duration unconfirmed,
      @ForAll("durations") Duration active,
      @ForAll @LongRange(min = 60, max = 7 * 24 * 3600) long minSeconds,
      @ForAll @LongRange(min = 60, max = 7 * 24 * 3600) long maxSeconds,
      @ForAll @DoubleRange(min = 0, max = 0.5) double jitter,
      @ForAll("refresh") Duration serverRefresh,
      @ForAll long seed) {
    Duration min = Duration.ofSeconds(Math.min(minSeconds, maxSeconds));
    Duration max = Duration.ofSeconds(Math.max(minSeconds, maxSeconds));
    PollingAdvisor advisor =
        PollingAdvisor.builder()
            .pollInterval(poll)
            .unconfirmedInterval(unconfirmed)
            .activeInterval(active)
            .minimum(min)
            .maximum(max)
            .jitter(jitter)
            .random(new Random(seed))
            .build();
    Instant last = Instant.parse("2026-12-01T12:00:00Z");
    PollingAdvisor.Recommendation r =
        advisor.recommend(state, last, serverRefresh.isZero() ? null : serverRefresh);
    assertThat(r.interval()).isBetween(min, max);
    assertThat(r.nextPoll()).isEqualTo(last.plus(r.interval()));
    assertThat(r.state()).isEqualTo(state);
  }

  @Property
  void defaultsStayWithinTheDocumentedDefaultBounds(
      @ForAll PushState state, @ForAll("refresh") Duration serverRefresh) {
    PollingAdvisor.Recommendation r =
        PollingAdvisor.defaults()
            .recommend(state, Instant.EPOCH, serverRefresh.isZero() ? null : serverRefresh);
    assertThat(r.interval())
        .isBetween(PollingAdvisor.DEFAULT_MINIMUM, PollingAdvisor.DEFAULT_MAXIMUM);
  }

  @Provide
  Arbitrary<Duration> durations() {
    return Arbitraries.longs().between(1, 400L * 24 * 3600 * 1000).map(Duration::ofMillis);
  }

  @Provide
  Arbitrary<Duration> refresh() {
    return Arbitraries.oneOf(
        Arbitraries.just(Duration.ZERO),
        Arbitraries.longs().between(-1000, 400L * 24 * 3600).map(Duration::ofSeconds));
  }
}
