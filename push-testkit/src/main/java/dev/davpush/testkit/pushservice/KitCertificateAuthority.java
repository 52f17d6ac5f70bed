package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the kit's own, so that the {@link EmbeddedPushService} can serve HTTPS
 * (RFC 8030 §3 and draft §7.3 ask for push resources over TLS, R-8030-1 and R-WDP-64) to a server
 * under test that is told to trust it. {@link #generate()} makes a fresh one (an EC P-256 key, a
 * self-signed certificate valid for {@link #VALIDITY}); {@link #writePem} writes its certificate
 * for the server's trust store; {@link #save}/{@link #load} keep it in a PKCS#12 file between runs,
 * so that the server needs to be told only once. {@link #issueServerIdentity} signs a leaf
 * certificate for the push service, with the host names and addresses it is reached under as
 * subject alternative names.
 *
 * <p>Certificates are built with BouncyCastle's PKIX classes and signed with the JDK's own ECDSA
 * ({@code SHA256withECDSA}); no security provider is registered.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class KitCertificateAuthority {
  /** How long a generated CA certificate, and every leaf it issues, is valid: 30 days. */
  public static final Duration VALIDITY = Duration.ofDays(30);

  /** The alias of the CA's key entry in a {@link #save saved} PKCS#12 file: {@code kit-ca}. */
  public static final String ALIAS = "kit-ca";

  /** The alias of the push service's key entry in an issued identity: {@code push-service}. */
  public static final String SERVER_ALIAS = "push-service";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withECDSA";

  /** RFC 5280 ub-common-name: the most characters of a common name. */
  private static final int MAX_COMMON_NAME = 64;

  /** The common name of a leaf whose first name is longer than {@link #MAX_COMMON_NAME}. */
  static final String LONG_NAME_CN = "davpush kit push service";

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private KitCertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * Generates a fresh CA: an EC P-256 key and a self-signed certificate ({@code CN=davpush kit CA
   * <random>}, basic constraints CA, key usage keyCertSign and cRLSign) valid from one hour ago for
   * {@link #VALIDITY}.
   *
   * @return the CA
   * @throws PushServiceException if the JDK cannot generate the key or sign (it always can on a
   *     standard JDK)
   */
  public static KitCertificateAuthority generate() {
    try {
      KeyPair keys = newKeyPair();
      byte[] id = new byte[6];
      RANDOM.nextBytes(id);
      X500Name name = new X500Name("CN=davpush kit CA " + HexFormat.of().formatHex(id));
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              name,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(b, keys.getPrivate());
      return new KitCertificateAuthority(cert, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new PushServiceException("cannot generate the kit's certificate authority: " + e, e);
    }
  }

  /**
   * Loads a CA {@link #save saved} earlier.
   *
   * @param file a PKCS#12 file with a key entry {@link #ALIAS}
   * @param password the file's password; not kept
   * @return the CA
   * @throws IOException if the file cannot be read, or the password is wrong
   * @throws IllegalArgumentException if the file has no usable CA entry
   */
  public static KitCertificateAuthority load(Path file, char[] password) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(password, "password");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      if (!(store.getKey(ALIAS, password) instanceof PrivateKey key)
          || !(store.getCertificate(ALIAS) instanceof X509Certificate cert)) {
        throw new IllegalArgumentException(
            "file: expected a PKCS#12 file with a key entry '" + ALIAS + "', got none in " + file);
      }
      if (cert.getBasicConstraints() < 0) {
        throw new IllegalArgumentException(
            "file: the entry '" + ALIAS + "' of " + file + " is no CA certificate");
      }
      return new KitCertificateAuthority(cert, key);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the CA key store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Saves the CA (key and certificate) as a PKCS#12 file, replacing the file atomically where the
   * file system allows; the file is created readable by its owner only where POSIX permissions
   * exist.
   *
   * @param file where to write
   * @param password the file's password; not kept
   * @throws IOException if the file cannot be written
   */
  public void save(Path file, char[] password) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(password, "password");
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".kit-ca", ".p12");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, privateKey, password, new Certificate[] {certificate});
      try (OutputStream out = Files.newOutputStream(tmp)) {
        store.store(out, password);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the CA key store " + file + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The CA certificate, the one a server under test must trust.
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The CA certificate in PEM ({@code -----BEGIN CERTIFICATE-----}, base64 in lines of 64).
   *
   * @return the PEM text, ending in a line break
   */
  public String toPem() {
    return toPem(certificate);
  }

  /**
   * Writes {@link #toPem()} to a file, replacing it.
   *
   * @param file where to write
   * @throws IOException if it cannot be written
   */
  public void writePem(Path file) throws IOException {
    requireNonNull(file, "file");
    Files.writeString(file, toPem(), StandardCharsets.US_ASCII);
  }

  /**
   * A TLS context that trusts this CA only: for clients of the push service in tests (the reference
   * server's transport, {@code java.net.http}).
   *
   * @return an initialised context, protocol {@code TLS}
   */
  public SSLContext trustingContext() {
    return trusting(List.of(certificate), false);
  }

  /**
   * Issues a server certificate for the push service and returns it with its key, ready for {@link
   * EmbeddedPushService.Builder#https(KeyStore, char[])}.
   *
   * @param names the host names and IP addresses (literals) the service is reached under; each
   *     becomes a subject alternative name (dNSName or iPAddress); at least one
   * @return a PKCS#12 key store with the entry {@link #SERVER_ALIAS} (leaf and CA certificate),
   *     protected by the returned password
   * @throws IllegalArgumentException if {@code names} is empty or a name is blank
   */
  public ServerIdentity issueServerIdentity(Collection<String> names) {
    Set<String> sans = new LinkedHashSet<>();
    for (String n : requireNonNull(names, "names")) {
      String name = requireNonNull(n, "name").strip();
      if (name.startsWith("[") && name.endsWith("]")) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("names: expected host names or addresses, got a blank");
      }
      sans.add(name);
    }
    if (sans.isEmpty()) {
      throw new IllegalArgumentException("names: expected at least one host name or address");
    }
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      String first = sans.iterator().next();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              new X500Name("CN=" + commonName(first)),
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<GeneralName> general = new ArrayList<>();
      for (String s : sans) {
        general.add(
            isAddressLiteral(s)
                ? new GeneralName(GeneralName.iPAddress, s)
                : new GeneralName(GeneralName.dNSName, s));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(general.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(b, privateKey);
      char[] password = new char[24];
      for (int i = 0; i < password.length; i++) {
        password[i] = (char) ('a' + RANDOM.nextInt(26));
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          SERVER_ALIAS, keys.getPrivate(), password, new Certificate[] {leaf, certificate});
      return new ServerIdentity(store, password, leaf);
    } catch (GeneralSecurityException
        | IOException
        | OperatorCreationException
        | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null) {
        throw new IllegalArgumentException("names: cannot use " + sans + ": " + iae.getMessage());
      }
      throw new PushServiceException("cannot issue the push service's certificate: " + e, e);
    }
  }

  /**
   * A push service's TLS identity: a key store with its key and certificate chain.
   *
   * @param keyStore a PKCS#12 key store with one key entry
   * @param password the key store's and the key's password
   * @param certificate the leaf certificate
   */
  public record ServerIdentity(KeyStore keyStore, char[] password, X509Certificate certificate) {
    /**
     * Checks the parts.
     *
     * @param keyStore as on the record
     * @param password as on the record; copied
     * @param certificate as on the record
     */
    public ServerIdentity {
      requireNonNull(keyStore, "keyStore");
      password = requireNonNull(password, "password").clone();
      requireNonNull(certificate, "certificate");
    }

    /** {@return a copy of the password} */
    @Override
    public char[] password() {
      return password.clone();
    }

    /** The leaf's subject; never the password. */
    @Override
    public String toString() {
      return "ServerIdentity[" + certificate.getSubjectX500Principal().getName() + "]";
    }
  }

  /**
   * Reads the certificates of a PEM file (one or more {@code CERTIFICATE} blocks).
   *
   * @param file the file
   * @return the certificates, in file order, at least one
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no readable certificate
   */
  public static List<X509Certificate> readPem(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(requireNonNull(file, "file"));
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : f.generateCertificates(new ByteArrayInputStream(bytes))) {
        if (c instanceof X509Certificate x) {
          out.add(x);
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "file: expected PEM certificates, found none in " + file);
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "file: expected PEM certificates in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A TLS context that trusts the given certificates as anchors, optionally as well as the JVM's
   * default trust store.
   *
   * @param anchors the certificates to trust
   * @param withDefaults whether the JVM's default anchors are trusted too
   * @return an initialised context, protocol {@code TLS}
   * @throws PushServiceException if the JDK cannot build the context
   */
  public static SSLContext trusting(Collection<X509Certificate> anchors, boolean withDefaults) {
    requireNonNull(anchors, "anchors");
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      if (withDefaults) {
        TrustManagerFactory def =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        def.init((KeyStore) null);
        for (javax.net.ssl.TrustManager tm : def.getTrustManagers()) {
          if (tm instanceof javax.net.ssl.X509TrustManager x) {
            for (X509Certificate c : x.getAcceptedIssuers()) {
              trust.setCertificateEntry("default-" + i++, c);
            }
          }
        }
      }
      for (X509Certificate c : anchors) {
        trust.setCertificateEntry("anchor-" + i++, requireNonNull(c, "anchor"));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new PushServiceException("cannot build a TLS context: " + e, e);
    }
  }

  /** Builds the server-side TLS context of a key store. */
  static SSLContext serverContext(KeyStore keyStore, char[] password) {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new PushServiceException(
          "cannot use the key store for TLS (wrong password, or no key entry?): " + e.getMessage(),
          e);
    }
  }

  static String toPem(X509Certificate cert) {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new PushServiceException("cannot encode the certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The leaf's common name: the first name, or {@link #LONG_NAME_CN} when it is longer than RFC
   * 5280's upper bound for a common name (64 characters; a DNS name may have 253). Clients match
   * the subject alternative names, which carry every name in full.
   */
  private static String commonName(String first) {
    return first.length() <= MAX_COMMON_NAME
        ? first.replaceAll("[,+=\"\\\\<>;]", "_")
        : LONG_NAME_CN;
  }

  static boolean isAddressLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    for (String octet : host.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, CertificateException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  /** The CA's subject; never the key. */
  @Override
  public String toString() {
    return "KitCertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
