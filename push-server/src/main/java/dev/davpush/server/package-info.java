/**
 * The engine a DAV server embeds: {@link dev.davpush.server.PushEngine} answers discovery,
 * registers and unregisters subscriptions, and publishes changes to the registered push
 * subscriptions asynchronously. Internals live in {@code dev.davpush.server.internal}.
 */
@NullMarked
package dev.davpush.server;

import org.jspecify.annotations.NullMarked;
