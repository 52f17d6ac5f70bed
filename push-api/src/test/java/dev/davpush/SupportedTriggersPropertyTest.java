package dev.davpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SupportedTriggersPropertyTest {
  @Provide
  Arbitrary<Trigger> triggers() {
    Arbitrary<Depth> depths = Arbitraries.of(Depth.class);
    return Arbitraries.oneOf(
        depths.map(Trigger.ContentUpdate::new), depths.map(Trigger.PropertyUpdate::new));
  }

  @Provide
  Arbitrary<SupportedTriggers> supported() {
    Arbitrary<Depth> depths = Arbitraries.of(Depth.class).injectNull(0.3);
    return net.jqwik.api.Combinators.combine(depths, depths)
        .filter((c, p) -> c != null || p != null)
        .as(SupportedTriggers::of);
  }

  @Property
  void negotiationNeverWidensADepthNorExceedsTheMaximumNorInventsAKind(
      @ForAll("supported") SupportedTriggers st,
      @ForAll @Size(max = 4) List<@From("triggers") Trigger> requested) {
    List<Trigger> effective = st.negotiate(requested);
    assertThat(effective.size()).isLessThanOrEqualTo(2);
    for (Trigger e : effective) {
      Depth max =
          e instanceof Trigger.ContentUpdate
              ? st.contentUpdate().orElseThrow()
              : st.propertyUpdate().orElseThrow();
      assertThat(e.depth()).isLessThanOrEqualTo(max);
      Trigger asked =
          requested.stream().filter(r -> r.getClass() == e.getClass()).findFirst().orElseThrow();
      assertThat(e.depth()).isLessThanOrEqualTo(asked.depth());
      assertThat(e.depth()).isEqualTo(asked.depth().min(max));
    }
    boolean anySupported =
        requested.stream()
            .anyMatch(
                r ->
                    r instanceof Trigger.ContentUpdate
                        ? st.contentUpdate().isPresent()
                        : st.propertyUpdate().isPresent());
    assertThat(effective.isEmpty()).isEqualTo(!anySupported);
  }

  @Property
  void base64UrlRoundTripsAnyBytes(@ForAll byte[] bytes) {
    String text = Base64Url.encode(bytes);
    assertThat(text).doesNotContain("=", "+", "/");
    assertThat(Base64Url.decode(text)).isEqualTo(bytes);
  }
}
