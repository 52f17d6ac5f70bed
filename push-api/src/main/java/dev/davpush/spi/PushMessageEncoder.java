package dev.davpush.spi;

import dev.davpush.PushMessage;

/**
 * Serialises a {@link PushMessage} into the bytes a transport sends: for WebDAV-Push, the {@code
 * push-message} XML document in UTF-8 ({@code dev.davpush.xml} provides it).
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface PushMessageEncoder {
  /**
   * Encodes a message.
   *
   * @param message the message
   * @return the payload bytes; the caller does not modify them
   */
  byte[] encode(PushMessage message);
}
