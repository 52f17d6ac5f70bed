package dev.davpush.client;

import dev.davpush.Precondition;
import dev.davpush.PreconditionException;

/**
 * The server refused a registration with {@code 403} and a WebDAV-Push precondition in its {@code
 * DAV:error} body (draft-bitfire-webdav-push §3.1.3, R-WDP-24). Each precondition has its own
 * subclass, so that an application can catch the one it handles: {@link
 * InvalidSubscriptionException}, {@link PushNotAvailableException}, {@link
 * NoSupportedTriggerException}. {@link #precondition()} names it too.
 *
 * <p>No registration exists after this exception (the client keeps no state for it).
 *
 * <p>Thread safety: immutable.
 */
public abstract sealed class RegistrationRefusedException extends PreconditionException
    permits InvalidSubscriptionException, PushNotAvailableException, NoSupportedTriggerException {
  private static final long serialVersionUID = 1L;

  RegistrationRefusedException(Precondition precondition, String message) {
    super(precondition, message);
  }

  static RegistrationRefusedException of(Precondition p, String where) {
    return switch (p) {
      case INVALID_SUBSCRIPTION ->
          new InvalidSubscriptionException(
              where
                  + ": 403 invalid-subscription: the server found no valid subscription in the request;"
                  + " check the push resource (absolute https URL), the p256dh key and the auth secret");
      case PUSH_NOT_AVAILABLE ->
          new PushNotAvailableException(
              where
                  + ": 403 push-not-available: push is not offered on this resource or not to this"
                  + " user; poll instead");
      case NO_SUPPORTED_TRIGGER ->
          new NoSupportedTriggerException(
              where
                  + ": 403 no-supported-trigger: the server supports none of the requested triggers;"
                  + " request one of the resource's supported-triggers");
    };
  }
}
