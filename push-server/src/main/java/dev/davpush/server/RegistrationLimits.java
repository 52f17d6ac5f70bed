package dev.davpush.server;

/**
 * Caps on what one principal can make the engine hold, so that one user cannot exhaust the server
 * (architecture, "Security"). {@link PushEngine#register} refuses a registration over a cap with a
 * {@link RegistrationLimitException} and stores nothing; {@link PushRequestHandler} answers it with
 * {@code 507} (counts) or {@code 413} (sizes) and a {@code DAV:error} body.
 *
 * <p>Thread safety: immutable.
 */
public final class RegistrationLimits {
  /** Default {@link #perPrincipal()}: 1,000 registrations (e.g. 300 collections on 3 devices). */
  public static final int DEFAULT_PER_PRINCIPAL = 1_000;

  /** Default {@link #perResource()}: 10,000 registrations on one resource. */
  public static final int DEFAULT_PER_RESOURCE = 10_000;

  /**
   * Default {@link #pushResourceLength()}: 2,048 characters (deployed push services use 100 to
   * 500).
   */
  public static final int DEFAULT_PUSH_RESOURCE_LENGTH = 2_048;

  /** Default {@link #propertiesPerTrigger()}: 64 property names in one property-update trigger. */
  public static final int DEFAULT_PROPERTIES_PER_TRIGGER = 64;

  private static final RegistrationLimits DEFAULTS = builder().build();

  private final int perPrincipal;
  private final int perResource;
  private final int pushResourceLength;
  private final int propertiesPerTrigger;

  private RegistrationLimits(Builder b) {
    this.perPrincipal = b.perPrincipal;
    this.perResource = b.perResource;
    this.pushResourceLength = b.pushResourceLength;
    this.propertiesPerTrigger = b.propertiesPerTrigger;
  }

  /**
   * The documented defaults.
   *
   * @return the default limits
   */
  public static RegistrationLimits defaults() {
    return DEFAULTS;
  }

  /**
   * A new builder with the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registrations one principal may hold (expired ones until swept included).
   *
   * @return ≥ 1
   */
  public int perPrincipal() {
    return perPrincipal;
  }

  /**
   * Registrations one resource may have.
   *
   * @return ≥ 1
   */
  public int perResource() {
    return perResource;
  }

  /**
   * The longest subscription id (for Web Push: the push resource URL), in characters.
   *
   * @return ≥ 1
   */
  public int pushResourceLength() {
    return pushResourceLength;
  }

  /**
   * The most property names in one property-update trigger.
   *
   * @return ≥ 0
   */
  public int propertiesPerTrigger() {
    return propertiesPerTrigger;
  }

  @Override
  public String toString() {
    return "RegistrationLimits[perPrincipal="
        + perPrincipal
        + ", perResource="
        + perResource
        + ", pushResourceLength="
        + pushResourceLength
        + ", propertiesPerTrigger="
        + propertiesPerTrigger
        + "]";
  }

  /**
   * Builds {@link RegistrationLimits}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private int perPrincipal = DEFAULT_PER_PRINCIPAL;
    private int perResource = DEFAULT_PER_RESOURCE;
    private int pushResourceLength = DEFAULT_PUSH_RESOURCE_LENGTH;
    private int propertiesPerTrigger = DEFAULT_PROPERTIES_PER_TRIGGER;

    private Builder() {}

    /**
     * Sets the registrations one principal may hold; default {@link #DEFAULT_PER_PRINCIPAL}.
     *
     * @param n ≥ 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder perPrincipal(int n) {
      this.perPrincipal = atLeast(n, 1, "perPrincipal");
      return this;
    }

    /**
     * Sets the registrations one resource may have; default {@link #DEFAULT_PER_RESOURCE}.
     *
     * @param n ≥ 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder perResource(int n) {
      this.perResource = atLeast(n, 1, "perResource");
      return this;
    }

    /**
     * Sets the longest push resource URL; default {@link #DEFAULT_PUSH_RESOURCE_LENGTH}.
     *
     * @param characters ≥ 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder pushResourceLength(int characters) {
      this.pushResourceLength = atLeast(characters, 1, "pushResourceLength");
      return this;
    }

    /**
     * Sets the most property names per trigger; default {@link #DEFAULT_PROPERTIES_PER_TRIGGER}.
     *
     * @param n ≥ 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder propertiesPerTrigger(int n) {
      this.propertiesPerTrigger = atLeast(n, 0, "propertiesPerTrigger");
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public RegistrationLimits build() {
      return new RegistrationLimits(this);
    }

    private static int atLeast(int n, int min, String name) {
      if (n < min) {
        throw new IllegalArgumentException(name + ": expected >= " + min + ", got " + n);
      }
      return n;
    }
  }
}
