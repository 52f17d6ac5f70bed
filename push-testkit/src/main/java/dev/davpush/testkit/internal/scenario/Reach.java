package dev.davpush.testkit.internal.scenario;

import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.TlsHandshakeFailure;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tells a target the kit cannot reach apart from a target that breaks a requirement: when the
 * server refuses the kit's push resource for a reason the kit's configuration causes (plain HTTP, a
 * loopback or private address) or its push requests fail the TLS handshake on the kit's
 * certificate, the run stops with a {@link dev.davpush.testkit.runner.TargetException} that says
 * what to configure, instead of reporting R-WDP-24 or R-WDP-34 as failed ({@code
 * docs/kit-reach.md}).
 *
 * <p>Thread safety: stateless.
 */
final class Reach {
  /** The refusals of a valid registration that may mean "not this push resource". */
  static final List<Integer> REFUSALS = List.of(400, 403, 422);

  /** How to switch to HTTPS, in CLI and JUnit terms. */
  static final String CONFIGURE_HTTPS =
      "run the kit's push service over HTTPS (--push-service https; KitTarget.pushServiceHttps(ca))"
          + " and make the server trust the kit's CA: write it with --ca-out FILE, keep it across"
          + " runs with --ca-store FILE (KitCertificateAuthority.writePem/save)";

  /** How to leave loopback and private addresses, in CLI and JUnit terms. */
  static final String CONFIGURE_NAME =
      "advertise the push service under a host name the server accepts and can reach:"
          + " --push-service-url https://HOST[:PORT], and --push-service-bind ADDR[:PORT] if it"
          + " must listen elsewhere (KitTarget.pushServiceUrl/pushServiceBind)";

  static final String CONFIGURE_TRUST =
      "make the server trust the kit's CA: write it with --ca-out FILE and add it to the server's"
          + " trust store (keep the same CA across runs with --ca-store FILE), or serve a"
          + " certificate the server already trusts with --push-service-keystore FILE; the"
          + " certificate names the --push-service-url host";

  /** Why R-WDP-64 and R-8030-1 are not judged over plain HTTP. */
  static final String PLAIN_HTTP_REASON =
      "the kit's push service speaks plain HTTP in this run, so transport security is not"
          + " observable; run with --push-service https (KitTarget.pushServiceHttps) and a CA the"
          + " server trusts";

  private Reach() {}

  /**
   * The problem with the push service's own address, if any: plain HTTP, or a loopback, private or
   * link-local host.
   *
   * @param service the kit's push service
   * @return e.g. {@code "plain HTTP on a loopback address"}; empty for HTTPS under a public name
   */
  static Optional<String> unfitPushResource(EmbeddedPushService service) {
    URI base = service.baseUri();
    boolean http = !service.isHttps();
    String where = hostProblem(base.getHost());
    if (!http && where == null) {
      return Optional.empty();
    }
    return Optional.of((http ? "plain HTTP" : "HTTPS") + (where == null ? "" : " on " + where));
  }

  /** What to configure for the push service's problem: HTTPS, a host name, or both. */
  static String whatToConfigure(EmbeddedPushService service) {
    boolean http = !service.isHttps();
    boolean host = hostProblem(service.baseUri().getHost()) != null;
    if (http && host) {
      return CONFIGURE_HTTPS
          + "; if the server also refuses loopback or private addresses, "
          + CONFIGURE_NAME;
    }
    return http ? CONFIGURE_HTTPS : CONFIGURE_NAME;
  }

  private static @Nullable String hostProblem(String rawHost) {
    String h = rawHost.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return "a loopback name";
    }
    boolean literal = h.indexOf(':') >= 0 || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!literal) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByName(h); // a literal: no lookup
      if (a.isLoopbackAddress()) {
        return "a loopback address";
      }
      if (a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
        return "a private address";
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * The explanation for a refused valid registration, when the refusal may be about the kit's push
   * resource: a 400, 403 or 422 while that push resource is plain HTTP or on a loopback or private
   * address.
   *
   * @param service the kit's push service
   * @param refusal the answer to the registration
   * @param hint the answer's body hint
   * @return the message for the run's stop; empty if the refusal must be judged (R-WDP-24)
   */
  static Optional<String> refusedRegistration(
      EmbeddedPushService service, HttpResult refusal, String hint) {
    if (!REFUSALS.contains(refusal.status())) {
      return Optional.empty();
    }
    return unfitPushResource(service)
        .map(
            problem ->
                "the server refused the kit's registration ("
                    + refusal.evidence()
                    + hint
                    + ") of a push resource under "
                    + service.origin()
                    + ", that is "
                    + problem
                    + ". A server that follows R-WDP-64 refuses plain-HTTP push resources, and"
                    + " many refuse loopback or private addresses (SSRF rules): this is no"
                    + " conformance failure, the kit cannot check this server as configured. To"
                    + " fix: "
                    + whatToConfigure(service));
  }

  /**
   * The explanation for a push that never came, when the HTTPS push service saw the server's
   * handshakes fail on its certificate since {@code before} failures.
   *
   * @param service the kit's push service
   * @param before how many TLS failures the service had seen before the change
   * @return the message; empty if no certificate was rejected
   */
  static Optional<String> untrustedCertificate(EmbeddedPushService service, int before) {
    if (!service.isHttps()) {
      return Optional.empty();
    }
    List<TlsHandshakeFailure> all = service.tlsHandshakeFailures();
    List<TlsHandshakeFailure> rejected =
        all.subList(Math.min(before, all.size()), all.size()).stream()
            .filter(f -> f.kind() == TlsHandshakeFailure.Kind.CERTIFICATE_REJECTED)
            .toList();
    if (rejected.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "no push message arrived: "
            + rejected.size()
            + (rejected.size() == 1 ? " connection" : " connections")
            + " to the kit's HTTPS push service ("
            + service.origin()
            + ") failed in the TLS handshake because the server did not accept the kit's"
            + " certificate ("
            + rejected.get(0).detail()
            + "). This is no conformance failure; to fix: "
            + CONFIGURE_TRUST);
  }

  /**
   * A hint for R-WDP-34's evidence when no request at all reached a push service whose address a
   * server may refuse only when sending.
   *
   * @param service the kit's push service
   * @return the hint, starting with "; ", or empty
   */
  static String silentRefusalHint(EmbeddedPushService service) {
    return unfitPushResource(service)
        .map(
            problem ->
                "; no request at all reached the kit's push service ("
                    + problem
                    + "): if the server refuses such push resources only when sending, "
                    + whatToConfigure(service))
        .orElse("");
  }
}
