package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Push-Dont-Notify} request header (draft-bitfire-webdav-push §4.2, R-WDP-38..42):
 * either {@code *} or a list of quoted absolute registration URLs whose registrations must not be
 * notified of the change the request causes.
 *
 * <pre>{@code
 * Push-Dont-Notify        = 1#(quoted-registration-url) / "*"
 * quoted-registration-url = quoted-string
 * }</pre>
 *
 * <p>Parsing (server side) never fails: it accepts several field lines and comma-separated lists
 * (RFC 9110 §5.2, §5.6.1) with optional white space, unescapes {@code quoted-string}s (RFC 9110
 * §5.6.4), and ignores every invalid member (R-WDP-42): unquoted values, unterminated strings, URLs
 * that are not absolute {@code http}/{@code https} URIs, and a {@code *} that is mixed with other
 * members (the grammar allows {@code *} only alone). {@code "*"} in quotes is a (invalid) URL, not
 * the wildcard.
 *
 * <p>Formatting (client side) is strict: {@code *} alone, or URLs as quoted strings with {@code "}
 * and {@code \} escaped, joined by {@code ", "}; never both; CR, LF and other control characters
 * cannot be produced. The grammar has no empty form, so an {@link #isEmpty() empty} value (a parse
 * result with nothing valid in it) has no header value: {@link #format()} throws {@link
 * IllegalStateException} for it, and a client omits the header instead. Every other value formats
 * without throwing.
 *
 * <p>Thread safety: immutable.
 */
public final class PushDontNotify {
  /** The header name. */
  public static final String HEADER = "Push-Dont-Notify";

  /** The wildcard value {@value}: suppress all notifications of the change. */
  public static final String WILDCARD = "*";

  private static final PushDontNotify NONE = new PushDontNotify(Set.of(), false);
  private static final PushDontNotify ALL = new PushDontNotify(Set.of(), true);

  private final Set<URI> urls;
  private final boolean all;

  private PushDontNotify(Set<URI> urls, boolean all) {
    this.urls = urls;
    this.all = all;
  }

  /**
   * Parses the field lines of the header.
   *
   * @param fieldLines every {@code Push-Dont-Notify} field value of the request, in order; null
   *     elements are skipped; may be empty
   * @return the parsed value; {@link #isEmpty()} when nothing valid was sent
   */
  public static PushDontNotify parse(List<String> fieldLines) {
    requireNonNull(fieldLines, "fieldLines");
    List<String> members = new ArrayList<>();
    for (String line : fieldLines) {
      if (line != null) {
        split(line, members);
      }
    }
    boolean star = false;
    int others = 0;
    Set<URI> urls = new LinkedHashSet<>();
    for (String m : members) {
      if (m.equals("*")) {
        star = true;
        continue;
      }
      others++;
      URI u = url(m);
      if (u != null) {
        urls.add(u);
      }
    }
    if (star && others == 0) {
      return ALL;
    }
    return urls.isEmpty() ? NONE : new PushDontNotify(Set.copyOf(urls), false);
  }

  /**
   * A value naming registration URLs.
   *
   * @param urls absolute URLs exactly as received in {@code Location} (R-WDP-40); copied
   * @return the value
   * @throws IllegalArgumentException if the collection is empty or a URL is not absolute
   */
  public static PushDontNotify of(Collection<URI> urls) {
    requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls: at least one registration URL is required");
    }
    Set<URI> copy = new LinkedHashSet<>();
    for (URI u : urls) {
      requireNonNull(u, "urls element");
      if (!u.isAbsolute()) {
        throw new IllegalArgumentException("urls: expected absolute URLs, got a relative one");
      }
      copy.add(u);
    }
    return new PushDontNotify(Set.copyOf(copy), false);
  }

  /**
   * The URLs named.
   *
   * @return absolute URIs; empty for {@code *} or when nothing valid was sent
   */
  public Set<URI> urls() {
    return urls;
  }

  /**
   * Whether {@code *} was sent: no notifications at all for this change (SHOULD NOT, R-WDP-39).
   *
   * @return true for {@code *}
   */
  public boolean all() {
    return all;
  }

  /**
   * Whether the value suppresses nothing.
   *
   * @return true if neither {@code *} nor a valid URL was sent
   */
  public boolean isEmpty() {
    return !all && urls.isEmpty();
  }

  /**
   * The header value. Never throws for a value that is not {@link #isEmpty()}; check that first
   * when the value came from {@link #parse}, whose result may be empty.
   *
   * @return {@code *}, or the quoted URLs sorted by their text and joined with {@code ", "}
   * @throws IllegalStateException if the value {@link #isEmpty()}: the header has no empty form
   *     ({@code 1#quoted-registration-url}), so the header must be omitted
   */
  public String format() {
    if (all) {
      return WILDCARD;
    }
    if (urls.isEmpty()) {
      throw new IllegalStateException(
          "Push-Dont-Notify: the value is empty (isEmpty()) and has "
              + "no header form; omit the header instead");
    }
    List<URI> sorted = new ArrayList<>(urls);
    sorted.sort((a, b) -> a.toASCIIString().compareTo(b.toASCIIString()));
    return format(sorted);
  }

  /**
   * Formats registration URLs, in the given order.
   *
   * @param urls absolute URLs exactly as received in {@code Location}; at least one
   * @return for example {@code "https://example.com/webdav/subscriptions/io6Efei4ooph"}
   * @throws IllegalArgumentException if empty, a URL is relative, or holds CR, LF or another
   *     control character
   */
  public static String format(Collection<URI> urls) {
    requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls: at least one registration URL is required");
    }
    StringBuilder sb = new StringBuilder();
    for (URI u : urls) {
      requireNonNull(u, "urls element");
      if (!u.isAbsolute()) {
        throw new IllegalArgumentException("urls: expected absolute URLs, got a relative one");
      }
      String s = u.toASCIIString();
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException(
              "urls: control character at index " + i + " cannot be sent in a header");
        }
        if (c == '"' || c == '\\') {
          sb.append('\\');
        }
        sb.append(c);
      }
      sb.append('"');
    }
    return sb.toString();
  }

  /**
   * The wildcard header value (named {@code formatAll} because {@link #all()} is the parsed flag).
   *
   * @return {@code *}
   */
  public static String formatAll() {
    return WILDCARD;
  }

  /** Splits one field line into members: quoted strings kept whole (quotes included). */
  private static void split(String line, List<String> out) {
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        cur.append(c);
        if (c == '\\' && i + 1 < line.length()) {
          cur.append(line.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == ',') {
        add(cur, out);
        cur.setLength(0);
      } else {
        if (c == '"') {
          quoted = true;
        }
        cur.append(c);
      }
    }
    add(cur, out);
  }

  private static void add(StringBuilder member, List<String> out) {
    String m = member.toString().strip();
    if (!m.isEmpty()) {
      out.add(m);
    }
  }

  /** The URL of a quoted member, or null if the member is invalid. */
  private static @Nullable URI url(String member) {
    if (member.length() < 2
        || member.charAt(0) != '"'
        || member.charAt(member.length() - 1) != '"') {
      return null;
    }
    StringBuilder sb = new StringBuilder(member.length());
    for (int i = 1; i < member.length() - 1; i++) {
      char c = member.charAt(i);
      if (c == '\\') {
        if (i + 1 >= member.length() - 1) {
          return null; // escape of the closing quote: unterminated
        }
        c = member.charAt(++i);
      } else if (c == '"') {
        return null;
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return null;
      }
      sb.append(c);
    }
    try {
      URI u = new URI(sb.toString());
      String scheme = u.getScheme();
      if (!u.isAbsolute() || u.isOpaque() || u.getHost() == null || scheme == null) {
        return null;
      }
      String s = scheme.toLowerCase(Locale.ROOT);
      return s.equals("https") || s.equals("http") ? u : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PushDontNotify p && all == p.all && urls.equals(p.urls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(urls, all);
  }

  /** Shows only the count: registration URLs are capabilities of their owner. */
  @Override
  public String toString() {
    return all ? "PushDontNotify[*]" : "PushDontNotify[" + urls.size() + " URLs]";
  }
}
