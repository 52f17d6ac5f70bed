package dev.davpush.webpush.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Validation of the VAPID {@code sub} claim (RFC 8292 §2.1): a {@code mailto:} or {@code https:}
 * contact URI.
 *
 * <p>Thread safety: stateless.
 */
public final class VapidSubject {
  private VapidSubject() {}

  /**
   * Checks a subject.
   *
   * @param subject the contact URI
   * @throws IllegalArgumentException if it is not a {@code mailto:} or {@code https:} URI
   */
  public static void check(String subject) {
    String lower = subject.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("mailto:") && !lower.startsWith("https:")) {
      throw new IllegalArgumentException(
          "subject: expected a mailto: or https: contact URI (RFC 8292 §2.1)");
    }
    URI uri;
    try {
      uri = new URI(subject);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("subject: not a valid URI (" + e.getReason() + ")");
    }
    String ssp = uri.getSchemeSpecificPart();
    if (ssp == null || ssp.isEmpty() || (lower.startsWith("mailto:") && ssp.indexOf('@') < 0)) {
      throw new IllegalArgumentException("subject: a mailto: contact needs an address");
    }
    if (lower.startsWith("https:") && (uri.getHost() == null || uri.getHost().isEmpty())) {
      throw new IllegalArgumentException("subject: an https: contact URI needs a host");
    }
  }
}
