package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PushResource;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF policy on URLs and on resolved addresses. */
class PushResourcePolicyTest {
  final PushResourcePolicy defaults = PushResourcePolicy.defaults();

  @Test
  void permitsAnHttpsPushServiceByName() {
    assertThat(defaults.permits(PushResource.parse("https://push.example.net/p/abc"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://push.example.net/p",
        "https://localhost/p",
        "https://api.localhost./p",
        "https://127.0.0.1/p",
        "https://127.1.2.3:8443/p",
        "https://[::1]/p",
        "https://10.1.2.3/p",
        "https://172.16.0.1/p",
        "https://172.31.255.255/p",
        "https://192.168.1.1/p",
        "https://100.64.0.1/p",
        "https://169.254.169.254/latest/meta-data",
        "https://0.0.0.0/p",
        "https://[::]/p",
        "https://224.0.0.1/p",
        "https://255.255.255.255/p",
        "https://[fe80::1]/p",
        "https://[fd00::1]/p",
        "https://[ff02::1]/p",
        "https://[::ffff:127.0.0.1]/p",
        "https://[64:ff9b::a9fe:a9fe]/p",
        "https://[2002:7f00:1::1]/p",
        "https://[2002:a9fe:a9fe::]/p",
        "https://[2002:c0a8:101:5::1]/p",
        "https://[2002::1]/p",
        "https://[64:ff9b:1::a9fe:a9fe]/p",
        "https://[64:ff9b:1::7f00:1]/p",
        "https://[64:ff9b:1::a00:1]/p",
        "https://[64:ff9b:1:808:8:800::]/p",
        "https://2130706433/p",
        "https://0x7f000001/p",
        "https://0177.0.0.1/p",
        "https://017700000001/p",
        "https://010.1.2.3/p",
        "https://8.8.8.010/p",
        "https://192.0.0.170/p",
        "https://192.0.2.1/p",
        "https://198.18.0.1/p",
        "https://198.19.255.254/p",
        "https://198.51.100.7/p",
        "https://203.0.113.9/p",
        "https://192.88.99.1/p",
        "https://[2001::1]/p",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/p",
        "https://[2001:db8::1]/p",
        "https://[3fff::1]/p",
        "https://[3fff:fff::1]/p",
        "https://[100::1]/p",
        "https://[100:0:0:1::1]/p",
        "https://[2001:2::1]/p",
        "https://[2001:10::1]/p",
        "https://[5f00::1]/p",
        "https://[::ffff:0:7f00:1]/p",
        "https://[fe80::1%25eth0]/p",
        "https://[2606:4700::1111%25eth0]/p",
      })
  void refusesByDefault(String url) {
    PushResource r = PushResource.parse(url);
    assertThat(defaults.permits(r)).as(url).isFalse();
    assertThat(defaults.refusal(r).orElseThrow()).doesNotContain("/p").doesNotContain("meta-data");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://172.32.0.1/p",
        "https://8.8.8.8/p",
        "https://[2606:4700::1111]/p",
        "https://100.128.0.1/p",
        "https://[2002:808:808::1]/p",
        "https://[64:ff9b:1::808:808]/p"
      })
  void permitsPublicAddresses(String url) {
    assertThat(defaults.permits(PushResource.parse(url))).as(url).isTrue();
  }

  @Test
  void refusesNumericHostFormsAsAmbiguousAndSaysWhichFormToUse() {
    assertThat(defaults.refusal(PushResource.parse("https://2130706433/p")).orElseThrow())
        .contains("non-canonical")
        .contains("dotted-quad");
  }

  @Test
  void permitsPublicNeighboursOfTheSpecialPurposeRanges() {
    for (String url :
        new String[] {
          "https://192.0.1.255/p",
          "https://192.0.3.0/p",
          "https://198.17.255.255/p",
          "https://198.20.0.0/p",
          "https://203.0.112.255/p",
          "https://[2001:1::1]/p",
          "https://[2001:db9::1]/p",
          "https://[3fff:1000::1]/p",
          "https://[2001:4:112::1]/p",
          "https://[101::1]/p",
          "https://dns.example/p",
          "https://x0.example/p",
          "https://8.8.8.8/p"
        }) {
      assertThat(defaults.permits(PushResource.parse(url))).as(url).isTrue();
    }
  }

  @Test
  void allowsWhatTheBuilderSwitchesOn() {
    PushResourcePolicy lan =
        PushResourcePolicy.builder()
            .allowHttp(true)
            .allowLoopback(true)
            .allowPrivateNetworks(true)
            .build();
    assertThat(lan.permits(PushResource.parse("http://127.0.0.1:8080/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("http://192.168.1.5/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://[fd12::5]/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://169.254.169.254/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[fe80::1]/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[2002:c0a8:105::1]/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://[2002:a9fe:a9fe::1]/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[64:ff9b:1::a9fe:a9fe]/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[64:ff9b:1:808:8:800::]/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://198.18.0.1/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://192.0.0.1/p"))).isTrue();
    assertThat(lan.permits(PushResource.parse("https://192.0.2.1/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[2001:db8::1]/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://[2001::1]/p"))).isFalse();
    assertThat(lan.permits(PushResource.parse("https://2130706433/p"))).isFalse();
  }

  @Test
  void namesTheEmbeddedIpv4RangeOf6to4AndLocalUseNat64Addresses() throws Exception {
    assertThat(defaults.refusal(InetAddress.getByName("2002:a00:1::1")).orElseThrow())
        .contains("private");
    assertThat(defaults.refusal(InetAddress.getByName("64:ff9b:1::7f00:1")).orElseThrow())
        .contains("loopback");
    assertThat(defaults.refusal(InetAddress.getByName("64:ff9b:1:808:8:800::")).orElseThrow())
        .contains("64:ff9b:1::/48");
  }

  @Test
  void judgesResolvedAddresses() throws Exception {
    assertThat(defaults.permits(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(defaults.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(defaults.permits(InetAddress.getByName("93.184.216.34"))).isTrue();
    assertThat(defaults.refusal(InetAddress.getByName("192.168.0.1")).orElseThrow())
        .contains("private");
  }
}
