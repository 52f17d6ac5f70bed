package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushDontNotifyTest {
  static final URI A = URI.create("https://example.com/webdav/subscriptions/io6Efei4ooph");
  static final URI B = URI.create("https://example.com/webdav/subscriptions/b");

  @Test
  void parsesTheDraftExamples() {
    assertThat(PushDontNotify.parse(List.of("\"" + A + "\"")).urls()).containsExactly(A);
    PushDontNotify all = PushDontNotify.parse(List.of("*"));
    assertThat(all.all()).isTrue();
    assertThat(all.urls()).isEmpty();
  }

  @Test
  void parsesSeveralFieldLinesAndCommaListsWithOptionalWhiteSpace() {
    PushDontNotify p = PushDontNotify.parse(List.of(" \"" + A + "\" ,\t", ",\"" + B + "\""));

    assertThat(p.urls()).containsExactlyInAnyOrder(A, B);
    assertThat(p.all()).isFalse();
  }

  @Test
  void unescapesQuotedPairsAndKeepsCommasInsideQuotes() {
    PushDontNotify p =
        PushDontNotify.parse(List.of("\"https://example.com/r/a\\\\b,c?x=\\\"1\\\"\""));

    // backslash and quote are not legal in a URI, so this member is ignored after unescaping
    assertThat(p.isEmpty()).isTrue();
    assertThat(PushDontNotify.parse(List.of("\"https://example.com/r/\\a,b\"")).urls())
        .containsExactly(URI.create("https://example.com/r/a,b"));
  }

  @Test
  void ignoresInvalidMembers() {
    PushDontNotify p =
        PushDontNotify.parse(
            Arrays.asList(
                "garbage",
                A.toString(),
                "\"relative/path\"",
                "\"*\"",
                "\"mailto:x@example.com\"",
                "\"unterminated",
                null,
                "\"" + B + "\""));

    assertThat(p.urls()).containsExactly(B);
  }

  @Test
  void ignoresAStarMixedWithUrls() {
    PushDontNotify p = PushDontNotify.parse(List.of("*, \"" + A + "\""));

    assertThat(p.all()).isFalse();
    assertThat(p.urls()).containsExactly(A);
  }

  @Test
  void isEmptyForNoHeader() {
    assertThat(PushDontNotify.parse(List.of()).isEmpty()).isTrue();
    assertThat(PushDontNotify.parse(List.of("", " , ")).isEmpty()).isTrue();
  }

  @Test
  void formatsQuotedStringsWithEscapes() {
    assertThat(PushDontNotify.format(List.of(A, B))).isEqualTo("\"" + A + "\", \"" + B + "\"");
    assertThat(PushDontNotify.formatAll()).isEqualTo("*");
    assertThat(PushDontNotify.of(List.of(A, B)).format()).isEqualTo("\"" + B + "\", \"" + A + "\"");
  }

  @Test
  void refusesToFormatNothingOrRelativeUrls() {
    assertThatThrownBy(() -> PushDontNotify.format(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PushDontNotify.format(List.of(URI.create("/relative"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PushDontNotify.parse(List.of()).format())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void formattingAnEmptyValueThrowsAndTellsToOmitTheHeader() {
    PushDontNotify empty = PushDontNotify.parse(List.of("unquoted", "\"relative/url\""));

    assertThat(empty.isEmpty()).isTrue();
    assertThatThrownBy(empty::format)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("isEmpty()")
        .hasMessageContaining("omit the header");
  }

  @Test
  void formatsEveryNonEmptyValueWithoutThrowing() {
    for (PushDontNotify v :
        List.of(
            PushDontNotify.parse(List.of("*")),
            PushDontNotify.parse(List.of("\"" + A + "\"")),
            PushDontNotify.of(List.of(A, B)))) {
      assertThat(v.isEmpty()).isFalse();
      assertThat(PushDontNotify.parse(List.of(v.format()))).isEqualTo(v);
    }
  }

  @Test
  void neverShowsUrlsInToString() {
    assertThat(PushDontNotify.parse(List.of("\"" + A + "\"")).toString())
        .doesNotContain("io6Efei4ooph");
  }
}
