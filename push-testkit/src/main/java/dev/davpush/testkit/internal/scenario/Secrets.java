package dev.davpush.testkit.internal.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The secrets of one run, and a scrubber that takes them out of evidence: push-resource URLs
 * (capability URLs, RFC 8030 §8.3), the identifying last segment of registration URLs, auth
 * secrets, public keys of subscriptions and passwords. Longest first, so that a secret containing
 * another is replaced whole.
 *
 * <p>Thread safety: confined to the runner's thread.
 */
public final class Secrets {
  private static final String REDACTED = "[redacted]";
  private final List<String> values = new ArrayList<>();

  /**
   * Adds a value that must never appear in evidence.
   *
   * @param secret the value; blank values are ignored
   */
  public void add(String secret) {
    if (!secret.isBlank() && !values.contains(secret)) {
      values.add(secret);
      values.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  /**
   * Adds a registration URL: wherever its last path segment (the part that identifies the
   * registration) appears, it is shown as {@code [redacted]}; the rest stays readable. Segments
   * shorter than 8 characters are too short to be a capability and are left alone.
   *
   * @param url the registration URL as the server sent it
   */
  public void addRegistrationUrl(String url) {
    String u = url.trim();
    int end = u.endsWith("/") ? u.length() - 1 : u.length();
    String segment = u.substring(u.lastIndexOf('/', end - 1) + 1, end);
    if (segment.length() >= 8) {
      add(segment);
    }
  }

  /**
   * Removes every secret from a text.
   *
   * @param text evidence
   * @return the text with each secret replaced by {@code [redacted]}
   */
  public String scrub(String text) {
    String out = text;
    for (String v : values) {
      out = out.replace(v, REDACTED);
    }
    return out;
  }

  /**
   * A URL with its last path segment hidden.
   *
   * @param url the URL
   * @return for example {@code http://h/push/registrations/[redacted]}
   */
  public static String redactLastSegment(String url) {
    String u = url.trim();
    int end = u.endsWith("/") ? u.length() - 1 : u.length();
    int slash = u.lastIndexOf('/', end - 1);
    return slash < 0 ? REDACTED : u.substring(0, slash + 1) + REDACTED;
  }
}
