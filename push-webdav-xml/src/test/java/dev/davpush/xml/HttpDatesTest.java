package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {
  static final Instant EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  @Test
  void formatsImfFixdate() {
    assertThat(HttpDates.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.format(Instant.parse("2023-12-20T10:03:31.999Z")))
        .isEqualTo("Wed, 20 Dec 2023 10:03:31 GMT");
  }

  @Test
  void formatsInEnglishAndGmtWhateverTheDefaultLocaleAndZone() {
    Locale locale = Locale.getDefault();
    TimeZone zone = TimeZone.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      assertThat(HttpDates.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      assertThat(HttpDates.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    } finally {
      Locale.setDefault(locale);
      TimeZone.setDefault(zone);
    }
  }

  @Test
  void refusesYearsOutsideFourDigits() {
    assertThatThrownBy(() -> HttpDates.format(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpDates.format(Instant.MIN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "  sun, 06 nov 1994 08:49:37 gmt ",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 09:49:37 +0100",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "06 Nov 1994 08:49:37 GMT"
      })
  void parsesAllThreeFormsAndCommonVariants(String text) {
    assertThat(HttpDates.parse(text)).contains(EXAMPLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "tomorrow",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 CEST",
        "1994-11-06T08:49:37Z",
        "Sun, 06 Nov 1994 08:49:37 +9999"
      })
  void returnsEmptyForAnythingElse(String text) {
    assertThat(HttpDates.parse(text)).isEmpty();
  }

  @Test
  void parsesRfc3339Separately() {
    assertThat(HttpDates.parseRfc3339("1994-11-06T09:49:37+01:00")).contains(EXAMPLE);
    assertThat(HttpDates.parseRfc3339("Sun, 06 Nov 1994 08:49:37 GMT")).isEmpty();
  }
}
