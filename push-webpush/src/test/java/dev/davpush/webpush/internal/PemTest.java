package dev.davpush.webpush.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.webpush.crypto.VapidKeyPair;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** {@link Pem}: the parsed key never prints its scalar. */
class PemTest {
  @Test
  void aParsedKeyPrintsNeitherItsScalarNorItsPublicKey() {
    VapidKeyPair pair = VapidKeyPair.generate();
    Pem.EcPrivateKey key = Pem.readEcPrivateKey(pair.toPem());
    BigInteger d = key.scalar();

    String text = key.toString();

    assertThat(text)
        .contains("[redacted]")
        .doesNotContain(d.toString())
        .doesNotContain(d.toString(16));
    assertThat(key.publicKey()).isNotNull();
  }
}
