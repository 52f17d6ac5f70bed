package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP dates (RFC 9110 §5.6.7) as WebDAV-Push uses them for the {@code Expires} header and the
 * {@code expires} element (R-WDP-26, digest ambiguity A-20).
 *
 * <p>Written strictly as IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}) in GMT with English
 * day and month names, whatever the JVM's default locale and time zone. Read leniently: the
 * IMF-fixdate, the two obsolete forms RFC 9110 makes recipients accept (RFC 850 {@code Sunday,
 * 06-Nov-94 08:49:37 GMT} and asctime {@code Sun Nov 6 08:49:37 1994}), names in any letter case, a
 * one-digit day, and the zone written {@code GMT}, {@code UT}, {@code UTC}, {@code Z} or as a
 * numeric offset {@code +0000} (the Nextcloud 2024 app parsed {@code expires} with PHP's {@code D,
 * d M Y H:i:s O}, so clients written against it send numeric offsets). The day name is not checked
 * against the date.
 *
 * <p>Thread safety: stateless.
 */
public final class HttpDates {
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final String ZONE = "(GMT|UTC|UT|Z|[+-]\\d{4})";
  private static final Pattern IMF =
      Pattern.compile(
          "(?i)(?:[a-z]{3},\\s*)?(\\d{1,2})\\s+([a-z]{3})\\s+(\\d{4})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s*"
              + ZONE);
  private static final Pattern RFC850 =
      Pattern.compile(
          "(?i)[a-z]{6,9},\\s*(\\d{1,2})-([a-z]{3})-(\\d{2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s*"
              + ZONE);
  private static final Pattern ASCTIME =
      Pattern.compile(
          "(?i)[a-z]{3}\\s+([a-z]{3})\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+(\\d{4})");

  private HttpDates() {}

  /**
   * Formats an instant as IMF-fixdate, truncated to whole seconds.
   *
   * @param instant between year 0001 and 9999 (the format has four year digits)
   * @return for example {@code Wed, 20 Dec 2023 10:03:31 GMT}; 29 ASCII characters
   * @throws IllegalArgumentException if the year is outside 1..9999
   */
  public static String format(Instant instant) {
    requireNonNull(instant, "instant");
    LocalDateTime t;
    try {
      t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("instant: outside the range of an HTTP date", e);
    }
    if (t.getYear() < 1 || t.getYear() > 9999) {
      throw new IllegalArgumentException(
          "instant: year " + t.getYear() + " cannot be written as IMF-fixdate (1..9999)");
    }
    StringBuilder sb = new StringBuilder(29);
    sb.append(DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
    two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
    int y = t.getYear();
    sb.append((char) ('0' + y / 1000))
        .append((char) ('0' + y / 100 % 10))
        .append((char) ('0' + y / 10 % 10))
        .append((char) ('0' + y % 10))
        .append(' ');
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond()).append(" GMT");
    return sb.toString();
  }

  /**
   * Parses an HTTP date in any of the three RFC 9110 forms (leniencies in the class comment).
   *
   * @param text the header or element value; surrounding white space ignored; may be anything
   * @return the instant, or empty if the text is no valid date (never throws for bad text)
   */
  public static Optional<Instant> parse(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    if (s.length() > 64) {
      return Optional.empty();
    }
    Optional<Instant> fast = strictImfFixdate(s);
    if (fast.isPresent()) {
      return fast;
    }
    try {
      Matcher m = IMF.matcher(s);
      if (m.matches()) {
        return build(
            m.group(3),
            m.group(2),
            m.group(1),
            m.group(4),
            m.group(5),
            m.group(6),
            m.group(7),
            false);
      }
      m = RFC850.matcher(s);
      if (m.matches()) {
        return build(
            m.group(3),
            m.group(2),
            m.group(1),
            m.group(4),
            m.group(5),
            m.group(6),
            m.group(7),
            true);
      }
      m = ASCTIME.matcher(s);
      if (m.matches()) {
        return build(
            m.group(6), m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), "GMT", false);
      }
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Parses an RFC 3339 timestamp ({@code 2017-10-07T12:00:00Z}), the form draft-gajda-dav-push uses
   * for {@code expires}.
   *
   * @param text the text; surrounding white space ignored
   * @return the instant, or empty if not RFC 3339
   */
  public static Optional<Instant> parseRfc3339(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    if (s.length() > 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The exact IMF-fixdate shape, parsed without regular expressions (the common case). */
  private static Optional<Instant> strictImfFixdate(String s) {
    if (s.length() != 29
        || s.charAt(3) != ','
        || s.charAt(4) != ' '
        || s.charAt(7) != ' '
        || s.charAt(11) != ' '
        || s.charAt(16) != ' '
        || s.charAt(19) != ':'
        || s.charAt(22) != ':'
        || !s.endsWith(" GMT")) {
      return Optional.empty();
    }
    int day = digits(s, 5, 2);
    int year = digits(s, 12, 4);
    int hour = digits(s, 17, 2);
    int minute = digits(s, 20, 2);
    int second = digits(s, 23, 2);
    int month = -1;
    for (int i = 0; i < 12; i++) {
      if (s.regionMatches(8, MONTHS[i], 0, 3)) {
        month = i + 1;
      }
    }
    if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || month < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59))
              .toInstant(ZoneOffset.UTC));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static Optional<Instant> build(
      String year,
      String month,
      String day,
      String hour,
      String minute,
      String second,
      String zone,
      boolean twoDigitYear) {
    int y = Integer.parseInt(year);
    if (twoDigitYear) {
      // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century
      int now = LocalDateTime.now(ZoneOffset.UTC).getYear();
      y += now / 100 * 100;
      if (y > now + 50) {
        y -= 100;
      }
    }
    int mon = -1;
    for (int i = 0; i < 12; i++) {
      if (MONTHS[i].equalsIgnoreCase(month)) {
        mon = i + 1;
      }
    }
    if (mon < 0) {
      return Optional.empty();
    }
    int h = Integer.parseInt(hour);
    int min = Integer.parseInt(minute);
    int sec = Integer.parseInt(second);
    if (sec == 60) {
      sec = 59; // a leap second is the last second of that minute
    }
    ZoneOffset offset = ZoneOffset.UTC;
    char z = zone.charAt(0);
    if (z == '+' || z == '-') {
      int hh = Integer.parseInt(zone.substring(1, 3));
      int mm = Integer.parseInt(zone.substring(3, 5));
      if (hh > 18 || mm > 59) {
        return Optional.empty();
      }
      int total = (hh * 3600 + mm * 60) * (z == '-' ? -1 : 1);
      offset = ZoneOffset.ofTotalSeconds(total);
    }
    LocalDateTime t = LocalDateTime.of(y, mon, Integer.parseInt(day), h, min, sec);
    return Optional.of(t.toInstant(offset));
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
