package dev.davpush.server;

/**
 * What one {@link PushEngine#publish} did, once every delivery it started has an outcome.
 *
 * @param matched registrations whose topic and trigger matched the change
 * @param suppressed of those, skipped because of {@code Push-Dont-Notify}, expiry, or because the
 *     owner may no longer subscribe to the resource
 * @param delivered push messages the push service accepted
 * @param gone push messages answered 404/410, whose subscriptions were removed
 * @param failed push messages rejected, given up after retries until their TTL, or dropped because
 *     the delivery queue was full
 * @param undelivered push messages still without an outcome when the engine closed, handed back by
 *     {@link PushEngine#shutdown} (or left in a durable queue)
 *     <p>A message merged by coalescing into another change's message counts for every change it
 *     carries.
 *     <p>Thread safety: immutable.
 */
public record PublishResult(
    int matched, int suppressed, int delivered, int gone, int failed, int undelivered) {}
