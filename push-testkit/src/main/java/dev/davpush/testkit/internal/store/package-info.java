/**
 * Building blocks for wrapping a {@link dev.davpush.spi.SubscriptionStore}: a store that forwards
 * every call, the base of the reference server's planted store faults and of the broken stores the
 * kit's own tests plant. Internal, not exported.
 */
@NullMarked
package dev.davpush.testkit.internal.store;

import org.jspecify.annotations.NullMarked;
