package dev.davpush.testkit.internal.scenario;

/**
 * Something a scenario needs from the kit's configuration beyond the target collection.
 *
 * <p>Thread safety: immutable.
 */
public enum Need {
  /** A second user with write access to the target ({@code --second-user}). */
  SECOND_USER("a second user (--second-user and --second-password-env)");

  private final String describe;

  Need(String describe) {
    this.describe = describe;
  }

  /** {@return what to configure, for a NOT_TESTED reason} */
  public String describe() {
    return describe;
  }
}
