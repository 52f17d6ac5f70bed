package dev.davpush.spi;

import dev.davpush.PushException;

/**
 * A {@link DeliveryQueue} is at capacity: the offered delivery was not added. The engine counts it
 * as dropped and logs it; an application that sees it (through the engine's statistics) should
 * raise the capacity or add sending capacity.
 *
 * <p>Thread safety: immutable.
 */
public class DeliveryQueueFullException extends PushException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param capacity the queue's capacity, in deliveries
   */
  public DeliveryQueueFullException(int capacity) {
    super(
        "the delivery queue is full (capacity "
            + capacity
            + " deliveries); raise the capacity, add sending capacity, or publish less often");
  }
}
