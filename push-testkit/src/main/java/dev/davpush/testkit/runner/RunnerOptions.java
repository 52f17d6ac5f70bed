package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the runner checks and how long it waits.
 *
 * <p>Thread safety: immutable.
 */
public final class RunnerOptions {
  /** Default time to wait for an expected push message: 30 seconds. */
  public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(30);

  /** Default time to watch for an unexpected push message: 3 seconds. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(3);

  private final URI target;
  private final @Nullable String user;
  private final @Nullable String password;
  private final @Nullable String secondUser;
  private final @Nullable String secondPassword;
  private final Duration pushTimeout;
  private final Duration quietPeriod;

  private RunnerOptions(Builder b) {
    this.target = b.target;
    this.user = b.user;
    this.password = b.password;
    this.secondUser = b.secondUser;
    this.secondPassword = b.secondPassword;
    this.pushTimeout = b.pushTimeout;
    this.quietPeriod = b.quietPeriod;
  }

  /**
   * A builder for a target collection.
   *
   * @param target the absolute URL of a push-capable collection, used as given
   * @return a builder with the defaults
   * @throws IllegalArgumentException if the URL is not absolute http(s)
   */
  public static Builder builder(URI target) {
    return new Builder(target);
  }

  /** {@return the target collection URL, as given} */
  public URI target() {
    return target;
  }

  /** {@return the Basic user name, if any} */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** {@return the Basic password, if any; a secret} */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * A second user's name, for the checks that registrations are bound to their user (R-WDP-62).
   *
   * @return empty if none was given; those checks are then not made
   */
  public Optional<String> secondUser() {
    return Optional.ofNullable(secondUser);
  }

  /**
   * The second user's password; a secret.
   *
   * @return empty if none was given
   */
  public Optional<String> secondPassword() {
    return Optional.ofNullable(secondPassword);
  }

  /** {@return how long to wait for an expected push message} */
  public Duration pushTimeout() {
    return pushTimeout;
  }

  /** {@return how long to watch for an unexpected push message} */
  public Duration quietPeriod() {
    return quietPeriod;
  }

  /**
   * Builds {@link RunnerOptions}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private final URI target;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable String secondUser;
    private @Nullable String secondPassword;
    private Duration pushTimeout = DEFAULT_PUSH_TIMEOUT;
    private Duration quietPeriod = DEFAULT_QUIET_PERIOD;

    private Builder(URI target) {
      requireNonNull(target, "target");
      String scheme = target.getScheme();
      if (!target.isAbsolute()
          || target.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new IllegalArgumentException(
            "target: expected an absolute http(s) URL of a collection, got '" + target + "'");
      }
      this.target = target;
    }

    /**
     * Sets HTTP Basic credentials.
     *
     * @param user the user name
     * @param password the password
     * @return this builder
     */
    public Builder credentials(String user, String password) {
      this.user = requireNonNull(user, "user");
      this.password = requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the HTTP Basic credentials of a second user with write access to the target, for the
     * R-WDP-62 checks: that user may neither delete the first user's registration nor suppress its
     * notifications with {@code Push-Dont-Notify}.
     *
     * @param user the second user's name
     * @param password the second user's password
     * @return this builder
     */
    public Builder secondCredentials(String user, String password) {
      this.secondUser = requireNonNull(user, "user");
      this.secondPassword = requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the time to wait for an expected push message; default {@link
     * RunnerOptions#DEFAULT_PUSH_TIMEOUT}.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder pushTimeout(Duration timeout) {
      this.pushTimeout = positive(timeout, "pushTimeout");
      return this;
    }

    /**
     * Sets the time to watch for an unexpected push message; default {@link
     * RunnerOptions#DEFAULT_QUIET_PERIOD}.
     *
     * @param quiet positive
     * @return this builder
     */
    public Builder quietPeriod(Duration quiet) {
      this.quietPeriod = positive(quiet, "quietPeriod");
      return this;
    }

    /** {@return the options} */
    public RunnerOptions build() {
      return new RunnerOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected a positive duration, got " + d);
      }
      return d;
    }
  }
}
