package dev.davpush;

import java.util.List;

/**
 * The WebDAV-Push preconditions a server reports inside {@code DAV:error} with status 403
 * (draft-bitfire-webdav-push §3.1.3, requirement R-WDP-24).
 *
 * <p>The draft's prose and its schema disagree on the name of the trigger precondition (digest
 * ambiguity A-1): {@link #elementNames()} lists every spelling; writers emit the first two, readers
 * accept all.
 *
 * <p>Thread safety: immutable.
 */
public enum Precondition {
  /** The request carried no valid {@code subscription}. */
  INVALID_SUBSCRIPTION(List.of("invalid-subscription")),
  /** Push is not available on this resource, or the user may not register. */
  PUSH_NOT_AVAILABLE(List.of("push-not-available")),
  /** No trigger was requested, or every requested trigger is unsupported. */
  NO_SUPPORTED_TRIGGER(
      List.of("no-supported-trigger", "no-trigger-supported", "trigger-not-supported"));

  private final List<String> elementNames;

  Precondition(List<String> elementNames) {
    this.elementNames = elementNames;
  }

  /**
   * The local names of the precondition element in the WebDAV-Push namespace.
   *
   * @return the current prose spelling first, then the schema spelling, then historical ones; never
   *     empty
   */
  public List<String> elementNames() {
    return elementNames;
  }

  /**
   * The spellings a server writes: the current draft's prose and schema names.
   *
   * @return one or two local names
   */
  public List<String> writtenNames() {
    return this == NO_SUPPORTED_TRIGGER ? elementNames.subList(0, 2) : elementNames;
  }
}
