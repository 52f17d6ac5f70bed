package dev.davpush.webpush.crypto;

import static java.util.Objects.requireNonNull;

/**
 * A VAPID token whose signature is valid but whose time claims refuse it at the time of the check:
 * expired ({@code now > exp}) or valid for more than 24 hours ahead (RFC 8292 §2, R-8292-12). A
 * push service answers such a request with {@code 403}; the application server must sign a new
 * token.
 *
 * <p>Thread safety: immutable.
 */
public final class ExpiredVapidTokenException extends PushCryptoException {
  private static final long serialVersionUID = 1L;

  private final transient VapidClaims claims;

  ExpiredVapidTokenException(String message, VapidClaims claims) {
    super(message);
    this.claims = requireNonNull(claims, "claims");
  }

  /**
   * The verified claims of the refused token.
   *
   * @return the claims, signature already checked
   */
  public VapidClaims claims() {
    return claims;
  }
}
