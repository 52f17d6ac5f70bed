package dev.davpush.webpush;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushResource;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which push resources a server may contact: the guard against server-side request forgery through
 * registered push resource URLs (a push resource comes from a client and could point at the
 * server's own network).
 *
 * <p>{@link #defaults()} permits only {@code https} URLs (R-8030-1, R-WDP-64) whose host is not,
 * and does not resolve to, an address outside the public internet, judged against the IANA IPv4 and
 * IPv6 Special-Purpose Address Registries (RFC 6890 and later):
 *
 * <ul>
 *   <li>refused whatever the configuration: unspecified ({@code 0.0.0.0/8}, {@code ::}), link-local
 *       ({@code 169.254.0.0/16}, {@code fe80::/10}), multicast, reserved and broadcast ({@code
 *       224.0.0.0/3}, {@code ff00::/8}), documentation ({@code 192.0.2.0/24}, {@code
 *       198.51.100.0/24}, {@code 203.0.113.0/24}, {@code 2001:db8::/32}, {@code 3fff::/20}), the
 *       deprecated 6to4 relay anycast {@code 192.88.99.0/24}, Teredo {@code 2001::/32} (its IPv4
 *       target is obfuscated), discard-only {@code 100::/64} and dummy {@code 100:0:0:1::/64}, and
 *       the deprecated ORCHID {@code 2001:10::/28};
 *   <li>loopback ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}), unless {@link
 *       Builder#allowLoopback};
 *   <li>private and other non-global networks, unless {@link Builder#allowPrivateNetworks}: {@code
 *       10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}, {@code 100.64.0.0/10}, IETF
 *       protocol assignments {@code 192.0.0.0/24}, benchmarking {@code 198.18.0.0/15} and {@code
 *       2001:2::/48}, unique-local {@code fc00::/7}, site-local {@code fec0::/10}, SRv6 SIDs {@code
 *       5f00::/16}.
 * </ul>
 *
 * <p>IPv6 addresses that carry an IPv4 target (IPv4-mapped, -compatible and -translated, NAT64
 * {@code 64:ff9b::/96} and local-use {@code 64:ff9b:1::/96}, 6to4 {@code 2002::/16}) are judged by
 * that IPv4 address; other NAT64 local-use addresses ({@code 64:ff9b:1::/48}, where the IPv4
 * position depends on the operator's prefix length) count as private-network addresses. Plain HTTP,
 * loopback and private networks can be allowed explicitly, for tests and LAN setups (digest
 * ambiguity A-28).
 *
 * <p>{@link #permits(PushResource)} judges the URL alone (scheme, host name, IP literal), as at
 * registration time; {@link #refusal(InetAddress)} judges one resolved address, and the transport
 * applies it to every address the host resolves to at send time, so a name that resolves into a
 * refused range is refused too. The two agree on IP literals: a URL's IP literal is judged by the
 * very address check used after DNS. Hosts that some resolvers read as IPv4 numbers in other forms
 * (a single decimal or hex number such as {@code 2130706433} or {@code 0x7f000001}, octal or
 * leading-zero parts such as {@code 0177.0.0.1}, shortened forms such as {@code 127.1}, or any host
 * whose last label is a number) are refused as ambiguous, since resolvers disagree on what they
 * denote; only the canonical dotted-quad form is judged as an address. So is an IPv6 literal that
 * does not parse, such as one with a zone.
 *
 * <p>Thread safety: immutable.
 */
public final class PushResourcePolicy {
  private static final PushResourcePolicy DEFAULTS = new PushResourcePolicy(false, false, false);

  /** Four decimal parts without leading zeros (range checked separately). */
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  /** A label that URL parsers read as a number: decimal digits, or 0x and hex digits. */
  private static final Pattern NUMBER_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

  /** What an IPv6 literal may contain (hex, colons, dots of an embedded IPv4); no zone. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");

  private final boolean allowHttp;
  private final boolean allowLoopback;
  private final boolean allowPrivateNetworks;

  private PushResourcePolicy(boolean allowHttp, boolean allowLoopback, boolean allowPrivate) {
    this.allowHttp = allowHttp;
    this.allowLoopback = allowLoopback;
    this.allowPrivateNetworks = allowPrivate;
  }

  /**
   * The strict policy: https only, no loopback, private, link-local, unspecified or multicast
   * targets.
   *
   * @return the default policy
   */
  public static PushResourcePolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether plain {@code http} push resources are allowed.
   *
   * @return false by default
   */
  public boolean allowsHttp() {
    return allowHttp;
  }

  /**
   * Whether loopback targets are allowed.
   *
   * @return false by default
   */
  public boolean allowsLoopback() {
    return allowLoopback;
  }

  /**
   * Whether private-network targets are allowed.
   *
   * @return false by default
   */
  public boolean allowsPrivateNetworks() {
    return allowPrivateNetworks;
  }

  /**
   * Whether the URL of a push resource is acceptable, judged without DNS.
   *
   * @param pushResource the push resource
   * @return true if neither scheme nor host is refused
   */
  public boolean permits(PushResource pushResource) {
    return refusal(pushResource).isEmpty();
  }

  /**
   * Why the URL of a push resource is refused, judged without DNS.
   *
   * @param pushResource the push resource
   * @return empty if permitted, else a reason naming the host only (never the path)
   */
  public Optional<String> refusal(PushResource pushResource) {
    requireNonNull(pushResource, "pushResource");
    String host = hostOf(pushResource);
    if (!pushResource.isHttps() && !allowHttp) {
      return Optional.of("push resource at " + host + " is not https (plain http not allowed)");
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if ((h.equals("localhost") || h.endsWith(".localhost")) && !allowLoopback) {
      return Optional.of("push resource host " + host + " is a loopback name");
    }
    if (h.startsWith("[")) {
      InetAddress v6 = ipv6Literal(h);
      if (v6 == null) {
        return Optional.of(
            "push resource host "
                + host
                + " is an IPv6 literal that is not"
                + " understood (zones are not allowed)");
      }
      return refusal(v6).map(r -> "push resource host " + host + ": " + r);
    }
    if (isNumericForm(h)) {
      InetAddress v4 = canonicalIpv4(h);
      if (v4 == null) {
        return Optional.of(
            "push resource host "
                + host
                + " is an IPv4 address in a"
                + " non-canonical form (single number, hex, octal, leading zeros or shortened),"
                + " which resolvers read differently; use the dotted-quad form");
      }
      return refusal(v4).map(r -> "push resource host " + host + ": " + r);
    }
    return Optional.empty();
  }

  /**
   * Whether one resolved address may be contacted.
   *
   * @param address an address the push resource host resolved to
   * @return true if permitted
   */
  public boolean permits(InetAddress address) {
    return refusal(address).isEmpty();
  }

  /**
   * Why one resolved address may not be contacted.
   *
   * @param address an address the push resource host resolved to
   * @return empty if permitted, else the reason (naming the address range)
   */
  public Optional<String> refusal(InetAddress address) {
    requireNonNull(address, "address");
    byte[] a = address.getAddress();
    if (address instanceof Inet6Address) {
      if (isNat64LocalUse(a) && !isZero(a, 6, 12) && !allowPrivateNetworks) {
        return Optional.of(
            "NAT64 local-use address (64:ff9b:1::/48, RFC 8215) whose embedded IPv4 address is not"
                + " in the /96 position and cannot be checked");
      }
      byte[] embedded = embeddedIpv4(a);
      if (embedded != null) {
        a = embedded;
      }
    }
    if (a.length == 4) {
      return refusalV4(a);
    }
    return refusalV6(a);
  }

  private Optional<String> refusalV4(byte[] a) {
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    if (b0 == 0) {
      return Optional.of("unspecified address (0.0.0.0/8)");
    }
    if (b0 == 127) {
      return allowLoopback ? Optional.empty() : Optional.of("loopback address (127.0.0.0/8)");
    }
    if (b0 == 169 && b1 == 254) {
      return Optional.of("link-local address (169.254.0.0/16)");
    }
    if (b0 >= 224) {
      return Optional.of("multicast, reserved or broadcast address (224.0.0.0/3)");
    }
    if ((b0 == 192 && b1 == 0 && b2 == 2)
        || (b0 == 198 && b1 == 51 && b2 == 100)
        || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return Optional.of(
          "documentation address (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24," + " RFC 5737)");
    }
    if (b0 == 192 && b1 == 88 && b2 == 99) {
      return Optional.of("deprecated 6to4 relay anycast address (192.88.99.0/24, RFC 7526)");
    }
    boolean priv =
        b0 == 10
            || (b0 == 172 && b1 >= 16 && b1 <= 31)
            || (b0 == 192 && b1 == 168)
            || (b0 == 100 && b1 >= 64 && b1 <= 127);
    if (priv && !allowPrivateNetworks) {
      return Optional.of("private-network address (RFC 1918 / RFC 6598)");
    }
    if (b0 == 192 && b1 == 0 && b2 == 0 && !allowPrivateNetworks) {
      return Optional.of("IETF protocol assignment address (192.0.0.0/24, RFC 6890)");
    }
    if (b0 == 198 && (b1 & 0xfe) == 18 && !allowPrivateNetworks) {
      return Optional.of("benchmarking address (198.18.0.0/15, RFC 2544)");
    }
    return Optional.empty();
  }

  private Optional<String> refusalV6(byte[] a) {
    boolean allZeroButLast = true;
    for (int i = 0; i < 15; i++) {
      if (a[i] != 0) {
        allZeroButLast = false;
        break;
      }
    }
    if (allZeroButLast && a[15] == 0) {
      return Optional.of("unspecified address (::)");
    }
    if (allZeroButLast && a[15] == 1) {
      return allowLoopback ? Optional.empty() : Optional.of("loopback address (::1)");
    }
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    if (b0 == 0xff) {
      return Optional.of("multicast address (ff00::/8)");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return Optional.of("link-local address (fe80::/10)");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return allowPrivateNetworks
          ? Optional.empty()
          : Optional.of("site-local address (fec0::/10)");
    }
    if ((b0 & 0xfe) == 0xfc && !allowPrivateNetworks) {
      return Optional.of("unique-local (private) address (fc00::/7)");
    }
    int b2 = a[2] & 0xff;
    int b3 = a[3] & 0xff;
    if ((b0 == 0x20 && b1 == 0x01 && b2 == 0x0d && b3 == 0xb8)
        || (b0 == 0x3f && b1 == 0xff && (b2 & 0xf0) == 0)) {
      return Optional.of("documentation address (2001:db8::/32, 3fff::/20)");
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0 && b3 == 0) {
      return Optional.of("Teredo address (2001::/32), whose IPv4 target cannot be checked");
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0 && (b3 & 0xf0) == 0x10) {
      return Optional.of("deprecated ORCHID address (2001:10::/28)");
    }
    if (b0 == 0x01 && b1 == 0 && isZero(a, 2, 6) && a[6] == 0 && (a[7] & 0xfe) == 0) {
      return Optional.of("discard-only or dummy address (100::/64, 100:0:0:1::/64)");
    }
    if (allowPrivateNetworks) {
      return Optional.empty();
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0 && b3 == 0x02 && a[4] == 0 && a[5] == 0) {
      return Optional.of("benchmarking address (2001:2::/48)");
    }
    if (b0 == 0x5f && b1 == 0) {
      return Optional.of("SRv6 SID address (5f00::/16)");
    }
    return Optional.empty();
  }

  /**
   * The IPv4 target carried by an IPv6 address, or null: IPv4-compatible ({@code ::a.b.c.d}),
   * IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-translated ({@code ::ffff:0:a.b.c.d}, RFC 2765),
   * NAT64 well-known ({@code 64:ff9b::/96}, RFC 6052), NAT64 local-use in the /96 position ({@code
   * 64:ff9b:1::a.b.c.d}, RFC 8215) and 6to4 ({@code 2002:AABB:CCDD::/48}, RFC 3056, octets 2 to 5).
   */
  private static byte @Nullable [] embeddedIpv4(byte[] a) {
    boolean compatible = isZero(a, 0, 12) && ((a[12] | a[13]) != 0);
    boolean mapped = isZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    boolean translated =
        isZero(a, 0, 8) && (a[8] & 0xff) == 0xff && (a[9] & 0xff) == 0xff && isZero(a, 10, 12);
    boolean nat64 = isNat64Prefix(a) && isZero(a, 4, 12);
    boolean nat64LocalUse = isNat64LocalUse(a) && isZero(a, 6, 12);
    if (compatible || mapped || translated || nat64 || nat64LocalUse) {
      return new byte[] {a[12], a[13], a[14], a[15]};
    }
    boolean sixToFour = (a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02;
    if (sixToFour) {
      return new byte[] {a[2], a[3], a[4], a[5]};
    }
    return null;
  }

  /** {@code 64:ff9b::/32}: the first four octets of both NAT64 prefixes. */
  private static boolean isNat64Prefix(byte[] a) {
    return a[0] == 0x00 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b;
  }

  /** {@code 64:ff9b:1::/48} (RFC 8215). */
  private static boolean isNat64LocalUse(byte[] a) {
    return isNat64Prefix(a) && a[4] == 0x00 && a[5] == 0x01;
  }

  private static boolean isZero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** A bracketed IPv6 literal as an address, or null if it does not parse (or has a zone). */
  private static @Nullable InetAddress ipv6Literal(String bracketed) {
    if (!bracketed.endsWith("]")) {
      return null;
    }
    String inner = bracketed.substring(1, bracketed.length() - 1);
    if (inner.isEmpty() || !IPV6_CHARS.matcher(inner).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(inner); // a literal: no DNS
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Whether a host (lower case, without a trailing dot) is, or may be read as, an IPv4 number: its
   * last label is all decimal digits or a {@code 0x} hex number (WHATWG URL "ends in a number"). No
   * top-level domain is numeric, so such a host is never a DNS name.
   */
  private static boolean isNumericForm(String host) {
    int dot = host.lastIndexOf('.');
    String last = host.substring(dot + 1);
    return NUMBER_LABEL.matcher(last).matches();
  }

  /** The address of a canonical dotted quad (four decimal parts 0..255, no leading zeros). */
  private static @Nullable InetAddress canonicalIpv4(String host) {
    if (!CANONICAL_IPV4.matcher(host).matches()) {
      return null;
    }
    String[] parts = host.split("\\.");
    byte[] a = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      a[i] = (byte) v;
    }
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new AssertionError("four octets are an IPv4 address", e);
    }
  }

  static String hostOf(PushResource pushResource) {
    String host = pushResource.uri().getHost();
    return host == null ? "?" : host;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PushResourcePolicy p
        && allowHttp == p.allowHttp
        && allowLoopback == p.allowLoopback
        && allowPrivateNetworks == p.allowPrivateNetworks;
  }

  @Override
  public int hashCode() {
    return (allowHttp ? 1 : 0) | (allowLoopback ? 2 : 0) | (allowPrivateNetworks ? 4 : 0);
  }

  @Override
  public String toString() {
    return "PushResourcePolicy[allowHttp="
        + allowHttp
        + ", allowLoopback="
        + allowLoopback
        + ", allowPrivateNetworks="
        + allowPrivateNetworks
        + "]";
  }

  /**
   * Builds a {@link PushResourcePolicy}; every switch starts off.
   *
   * <p>Thread safety: not thread-safe; build once and share the result.
   */
  public static final class Builder {
    private boolean allowHttp;
    private boolean allowLoopback;
    private boolean allowPrivateNetworks;

    private Builder() {}

    /**
     * Allows plain {@code http} push resources (tests, LAN distributors). Default false.
     *
     * @param allow whether to allow
     * @return this builder
     */
    public Builder allowHttp(boolean allow) {
      this.allowHttp = allow;
      return this;
    }

    /**
     * Allows loopback targets ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}). Default false.
     *
     * @param allow whether to allow
     * @return this builder
     */
    public Builder allowLoopback(boolean allow) {
      this.allowLoopback = allow;
      return this;
    }

    /**
     * Allows private-network targets (RFC 1918, {@code 100.64.0.0/10}, {@code fc00::/7}). Default
     * false.
     *
     * @param allow whether to allow
     * @return this builder
     */
    public Builder allowPrivateNetworks(boolean allow) {
      this.allowPrivateNetworks = allow;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public PushResourcePolicy build() {
      return new PushResourcePolicy(allowHttp, allowLoopback, allowPrivateNetworks);
    }
  }
}
