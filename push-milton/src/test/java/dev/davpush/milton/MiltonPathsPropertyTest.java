package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The path rules the adapter hands the engine: canonical forms and the parent chain. */
class MiltonPathsPropertyTest {
  @Provide
  Arbitrary<List<String>> segments() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('-', '.', ' ', 'é')
        .ofMinLength(1)
        .ofMaxLength(8)
        .filter(s -> !s.isBlank())
        .list()
        .ofMaxSize(6);
  }

  private static String join(List<String> segments) {
    return "/" + String.join("/", segments);
  }

  @Property
  void canonicalIsIdempotentAndMarksCollections(
      @ForAll("segments") List<String> segments, @ForAll boolean collection) {
    String c = MiltonDavResources.canonical(join(segments), collection);

    assertThat(MiltonDavResources.canonical(c, collection)).isEqualTo(c);
    if (collection) {
      assertThat(c).endsWith("/");
    } else if (!segments.isEmpty()) {
      assertThat(c).doesNotEndWith("/");
    }
  }

  @Property
  void theParentOfAChildIsItsCollection(
      @ForAll("segments") List<String> segments, @ForAll boolean collection) {
    String parent = MiltonDavResources.canonical(join(segments), true);
    String child = MiltonDavResources.canonical(parent + "child", collection);

    assertThat(MiltonDavResources.parentOf(child)).contains(parent);
  }

  @Property
  void theParentChainEndsAtTheRootAfterOneStepPerSegment(
      @ForAll("segments") List<String> segments) {
    Optional<String> p = Optional.of(MiltonDavResources.canonical(join(segments), true));
    int steps = 0;
    while (p.isPresent() && !p.get().equals("/")) {
      p = MiltonDavResources.parentOf(p.get());
      steps++;
    }
    assertThat(p).contains("/");
    assertThat(steps).isEqualTo(segments.size());
    assertThat(MiltonDavResources.parentOf("/")).isEmpty();
  }
}
