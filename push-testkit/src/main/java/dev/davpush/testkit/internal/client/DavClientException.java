package dev.davpush.testkit.internal.client;

import dev.davpush.PushException;

/** No HTTP answer could be obtained from the DAV server (unreachable, timeout, interrupted). */
public final class DavClientException extends PushException {
  private static final long serialVersionUID = 1L;

  DavClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
