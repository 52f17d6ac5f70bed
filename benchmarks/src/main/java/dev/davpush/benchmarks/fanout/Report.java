package dev.davpush.benchmarks.fanout;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Small helpers for the result blocks: percentiles, formatting, and one JSON line per scenario.
 *
 * <p>Thread safety: a {@code Report} is confined to one thread.
 */
final class Report {
  private final boolean json;
  private final Map<String, Object> fields = new LinkedHashMap<>();

  Report(String scenario, String title, boolean json) {
    this.json = json;
    fields.put("scenario", scenario);
    System.out.println();
    System.out.println("=== " + scenario + ": " + title + " ===");
  }

  /** Prints one labelled line of the block. */
  void line(String label, String text) {
    System.out.printf(Locale.ROOT, "%-22s %s%n", label, text);
  }

  /** Adds a field to the JSON line. */
  Report put(String key, @Nullable Object value) {
    fields.put(key, value);
    return this;
  }

  /** Ends the block (and prints the JSON line if asked for). */
  void end() {
    if (json) {
      System.out.println("JSON " + toJson(fields));
    }
    System.out.flush();
  }

  /** Nearest-rank percentile of unsorted values (sorted in place); 0 if there are none. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    Arrays.sort(values);
    int rank = (int) Math.ceil(p / 100.0 * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Rounds for the JSON line. */
  static double round(double v, int digits) {
    double m = Math.pow(10, digits);
    return Math.round(v * m) / m;
  }

  private static String toJson(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(quote(String.valueOf(e.getKey()))).append(':').append(toJson(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(v.toString());
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
