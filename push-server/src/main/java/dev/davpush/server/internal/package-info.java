/**
 * Internals of the engine, not exported from the {@code dev.davpush} module: the in-memory {@link
 * dev.davpush.spi.SubscriptionStore}, the publish pipeline ({@code Dispatcher}: fan-out, filter,
 * coalesce, send, outcome), the retry policy and the registration-URL rules. Nothing here is API;
 * types may change in any release.
 */
@NullMarked
package dev.davpush.server.internal;

import org.jspecify.annotations.NullMarked;
