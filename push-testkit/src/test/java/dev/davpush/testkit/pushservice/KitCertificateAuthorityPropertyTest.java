package dev.davpush.testkit.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Leaf certificates name exactly what they are issued for, and always chain to the CA. */
class KitCertificateAuthorityPropertyTest {
  private static final KitCertificateAuthority CA = KitCertificateAuthority.generate();

  @Provide
  Arbitrary<List<String>> names() {
    Arbitrary<String> label =
        Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(63);
    Arbitrary<String> dns = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<String> ipv4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    return Arbitraries.oneOf(dns, ipv4).list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 200)
  void aLeafCarriesExactlyTheGivenNamesAndVerifiesWithTheCa(@ForAll("names") List<String> names)
      throws Exception {
    X509Certificate leaf = CA.issueServerIdentity(names).certificate();

    List<String> sans = new ArrayList<>();
    for (List<?> san : leaf.getSubjectAlternativeNames()) {
      sans.add((String) san.get(1));
    }
    Set<String> expected = new LinkedHashSet<>(names);
    assertThat(sans).containsExactlyInAnyOrderElementsOf(expected);
    leaf.verify(CA.certificate().getPublicKey());
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
  }

  @Test
  void aNameTooLongForTheCommonNameIsCarriedInFullAsASubjectAlternativeName() throws Exception {
    // RFC 5280 caps a common name at 64 characters; a DNS name may have 253
    String longName = "a".repeat(63) + "." + "b".repeat(63) + ".example";
    String fits = "c".repeat(56) + ".example";
    X509Certificate leaf = CA.issueServerIdentity(List.of(longName, fits)).certificate();
    List<String> sans = new ArrayList<>();
    for (List<?> san : leaf.getSubjectAlternativeNames()) {
      sans.add((String) san.get(1));
    }
    assertThat(sans).containsExactly(longName, fits);
    assertThat(leaf.getSubjectX500Principal().getName())
        .isEqualTo("CN=" + KitCertificateAuthority.LONG_NAME_CN);
    assertThat(fits).hasSize(64);
    assertThat(
            CA.issueServerIdentity(List.of(fits)).certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=" + fits);
  }

  @Property(tries = 200)
  void theHandshakeClassifierNamesACertificateRejectionOnlyForACertificateAlert(
      @ForAll("alerts") String alert) {
    TlsHandshakeFailure.Kind kind = ObservedTls.classify("Received fatal alert: " + alert);
    boolean aboutTheCertificate =
        alert.contains("certificate")
            || alert.equals("unknown_ca")
            || alert.equals("access_denied");
    assertThat(kind)
        .isEqualTo(
            aboutTheCertificate
                ? TlsHandshakeFailure.Kind.CERTIFICATE_REJECTED
                : TlsHandshakeFailure.Kind.OTHER);
    assertThat(ObservedTls.classify("no cipher suites in common (" + alert + ")"))
        .isEqualTo(TlsHandshakeFailure.Kind.OTHER);
  }

  @Provide
  Arbitrary<String> alerts() {
    return Arbitraries.of(
        "certificate_unknown",
        "bad_certificate",
        "unsupported_certificate",
        "certificate_expired",
        "certificate_revoked",
        "unknown_ca",
        "access_denied",
        "handshake_failure",
        "protocol_version",
        "internal_error",
        "decode_error",
        "insufficient_security");
  }

  @Property(tries = 50)
  void blankNamesAreRefusedWithTheParameterNamed(@ForAll("blanks") String blank) {
    assertThatThrownBy(() -> CA.issueServerIdentity(List.of("ok.test", blank)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("names:");
  }

  @Provide
  Arbitrary<String> blanks() {
    return Arbitraries.strings().withChars(' ', '\t', '\n').ofMinLength(0).ofMaxLength(5);
  }
}
