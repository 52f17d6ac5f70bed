package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushException;

/**
 * {@link PushEngine#register} refused a registration over one of the {@link RegistrationLimits};
 * nothing was stored.
 *
 * <p>Thread safety: immutable.
 */
public class RegistrationLimitException extends PushException {
  private static final long serialVersionUID = 1L;

  /** Which limit was reached. */
  public enum Limit {
    /** {@link RegistrationLimits#perPrincipal()}: answered {@code 507} + quota-not-exceeded. */
    PER_PRINCIPAL,
    /** {@link RegistrationLimits#perResource()}: answered {@code 507} + quota-not-exceeded. */
    PER_RESOURCE,
    /** {@link RegistrationLimits#pushResourceLength()}: answered {@code 413}. */
    PUSH_RESOURCE_LENGTH,
    /** {@link RegistrationLimits#propertiesPerTrigger()}: answered {@code 413}. */
    PROPERTIES_PER_TRIGGER
  }

  /** Which limit was reached; part of the serialized form. */
  private final Limit limit;

  /**
   * Creates the exception.
   *
   * @param limit which limit was reached
   * @param message what was refused and the limit's value; never a push resource URL
   */
  public RegistrationLimitException(Limit limit, String message) {
    super(message);
    this.limit = requireNonNull(limit, "limit");
  }

  /**
   * Which limit was reached.
   *
   * @return the limit
   */
  public Limit limit() {
    return limit;
  }

  /**
   * Whether a count (rather than a size) was reached: the server is out of room for this principal
   * or resource, not the request malformed.
   *
   * @return true for {@link Limit#PER_PRINCIPAL} and {@link Limit#PER_RESOURCE}
   */
  public boolean isQuota() {
    return limit == Limit.PER_PRINCIPAL || limit == Limit.PER_RESOURCE;
  }
}
