package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushResource;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Registration-time checks (the URL) and send-time checks (the resolved address) of {@link
 * PushResourcePolicy} agree: for every address of the non-public special-purpose ranges, both
 * refuse (ranges that embed an IPv4 address are judged by it, and are covered by the example
 * tests); for every IPv4 address, the dotted-quad URL and the address get the same verdict; and no
 * other numeric spelling of an IPv4 address gets past registration.
 */
class PushResourcePolicyPropertyTest {
  static final PushResourcePolicy DEFAULTS = PushResourcePolicy.defaults();

  /** CIDR blocks the default policy must refuse (IANA special-purpose registries). */
  static final List<String> REFUSED =
      List.of(
          "0.0.0.0/8",
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.0.0.0/24",
          "192.0.2.0/24",
          "192.88.99.0/24",
          "192.168.0.0/16",
          "198.18.0.0/15",
          "198.51.100.0/24",
          "203.0.113.0/24",
          "224.0.0.0/4",
          "240.0.0.0/4",
          "::/128",
          "::1/128",
          "100::/64",
          "100:0:0:1::/64",
          "2001::/32",
          "2001:2::/48",
          "2001:10::/28",
          "2001:db8::/32",
          "3fff::/20",
          "5f00::/16",
          "fc00::/7",
          "fe80::/10",
          "fec0::/10",
          "ff00::/8");

  @Provide
  Arbitrary<InetAddress> refusedAddresses() {
    return Arbitraries.of(REFUSED)
        .flatMap(
            cidr -> {
              String[] p = cidr.split("/");
              InetAddress base = address(p[0]);
              int bits = base.getAddress().length * 8;
              int prefix = Integer.parseInt(p[1]);
              return Arbitraries.bigIntegers()
                  .between(
                      BigInteger.ZERO,
                      BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE))
                  .map(host -> within(base, host))
                  .withoutEdgeCases();
            });
  }

  @Property
  void everyAddressOfARefusedRangeIsRefusedAtRegistrationAndAtSendTime(
      @ForAll("refusedAddresses") InetAddress a) {
    assertThat(DEFAULTS.permits(a)).as("send time: %s", a).isFalse();
    assertThat(DEFAULTS.permits(PushResource.parse(url(a))))
        .as("registration: %s", url(a))
        .isFalse();
  }

  @Property
  void registrationAndSendTimeAgreeOnEveryIpv4Address(@ForAll int bits) {
    InetAddress a = within(address("0.0.0.0"), BigInteger.valueOf(bits & 0xffffffffL));
    for (PushResourcePolicy policy :
        new PushResourcePolicy[] {
          DEFAULTS,
          PushResourcePolicy.builder().allowLoopback(true).allowPrivateNetworks(true).build()
        }) {
      assertThat(policy.permits(PushResource.parse(url(a))))
          .as("%s with %s", a, policy)
          .isEqualTo(policy.permits(a));
    }
  }

  @Provide
  Arbitrary<String> otherSpellings() {
    Arbitrary<Long> value = Arbitraries.longs().between(0, 0xffffffffL);
    return Combinators.combine(value, Arbitraries.integers().between(0, 4))
        .as(
            (v, form) -> {
              long a = v >>> 24;
              long b = (v >>> 16) & 0xff;
              long c = (v >>> 8) & 0xff;
              long d = v & 0xff;
              return switch (form) {
                case 0 -> Long.toString(v); // 2130706433
                case 1 -> "0x" + Long.toHexString(v); // 0x7f000001
                case 2 -> "0" + Long.toOctalString(a) + "." + b + "." + c + "." + d; // 0177.0.0.1
                case 3 -> a + "." + ((v >>> 16) & 0xff) + "." + (v & 0xffff); // 127.0.1 (a.b.c16)
                default -> a + "." + (v & 0xffffff); // 127.1 (a.b24)
              };
            });
  }

  @Property
  void noOtherSpellingOfAnIpv4AddressPassesRegistration(@ForAll("otherSpellings") String host) {
    URI uri = URI.create("https://" + host + "/p");
    if (uri.getHost() == null) {
      return; // not even a URI host: PushResource refuses it before any policy
    }
    assertThat(DEFAULTS.permits(PushResource.parse(uri.toString()))).as(host).isFalse();
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no DNS
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static InetAddress within(InetAddress base, BigInteger host) {
    byte[] b = base.getAddress();
    BigInteger v = new BigInteger(1, b).or(host);
    byte[] raw = v.toByteArray();
    byte[] out = new byte[b.length];
    int n = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - n, out, out.length - n, n);
    try {
      return InetAddress.getByAddress(out);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A URL for an address; an IPv4-mapped IPv6 address stays in its IPv6 literal form. */
  static String url(InetAddress a) {
    if (a.getAddress().length == 16 || a instanceof Inet6Address) {
      StringBuilder s = new StringBuilder();
      byte[] b = a.getAddress();
      for (int i = 0; i < 16; i += 2) {
        s.append(i == 0 ? "" : ":")
            .append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
      }
      return "https://[" + s + "]/p";
    }
    return "https://" + a.getHostAddress() + "/p";
  }
}
