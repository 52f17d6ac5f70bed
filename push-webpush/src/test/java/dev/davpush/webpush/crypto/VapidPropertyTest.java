package dev.davpush.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Vapid#verifySignature}: any parameter text yields claims or the typed exception. */
class VapidPropertyTest {
  @Provide
  Arbitrary<String> parameterText() {
    return Arbitraries.strings().withChars("tk=,\" \\\t\r\nabcBA.-_").ofMaxLength(60);
  }

  @Property
  void garbageParametersThrowOnlyTheTypedException(@ForAll("parameterText") String params) {
    try {
      VapidClaims c = Vapid.verifySignature("vapid " + params);
      assertThat(c).isNotNull();
    } catch (PushCryptoException expected) {
      // fine
    }
  }

  @Property
  void anyQuotedValueSurvivesEscaping(@ForAll("parameterText") String realm) {
    String escaped = realm.replace("\\", "\\\\").replace("\"", "\\\"");
    String header = "vapid realm=\"" + escaped + "\", " + VapidTest.EXAMPLE.substring(6);

    assertThat(Vapid.verifySignature(header).publicKey().toBase64Url()).isEqualTo(VapidTest.K);
  }
}
