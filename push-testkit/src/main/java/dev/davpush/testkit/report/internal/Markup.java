package dev.davpush.testkit.report.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Escaping and small formatting shared by the renderers. Everything the server under test can
 * influence (evidence above all) goes through here before it reaches a document.
 *
 * <p>Thread safety: stateless.
 */
public final class Markup {
  private Markup() {}

  /**
   * Text for an XML 1.0 attribute value in double quotes: markup characters escaped, tab, line feed
   * and carriage return as character references, and characters XML 1.0 does not allow (other
   * controls, unpaired surrogates, U+FFFE, U+FFFF) replaced with U+FFFD.
   *
   * @param s any text
   * @return the escaped text
   */
  public static String xmlAttribute(String s) {
    return xml(s, true);
  }

  /**
   * Text for XML 1.0 character data: markup characters escaped, characters XML 1.0 does not allow
   * replaced with U+FFFD; tab, line feed and carriage return kept.
   *
   * @param s any text
   * @return the escaped text
   */
  public static String xmlText(String s) {
    return xml(s, false);
  }

  /**
   * Text for HTML content or a double-quoted attribute: {@code & < > " '} escaped, control
   * characters other than tab and line feed replaced with U+FFFD.
   *
   * @param s any text
   * @return the escaped text
   */
  public static String html(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                  if (cp == '\t' || cp == '\n' || allowedInXml(cp) && !(cp >= 0x7f && cp < 0xa0)) {
                    sb.appendCodePoint(cp);
                  } else {
                    sb.append('\uFFFD');
                  }
                }
              }
            });
    return sb.toString();
  }

  /**
   * One line of at most {@code max} characters: runs of line breaks and tabs become one space, a
   * longer text is cut and ends with an ellipsis.
   *
   * @param s any text
   * @param max the largest length, at least 2
   * @return the line
   */
  public static String oneLine(String s, int max) {
    String t = s.replaceAll("[\\r\\n\\t]+", " ");
    return t.length() > max ? t.substring(0, max - 1) + "…" : t;
  }

  /**
   * A target URL fit for a report: without user information (credentials), with any query replaced
   * by {@code [redacted]}, without fragment.
   *
   * @param target the target as given
   * @return the text
   */
  public static String target(URI target) {
    try {
      URI clean =
          new URI(
              target.getScheme(),
              null,
              target.getHost(),
              target.getPort(),
              target.getPath(),
              null,
              null);
      return clean + (target.getRawQuery() == null ? "" : "?[redacted]");
    } catch (URISyntaxException e) {
      return target.getScheme() + "://" + target.getHost() + "/[unprintable path]";
    }
  }

  /**
   * Seconds with three decimals, the unit of JUnit XML's {@code time}.
   *
   * @param d a duration
   * @return for example {@code 1.250}
   */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }

  private static String xml(String s, boolean attribute) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                default -> {
                  if (allowedInXml(cp)) {
                    sb.appendCodePoint(cp);
                  } else {
                    sb.append('\uFFFD');
                  }
                }
              }
            });
    return sb.toString();
  }

  private static boolean allowedInXml(int cp) {
    return cp >= 0x20 && cp <= 0xD7FF
        || cp >= 0xE000 && cp <= 0xFFFD
        || cp >= 0x10000 && cp <= 0x10FFFF;
  }
}
