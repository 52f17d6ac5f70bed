package dev.davpush.server;

/**
 * Counters of one {@link PushEngine} since it was built, and its current load: what an operator
 * graphs and alerts on. Every message the engine could not deliver appears in one of the counters
 * (and in a log line).
 *
 * @param changesPublished changes accepted by {@link PushEngine#publish}
 * @param changesRefused changes refused because too many were waiting for fan-out ({@link
 *     PushOverloadedException})
 * @param deliveriesQueued messages handed to the delivery queue (a message merged into a waiting
 *     one counts again)
 * @param deliveriesDropped messages the delivery queue refused because it was full
 * @param delivered messages a push service accepted (2xx)
 * @param gone messages answered 404/410; their push resources' registrations were removed
 * @param retries attempts that will be made again later (429, 5xx, no answer)
 * @param givenUp messages given up: rejected, or TTL over before the next attempt
 * @param removedAfterGracePeriod registrations removed because their push resource kept failing for
 *     longer than the grace period (R-WDP-45)
 * @param handedBack messages handed back at shutdown without an outcome
 * @param storeFailures deliveries put back into the queue because the subscription store failed
 *     while they were prepared (each tried again after the retry policy's initial backoff, and
 *     given up, counted in {@code givenUp}, only once its TTL is over); logged at WARN
 * @param inFlight attempts waiting for a push service's answer now
 * @param waiting messages in the delivery queue now: waiting, in line for a busy push service, or
 *     in flight; -1 if the queue could not say
 *     <p>Thread safety: immutable.
 */
public record EngineStatistics(
    long changesPublished,
    long changesRefused,
    long deliveriesQueued,
    long deliveriesDropped,
    long delivered,
    long gone,
    long retries,
    long givenUp,
    long removedAfterGracePeriod,
    long handedBack,
    long storeFailures,
    int inFlight,
    int waiting) {}
