/**
 * The WebDAV-Push client API (draft-bitfire-webdav-push, client side).
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>{@link dev.davpush.client.DavPushClient}: discovery ({@code OPTIONS}, {@code PROPFIND} with
 *       depth 0 or 1), register, update, refresh (once, or on a schedule with jitter), change of
 *       push resource, unregister, re-registration after a VAPID key rotation.
 *   <li>{@link dev.davpush.client.PushDiscovery}: what a resource offers, including Apple and
 *       CalConnect push as {@link dev.davpush.client.AlternativePush}.
 *   <li>{@link dev.davpush.client.PushRegistration}: the registration the application keeps, with a
 *       stable storage string.
 *   <li>{@link dev.davpush.client.PushReceiver} and {@link dev.davpush.client.PushEvent}: decrypt,
 *       read and map a received message.
 *   <li>{@link dev.davpush.client.OwnWrites}: {@code Push-Dont-Notify} on the client's own writes.
 *   <li>{@link dev.davpush.client.PollingAdvisor}: when to poll, given the state of push.
 *   <li>{@link dev.davpush.client.PushWatcher}: register, refresh, deliver, unregister on close.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * Refused registrations are {@link dev.davpush.client.RegistrationRefusedException}s, one subclass
 * per precondition; every other failure is a {@link dev.davpush.client.DavPushClientException}.
 * What a server does against the draft that the client can work around is a {@link
 * dev.davpush.client.ServerDeviation}, never a failure.
 *
 * <p>Nothing in this package logs.
 */
@NullMarked
package dev.davpush.client;

import org.jspecify.annotations.NullMarked;
