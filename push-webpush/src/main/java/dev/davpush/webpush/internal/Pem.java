package dev.davpush.webpush.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.jspecify.annotations.Nullable;

/**
 * PEM/DER for P-256 private keys: PKCS#8 (RFC 5208) wrapping SEC1 {@code ECPrivateKey} (RFC 5915),
 * and bare SEC1. Uses BouncyCastle's ASN.1 classes; every parse failure becomes an {@link
 * IllegalArgumentException} whose message never contains key material.
 *
 * <p>Thread safety: stateless.
 */
public final class Pem {
  private static final String PKCS8 = "PRIVATE KEY";
  private static final String SEC1 = "EC PRIVATE KEY";

  private Pem() {}

  /**
   * A parsed EC private key: the private scalar and, if the DER carried it, the 65-octet public
   * point. A secret: {@link #toString()} prints neither.
   */
  public record EcPrivateKey(BigInteger scalar, byte @Nullable [] publicKey) {
    /** Redacted: the scalar is the private key. */
    @Override
    public String toString() {
      return "EcPrivateKey[scalar=[redacted], publicKey="
          + (publicKey == null ? "absent" : "present")
          + "]";
    }
  }

  /** Reads the first PKCS#8 or SEC1 block. */
  public static EcPrivateKey readEcPrivateKey(String pem) {
    String type;
    int begin = pem.indexOf("-----BEGIN " + PKCS8 + "-----");
    if (begin >= 0) {
      type = PKCS8;
    } else {
      begin = pem.indexOf("-----BEGIN " + SEC1 + "-----");
      type = SEC1;
    }
    if (begin < 0) {
      throw new IllegalArgumentException(
          "expected a '-----BEGIN PRIVATE KEY-----' (PKCS#8) or '-----BEGIN EC PRIVATE KEY-----'"
              + " block");
    }
    String header = "-----BEGIN " + type + "-----";
    String footer = "-----END " + type + "-----";
    // The footer is searched only after the header: "-----BEGIN X-----END X-----" shares the
    // header's trailing dashes with the footer, and must not yield a body that ends before it
    // starts.
    int bodyStart = begin + header.length();
    int end = pem.indexOf(footer, bodyStart);
    if (end < 0) {
      throw new IllegalArgumentException("missing '" + footer + "' after '" + header + "'");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(bodyStart, end).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not base64");
    }
    try {
      if (type.equals(PKCS8)) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
          throw new IllegalArgumentException(
              "not an EC key (algorithm " + alg.getAlgorithm().getId() + ")");
        }
        checkCurve(alg.getParameters());
        return sec1(info.parsePrivateKey().toASN1Primitive().getEncoded(ASN1Encoding.DER), false);
      }
      return sec1(der, true);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException
          && e.getMessage() != null
          && e.getMessage().startsWith("not ")) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("malformed DER (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static EcPrivateKey sec1(byte[] der, boolean requireCurve) throws IOException {
    org.bouncycastle.asn1.sec.ECPrivateKey key =
        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
    ASN1Encodable params = key.getParametersObject();
    if (params != null) {
      checkCurve(params);
    } else if (requireCurve) {
      throw new IllegalArgumentException("not a named-curve key (no curve parameters)");
    }
    DERBitString pub = key.getPublicKey() == null ? null : (DERBitString) key.getPublicKey();
    return new EcPrivateKey(key.getKey(), pub == null ? null : pub.getOctets());
  }

  private static void checkCurve(@Nullable ASN1Encodable params) {
    if (!(params instanceof ASN1ObjectIdentifier oid)
        || !X9ObjectIdentifiers.prime256v1.equals(oid)) {
      throw new IllegalArgumentException("not a P-256 (prime256v1) key");
    }
  }

  /** Writes a PKCS#8 PEM block. */
  public static String writePkcs8(byte[] scalar32, byte[] publicKey65) {
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              256, new BigInteger(1, scalar32), new DERBitString(publicKey65), null);
      PrivateKeyInfo info =
          new PrivateKeyInfo(
              new AlgorithmIdentifier(
                  X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1),
              sec1);
      String b64 =
          Base64.getMimeEncoder(64, new byte[] {'\n'})
              .encodeToString(info.getEncoded(ASN1Encoding.DER));
      return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }
}
