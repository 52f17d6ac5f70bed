/**
 * Immutable value types of WebDAV-Push (draft-bitfire-webdav-push), named as the draft names them:
 * {@link dev.davpush.Topic}, {@link dev.davpush.Depth}, {@link dev.davpush.Trigger}, {@link
 * dev.davpush.SupportedTriggers}, {@link dev.davpush.PushMessage}, {@link
 * dev.davpush.WebPushSubscription}, {@link dev.davpush.RegisterRequest}, {@link
 * dev.davpush.Registration}, and the unchecked exception hierarchy rooted at {@link
 * dev.davpush.PushException}.
 *
 * <p>Values validate in their factories and constructors: misuse gives {@link
 * java.lang.NullPointerException} or {@link java.lang.IllegalArgumentException} naming the
 * parameter. Secrets ({@link dev.davpush.AuthSecret}, {@link dev.davpush.PushResource}) print as
 * {@code [redacted]}.
 */
@NullMarked
package dev.davpush;

import org.jspecify.annotations.NullMarked;
