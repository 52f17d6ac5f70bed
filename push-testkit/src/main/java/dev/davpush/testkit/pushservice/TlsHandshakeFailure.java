package dev.davpush.testkit.pushservice;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A connection to an HTTPS {@link EmbeddedPushService} that never became a request: what the push
 * service saw of a client that did not trust its certificate, or that spoke plain HTTP to its TLS
 * port. The service observes its own side of each handshake; it does not guess.
 *
 * @param at when the failure was seen
 * @param kind what failed
 * @param detail the JDK's description (for example {@code Received fatal alert:
 *     certificate_unknown}); never a secret: handshakes carry no push resource
 *     <p>Thread safety: immutable.
 */
public record TlsHandshakeFailure(Instant at, Kind kind, String detail) {
  /** What the push service saw. */
  public enum Kind {
    /**
     * The client sent a fatal TLS alert about the certificate ({@code certificate_unknown}, {@code
     * unknown_ca}, {@code bad_certificate}, {@code certificate_expired}, …): it does not trust the
     * push service's certificate.
     */
    CERTIFICATE_REJECTED,
    /**
     * The first bytes on the TLS port were an HTTP request line (an ASCII letter where a TLS record
     * starts with {@code 0x16}): the client sent plain HTTP.
     */
    PLAINTEXT_HTTP,
    /** Any other handshake failure (no common protocol or cipher, a reset, …). */
    OTHER
  }

  /**
   * Checks the parts.
   *
   * @param at as on the record
   * @param kind as on the record
   * @param detail as on the record
   */
  public TlsHandshakeFailure {
    requireNonNull(at, "at");
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
  }
}
