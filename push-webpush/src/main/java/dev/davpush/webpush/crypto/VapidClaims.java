package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

import dev.davpush.P256PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The verified content of a VAPID {@code Authorization} header (RFC 8292 §2, §3): the JWT claims
 * and the signing key {@code k}. Only {@link Vapid#verify} and {@link Vapid#verifySignature} create
 * instances, after the ES256 signature checked out against {@code k}.
 *
 * <p>Thread safety: immutable.
 */
public final class VapidClaims {
  private final String audience;
  private final Instant expiry;
  private final @Nullable String subject;
  private final P256PublicKey publicKey;

  VapidClaims(String audience, Instant expiry, @Nullable String subject, P256PublicKey publicKey) {
    this.audience = requireNonNull(audience, "audience");
    this.expiry = requireNonNull(expiry, "expiry");
    this.subject = subject;
    this.publicKey = requireNonNull(publicKey, "publicKey");
  }

  /**
   * The {@code aud} claim: the origin the token is meant for, e.g. {@code
   * https://push.example.net}.
   *
   * @return the claim as sent
   */
  public String audience() {
    return audience;
  }

  /**
   * The {@code exp} claim.
   *
   * @return the expiry, whole seconds
   */
  public Instant expiry() {
    return expiry;
  }

  /**
   * The {@code sub} claim, a contact URI.
   *
   * @return empty if the token has none
   */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /**
   * The signing key from the {@code k} parameter, against which the signature verified.
   *
   * @return the 65-octet uncompressed P-256 key
   */
  public P256PublicKey publicKey() {
    return publicKey;
  }

  /**
   * Whether the token has expired at a time ({@code now > exp}).
   *
   * @param now the time of the request
   * @return true if expired
   */
  public boolean isExpiredAt(Instant now) {
    return now.isAfter(expiry);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VapidClaims c
        && audience.equals(c.audience)
        && expiry.equals(c.expiry)
        && Objects.equals(subject, c.subject)
        && publicKey.equals(c.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(audience, expiry, subject, publicKey);
  }

  @Override
  public String toString() {
    return "VapidClaims[aud="
        + audience
        + ", exp="
        + expiry
        + ", sub="
        + subject
        + ", k="
        + publicKey
        + "]";
  }
}
