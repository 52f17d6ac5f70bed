package dev.davpush.testkit.cli;

import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import dev.davpush.testkit.reference.ReferenceServer;
import dev.davpush.testkit.runner.RunnerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line's reach options turned into the push service's configuration: scheme, bind
 * address, advertised URL, and the CA or key store HTTPS is served with; and the embedded reference
 * server that a run without {@code --target} checks (HTTPS-only push resources and the kit's CA
 * trusted when the push service speaks HTTPS).
 *
 * <p>Thread safety: confined to the command's thread.
 */
final class PushServiceSetup {
  private final boolean https;
  private final @Nullable InetSocketAddress bind;
  private final @Nullable URI url;
  private final @Nullable KitCertificateAuthority ca;
  private final KitCertificateAuthority.@Nullable ServerIdentity identity;

  private PushServiceSetup(
      boolean https,
      @Nullable InetSocketAddress bind,
      @Nullable URI url,
      @Nullable KitCertificateAuthority ca,
      KitCertificateAuthority.@Nullable ServerIdentity identity) {
    this.https = https;
    this.bind = bind;
    this.url = url;
    this.ca = ca;
    this.identity = identity;
  }

  /**
   * Reads and checks the options; loads, generates, saves and writes the CA as asked.
   *
   * @throws IllegalArgumentException for a usage error, with the message to print
   * @throws IOException if a file cannot be read or written
   */
  static PushServiceSetup from(Main m, PrintWriter out) throws IOException {
    URI url = m.pushServiceUrl == null ? null : url(m.pushServiceUrl);
    InetSocketAddress bind = m.pushServiceBind == null ? null : bind(m.pushServiceBind);
    String scheme = m.pushService == null ? null : m.pushService.trim().toLowerCase(Locale.ROOT);
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "--push-service: expected http or https, got " + m.pushService);
    }
    boolean tlsOption = m.caOut != null || m.caStore != null || m.pushServiceKeystore != null;
    boolean urlHttps = url != null && url.getScheme().equalsIgnoreCase("https");
    boolean https = scheme != null ? scheme.equals("https") : (urlHttps || tlsOption);
    if (!https && (tlsOption || urlHttps)) {
      throw new IllegalArgumentException(
          "--push-service http does not go with "
              + (urlHttps
                  ? "an https --push-service-url"
                  : "--ca-out, --ca-store or --push-service-keystore"));
    }
    if (https && url != null && !urlHttps) {
      throw new IllegalArgumentException(
          "--push-service-url "
              + url
              + " is http, but the push service speaks HTTPS: use https://");
    }
    if (m.pushServiceKeystore != null && (m.caOut != null || m.caStore != null)) {
      throw new IllegalArgumentException(
          "--push-service-keystore serves your own certificate: it does not go with --ca-out or"
              + " --ca-store");
    }
    if ((m.caStore == null) != (m.caStorePasswordEnv == null)) {
      throw new IllegalArgumentException("--ca-store and --ca-store-password-env go together");
    }
    if ((m.pushServiceKeystore == null) != (m.pushServiceKeystorePasswordEnv == null)) {
      throw new IllegalArgumentException(
          "--push-service-keystore and --push-service-keystore-password-env go together");
    }
    if (!https) {
      return new PushServiceSetup(false, bind, url, null, null);
    }
    if (m.pushServiceKeystore != null && m.pushServiceKeystorePasswordEnv != null) {
      char[] password = password(m.pushServiceKeystorePasswordEnv);
      return new PushServiceSetup(true, bind, url, null, identity(m.pushServiceKeystore, password));
    }
    KitCertificateAuthority ca;
    if (m.caStore != null && m.caStorePasswordEnv != null) {
      char[] password = password(m.caStorePasswordEnv);
      if (Files.exists(m.caStore)) {
        ca = KitCertificateAuthority.load(m.caStore, password);
        out.println("push service CA: loaded from " + m.caStore.toAbsolutePath());
      } else {
        ca = KitCertificateAuthority.generate();
        ca.save(m.caStore, password);
        out.println("push service CA: generated and saved to " + m.caStore.toAbsolutePath());
      }
    } else {
      ca = KitCertificateAuthority.generate();
    }
    if (m.caOut != null) {
      ca.writePem(m.caOut);
      out.println(
          "push service CA certificate (PEM) written to "
              + m.caOut.toAbsolutePath()
              + ": the server under test must trust it");
    }
    return new PushServiceSetup(true, bind, url, ca, null);
  }

  /** Configures the runner's push service. */
  void apply(RunnerOptions.Builder options) {
    if (bind != null) {
      options.pushServiceBind(bind);
    }
    if (url != null) {
      options.pushServiceUrl(url);
    }
    if (ca != null) {
      options.pushServiceHttps(ca);
    } else if (identity != null) {
      options.pushServiceHttps(identity);
    }
  }

  /**
   * The embedded reference server for a run without {@code --target}: over HTTPS it accepts HTTPS
   * push resources only and trusts the push service's CA, as a deployed server should.
   */
  ReferenceServer.Builder referenceServer() {
    ReferenceServer.Builder b = ReferenceServer.builder();
    if (https) {
      b.pushResources(ReferenceServer.PushResources.HTTPS_ONLY);
      if (ca != null) {
        b.trust(ca.certificate());
      } else if (identity != null) {
        b.trust(anchorOf(identity));
      }
    }
    return b;
  }

  private static X509Certificate anchorOf(KitCertificateAuthority.ServerIdentity identity) {
    try {
      KeyStore store = identity.keyStore();
      Enumeration<String> aliases = store.aliases();
      while (aliases.hasMoreElements()) {
        Certificate[] chain = store.getCertificateChain(aliases.nextElement());
        if (chain != null && chain.length > 0) {
          return (X509Certificate) chain[chain.length - 1];
        }
      }
    } catch (GeneralSecurityException e) {
      // fall through to the leaf
    }
    return identity.certificate();
  }

  private static URI url(String raw) {
    try {
      URI u = new URI(raw.trim());
      RunnerOptions.builder(URI.create("http://127.0.0.1/")).pushServiceUrl(u); // validates
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--push-service-url is not a URL: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--push-service-url: " + e.getMessage());
    }
  }

  /** Parses {@code ADDR}, {@code ADDR:PORT}, {@code [V6]}, {@code [V6]:PORT} or a bare IPv6. */
  static InetSocketAddress bind(String raw) {
    String s = raw.trim();
    String host;
    int port = 0;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("--push-service-bind: unclosed [ in " + raw);
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException(
              "--push-service-bind: expected [ADDR]:PORT, got " + raw);
        }
        port = port(rest.substring(1), raw);
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = port(s.substring(s.indexOf(':') + 1), raw);
    } else {
      host = s;
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--push-service-bind: no address in " + raw);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--push-service-bind: unknown address " + host);
    }
  }

  private static int port(String text, String raw) {
    try {
      int p = Integer.parseInt(text);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--push-service-bind: expected a port 0..65535, got '" + text + "' in " + raw);
    }
  }

  private static char[] password(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + variable + " is not set");
    }
    return value.toCharArray();
  }

  private static KitCertificateAuthority.ServerIdentity identity(Path file, char[] password)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      Enumeration<String> aliases = store.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (store.isKeyEntry(alias)) {
          Certificate[] chain = store.getCertificateChain(alias);
          if (chain != null
              && chain.length > 0
              && chain[0] instanceof X509Certificate
              && chain[chain.length - 1] instanceof X509Certificate) {
            return new KitCertificateAuthority.ServerIdentity(
                store, password, (X509Certificate) chain[0]);
          }
        }
      }
      throw new IllegalArgumentException(
          "--push-service-keystore " + file + ": no key entry with a certificate chain");
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the key store " + file + " (wrong password?): " + e.getMessage(), e);
    }
  }
}
