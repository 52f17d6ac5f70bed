/**
 * What others implement: {@link dev.davpush.spi.PushTransport} (found through {@link
 * dev.davpush.spi.PushTransportProvider} and {@link java.util.ServiceLoader}), {@link
 * dev.davpush.spi.SubscriptionStore} (an in-memory one ships), the DAV server's view {@link
 * dev.davpush.spi.DavResources}, and {@link dev.davpush.spi.PushMessageEncoder}.
 *
 * <p>Contract for transports: every answer of a push service is a {@link
 * dev.davpush.spi.DeliveryResult}; only "no answer could be obtained" completes the stage
 * exceptionally, with a {@link dev.davpush.DeliveryException}.
 */
@NullMarked
package dev.davpush.spi;

import org.jspecify.annotations.NullMarked;
