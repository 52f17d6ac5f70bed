package dev.davpush.testkit.contract;

/**
 * Every rule the SPI contract kits check: an ID ({@code STORE-06}), the rule as one sentence, and
 * where it is promised (the SPI Javadoc, and the requirement or ambiguity of the project's
 * requirements digest where one applies). Each kit test names its rule with {@link Verifies}, and
 * {@link RuleDisplayNames} turns that into the test's display name, so a failed test in any report
 * reads as the rule it checks.
 *
 * <p>A rule is listed here only where the SPI Javadoc promises it; what the Javadoc leaves open is
 * not checked (see {@code docs/contract-kits.md}, "What the kits do not check").
 *
 * <p>Thread safety: immutable.
 */
public enum ContractRule {
  // ---- SubscriptionStore ------------------------------------------------------------------------
  /** STORE-01. */
  STORE_SAVE_THEN_FIND(
      "STORE-01",
      "save then find(id) returns an equal registration: registration URL, subscription with its"
          + " keys, triggers, expiry and creation instant all kept",
      "SubscriptionStore#save, #find(String)"),
  /** STORE-02. */
  STORE_FIND_UNKNOWN(
      "STORE-02",
      "find(id) of an unknown id is empty, also when a stored id begins with it",
      "SubscriptionStore#find(String)"),
  /** STORE-03. */
  STORE_FIND_BY_NATURAL_KEY(
      "STORE-03",
      "find(owner, resource path, subscription id) returns the registration with that key, and is"
          + " empty for a subscription id the principal has not registered on the resource",
      "SubscriptionStore#find(String, String, String); A-27"),
  /** STORE-04. */
  STORE_UPDATE_REPLACES(
      "STORE-04",
      "save with a stored id replaces that registration: the new expiry, triggers and keys are read"
          + " back, the registration URL is the one saved, and no second registration appears",
      "SubscriptionStore#save; R-WDP-28"),
  /** STORE-05. */
  STORE_UPDATE_REINDEXES(
      "STORE-05",
      "an update that moves a registration to another resource and topic moves it in the lookups:"
          + " the old topic no longer finds it, the new topic and the new natural key do",
      "SubscriptionStore#save"),
  /** STORE-06. */
  STORE_CONFLICT_IS_TYPED(
      "STORE-06",
      "a save that conflicts on the natural key throws RegistrationConflictException: an insert"
          + " with another id but a stored (owner, resource path, subscription id), or an update"
          + " that would take another registration's key",
      "SubscriptionStore#save; R-WDP-28, A-27"),
  /** STORE-07. */
  STORE_CONFLICT_CHANGES_NOTHING(
      "STORE-07",
      "a refused save changes nothing: the stored registration, its lookups and the counts stay"
          + " as they were, and the refused id stays unknown",
      "SubscriptionStore (a failure changes nothing), #save"),
  /** STORE-08. */
  STORE_KEY_INCLUDES_OWNER(
      "STORE-08",
      "the natural key includes the owner: another principal may register the same subscription on"
          + " the same resource, each principal's key finds their own, a third principal's none",
      "SubscriptionStore#save; A-27"),
  /** STORE-09. */
  STORE_KEY_INCLUDES_RESOURCE(
      "STORE-09",
      "the natural key includes the resource path: one principal may register one subscription on"
          + " several resources, each resource's key finds its own, a third resource's none",
      "SubscriptionStore#save; A-27"),
  /** STORE-10. */
  STORE_RACE_ON_NATURAL_KEY(
      "STORE-10",
      "concurrent saves of different ids with one natural key: exactly one succeeds, every other"
          + " is refused, and one registration holds the key",
      "SubscriptionStore (atomic, safe for concurrent use), #save; R-WDP-28"),
  /** STORE-11. */
  STORE_CONCURRENT_SAVES(
      "STORE-11",
      "concurrent saves of different natural keys all succeed and are all found afterwards",
      "SubscriptionStore (safe for concurrent use)"),
  /** STORE-12. */
  STORE_FIND_BY_TOPIC(
      "STORE-12",
      "findByTopic returns exactly the registrations of the topic, expired ones included",
      "SubscriptionStore#findByTopic"),
  /** STORE-13. */
  STORE_FIND_BY_SUBSCRIPTION(
      "STORE-13",
      "findBySubscription returns exactly the registrations of the subscription, on every resource",
      "SubscriptionStore#findBySubscription"),
  /** STORE-14. */
  STORE_LOOKUPS_ARE_SNAPSHOTS(
      "STORE-14",
      "the lists findByTopic and findBySubscription return are snapshots: later saves and removals"
          + " do not change them",
      "SubscriptionStore#findByTopic, #findBySubscription"),
  /** STORE-15. */
  STORE_REMOVE(
      "STORE-15",
      "remove(id) returns true and the registration leaves every lookup and count; removing it"
          + " again, or an unknown id, returns false",
      "SubscriptionStore#remove"),
  /** STORE-16. */
  STORE_REMOVE_BY_SUBSCRIPTION(
      "STORE-16",
      "removeBySubscription removes every registration of the subscription on every resource,"
          + " returns how many, and leaves the others",
      "SubscriptionStore#removeBySubscription; R-WDP-45"),
  /** STORE-17. */
  STORE_REMOVE_EXPIRED(
      "STORE-17",
      "removeExpired(now) removes exactly the registrations that expired at or before now and"
          + " returns how many",
      "SubscriptionStore#removeExpired; R-WDP-33"),
  /** STORE-18. */
  STORE_COUNT_BY_OWNER(
      "STORE-18",
      "countByOwner counts a principal's registrations, expired ones included, and is 0 for an"
          + " unknown principal",
      "SubscriptionStore#countByOwner"),
  /** STORE-19. */
  STORE_COUNT_BY_RESOURCE(
      "STORE-19",
      "countByResource counts a resource's registrations, expired ones included, and is 0 for an"
          + " unknown resource",
      "SubscriptionStore#countByResource"),
  /** STORE-20. */
  STORE_DISTINCT_ORDERED_PAGES(
      "STORE-20",
      "distinctSubscriptions pages through every distinct subscription exactly once, in ascending"
          + " subscription id order, each page after afterSubscriptionId",
      "SubscriptionStore#distinctSubscriptions; R-WDP-55"),
  /** STORE-21. */
  STORE_DISTINCT_FULL_PAGES(
      "STORE-21",
      "distinctSubscriptions returns exactly limit registrations on every page but the last",
      "SubscriptionStore#distinctSubscriptions"),
  /** STORE-22. */
  STORE_DISTINCT_ACTIVE_ONLY(
      "STORE-22",
      "distinctSubscriptions leaves out subscriptions whose registrations all expired at now and"
          + " stands for each by a registration not expired at now",
      "SubscriptionStore#distinctSubscriptions; R-WDP-55"),
  /** STORE-23. */
  STORE_FAILURE_STARTS_STREAK(
      "STORE-23",
      "recordFailure on a subscription without a failure streak returns the failure's own instant",
      "SubscriptionStore#recordFailure; R-WDP-45"),
  /** STORE-24. */
  STORE_FAILURE_STREAK_KEPT(
      "STORE-24",
      "later failures of a streak return the instant of its first failure",
      "SubscriptionStore#recordFailure; R-WDP-45"),
  /** STORE-25. */
  STORE_SUCCESS_ENDS_STREAK(
      "STORE-25",
      "recordSuccess ends the streak: a later failure starts a new one, whose start later failures"
          + " return",
      "SubscriptionStore#recordSuccess, #recordFailure; R-WDP-45"),
  /** STORE-26. */
  STORE_STREAK_PER_SUBSCRIPTION(
      "STORE-26",
      "failure streaks are kept per subscription: the streak or success of one does not touch"
          + " another's",
      "SubscriptionStore#recordFailure, #recordSuccess"),

  /** STORE-27. */
  STORE_UPDATE_CONFLICT(
      "STORE-27",
      "an update that would take the natural key of another registration is refused and changes"
          + " neither registration",
      "SubscriptionStore#save; R-WDP-28, A-27"),
  /** STORE-28. */
  STORE_CONFLICT_HIDES_PUSH_RESOURCE(
      "STORE-28",
      "the refusal of a conflicting save never shows the push resource URL (a capability): not in"
          + " its message, nor in its causes' messages",
      "RegistrationConflictException(String)"),

  // ---- DeliveryQueue ----------------------------------------------------------------------------
  /** QUEUE-01. */
  QUEUE_OFFER_THEN_POLL(
      "QUEUE-01",
      "offer returns the delivery itself when nothing merges, and poll claims it once due, equal to"
          + " what was offered (message, urgency, attempt, instants, idempotency key)",
      "DeliveryQueue#offer, #poll"),
  /** QUEUE-02. */
  QUEUE_NOT_BEFORE(
      "QUEUE-02",
      "poll does not claim a delivery before its not-before instant, and claims it at that instant",
      "DeliveryQueue#poll"),
  /** QUEUE-03. */
  QUEUE_EARLIEST_FIRST(
      "QUEUE-03", "poll claims due deliveries earliest not-before first", "DeliveryQueue#poll"),
  /** QUEUE-04. */
  QUEUE_POLL_MAX("QUEUE-04", "poll claims at most max deliveries", "DeliveryQueue#poll"),
  /** QUEUE-05. */
  QUEUE_CLAIMED_ONCE(
      "QUEUE-05",
      "a claimed delivery is not returned by poll again unless it is rescheduled",
      "DeliveryQueue (life of a delivery), #poll"),
  /** QUEUE-06. */
  QUEUE_NEXT_DUE(
      "QUEUE-06",
      "nextDue is empty when nothing waits, else the earliest not-before of the waiting"
          + " deliveries; claimed ones do not count",
      "DeliveryQueue#nextDue"),
  /** QUEUE-07. */
  QUEUE_OFFER_MERGES(
      "QUEUE-07",
      "offer merges a delivery into the waiting one with the same coalescing key: one delivery"
          + " waits, the waiting one merged with the offered one (its attempt, not-before and"
          + " idempotency key kept)",
      "DeliveryQueue#offer, PendingDelivery#mergedWith; R-WDP-43"),
  /** QUEUE-08. */
  QUEUE_MERGE_EARLIER(
      "QUEUE-08",
      "a merged offer that is due earlier brings the waiting delivery's not-before forward",
      "DeliveryQueue#offer; R-WDP-43"),
  /** QUEUE-09. */
  QUEUE_CLAIMED_NOT_MERGED(
      "QUEUE-09",
      "a claimed delivery is never merged into: an offer with its coalescing key waits on its own",
      "DeliveryQueue#offer"),
  /** QUEUE-10. */
  QUEUE_KEYS_SEPARATE(
      "QUEUE-10",
      "deliveries with different coalescing keys (another topic, another push resource) are not"
          + " merged",
      "DeliveryQueue#offer, PendingDelivery#coalescingKey"),
  /** QUEUE-11. */
  QUEUE_ACKNOWLEDGE(
      "QUEUE-11",
      "acknowledge ends a claimed delivery, matched by idempotency key: it leaves size and is"
          + " never polled again",
      "DeliveryQueue#acknowledge"),
  /** QUEUE-12. */
  QUEUE_ACKNOWLEDGE_UNKNOWN(
      "QUEUE-12",
      "acknowledge of an unknown or already ended delivery is ignored",
      "DeliveryQueue#acknowledge"),
  /** QUEUE-13. */
  QUEUE_RESCHEDULE(
      "QUEUE-13",
      "reschedule makes a claimed delivery wait again for its next attempt: not polled before its"
          + " new not-before (a Retry-After), then polled with the new attempt and the same"
          + " idempotency key",
      "DeliveryQueue#reschedule, PendingDelivery#next"),
  /** QUEUE-14. */
  QUEUE_RESCHEDULED_MERGES_LATER(
      "QUEUE-14",
      "a rescheduled delivery waits under its coalescing key: a later offer merges into it",
      "DeliveryQueue#reschedule; R-WDP-43"),
  /** QUEUE-15. */
  QUEUE_RESCHEDULE_MEETS_WAITING(
      "QUEUE-15",
      "reschedule onto a waiting delivery with the same key makes one: message merged (the waiting"
          + " one's newer), later not-before, higher attempt, the waiting one's idempotency key",
      "DeliveryQueue#reschedule; R-WDP-43"),
  /** QUEUE-16. */
  QUEUE_DRAIN(
      "QUEUE-16",
      "drain removes and returns every waiting delivery and leaves claimed ones in place",
      "DeliveryQueue#drain"),
  /** QUEUE-17. */
  QUEUE_SIZE(
      "QUEUE-17",
      "size counts each waiting and each claimed delivery once; a merge adds nothing",
      "DeliveryQueue#size"),
  /** QUEUE-18. */
  QUEUE_FULL(
      "QUEUE-18",
      "offer at capacity with nothing to merge into throws DeliveryQueueFullException and leaves"
          + " the queue unchanged",
      "DeliveryQueue#offer, DeliveryQueueFullException"),
  /** QUEUE-19. */
  QUEUE_FULL_STILL_MERGES(
      "QUEUE-19",
      "offer at capacity that merges into a waiting delivery succeeds",
      "DeliveryQueue#offer"),
  /** QUEUE-20. */
  QUEUE_CONCURRENT_POLLS(
      "QUEUE-20",
      "concurrent pollers claim every delivery exactly once",
      "DeliveryQueue (safe for concurrent use), #poll"),
  /** QUEUE-21. */
  QUEUE_CLOSE_IDEMPOTENT("QUEUE-21", "close is idempotent", "DeliveryQueue#close"),

  // ---- PushTransport ----------------------------------------------------------------------------
  /** TRANSPORT-01. */
  TRANSPORT_CONFIGURATION(
      "TRANSPORT-01",
      "the transport accepts the kit's loopback subscriptions and advertises a descriptor with its"
          + " own name (checks the kit's configuration)",
      "PushTransport#name, #descriptor, #accepts"),
  /** TRANSPORT-02. */
  TRANSPORT_DELIVERED_201(
      "TRANSPORT-02",
      "a 201 answer is Delivered(201), and the push service decrypts the message to the payload",
      "PushTransport#send, DeliveryResult.Delivered; R-WDP-48, C-LIB-15"),
  /** TRANSPORT-03. */
  TRANSPORT_DELIVERED_2XX(
      "TRANSPORT-03",
      "any 2xx answer (202) is Delivered with that status",
      "DeliveryResult.Delivered; C-LIB-15"),
  /** TRANSPORT-04. */
  TRANSPORT_GONE(
      "TRANSPORT-04",
      "404 and 410 answers are Gone with that status",
      "DeliveryResult.Gone; R-WDP-45, A-16, C-LIB-15"),
  /** TRANSPORT-05. */
  TRANSPORT_RETRY_AFTER(
      "TRANSPORT-05",
      "a 429 answer is RetryLater carrying the push service's Retry-After delay",
      "DeliveryResult.RetryLater; A-16, C-LIB-15"),
  /** TRANSPORT-06. */
  TRANSPORT_SERVER_ERROR(
      "TRANSPORT-06",
      "5xx answers are RetryLater, without a delay when the push service gave none",
      "DeliveryResult.RetryLater; A-16, C-LIB-15"),
  /** TRANSPORT-07. */
  TRANSPORT_REJECTED(
      "TRANSPORT-07",
      "400, 401, 403, 413 and unexpected answers (418) are Rejected with that status and a reason",
      "DeliveryResult.Rejected; A-16, C-LIB-15"),
  /** TRANSPORT-08. */
  TRANSPORT_CONNECTION_DROPPED(
      "TRANSPORT-08",
      "a connection closed before any answer completes the stage exceptionally with a retryable"
          + " DeliveryException of reason CONNECTION_FAILED",
      "PushTransport (exceptions contract), DeliveryException.Reason#CONNECTION_FAILED"),
  /** TRANSPORT-09. */
  TRANSPORT_CONNECTION_REFUSED(
      "TRANSPORT-09",
      "a refused connection completes the stage exceptionally with a retryable DeliveryException"
          + " of reason CONNECTION_FAILED",
      "PushTransport (exceptions contract), DeliveryException.Reason#CONNECTION_FAILED"),
  /** TRANSPORT-10. */
  TRANSPORT_TIMEOUT(
      "TRANSPORT-10",
      "a push service that never answers completes the stage exceptionally with a retryable"
          + " DeliveryException of reason TIMEOUT, within the transport's timeout",
      "PushTransport (exceptions contract), DeliveryException.Reason#TIMEOUT"),
  /** TRANSPORT-11. */
  TRANSPORT_DOES_NOT_BLOCK(
      "TRANSPORT-11",
      "send returns before the push service answers: it never blocks the caller on network I/O",
      "PushTransport#send"),
  /** TRANSPORT-12. */
  TRANSPORT_CLOSED(
      "TRANSPORT-12",
      "close is idempotent, and send after close does not throw: its stage fails with a"
          + " DeliveryException of reason CLOSED, not retryable",
      "PushTransport#close, #send, DeliveryException.Reason#CLOSED"),
  /** TRANSPORT-13. */
  TRANSPORT_TTL_HEADER(
      "TRANSPORT-13",
      "the TTL header carries the delivery's time to live in whole seconds",
      "PushDelivery#ttl; R-8030-4"),
  /** TRANSPORT-14. */
  TRANSPORT_TOPIC_HEADER(
      "TRANSPORT-14",
      "the Topic header carries the delivery's RFC 8030 topic, and is absent when it has none",
      "PushDelivery#topic; R-8030-6"),
  /** TRANSPORT-15. */
  TRANSPORT_URGENCY_HEADER(
      "TRANSPORT-15",
      "an urgency other than normal is sent in the Urgency header; normal is sent as normal or not"
          + " at all",
      "PushDelivery#urgency; R-8030-5"),
  /** TRANSPORT-16. */
  TRANSPORT_CONCURRENT_SENDS(
      "TRANSPORT-16",
      "concurrent sends to different subscriptions are each delivered once",
      "PushTransport (safe for concurrent use)"),
  /** TRANSPORT-17. */
  TRANSPORT_HIDES_PUSH_RESOURCE(
      "TRANSPORT-17",
      "no Rejected reason and no DeliveryException message (nor its causes' messages) shows the"
          + " push resource URL or its path: it is a capability",
      "DeliveryResult.Rejected#reason, DeliveryException(Reason, String)");

  private final String id;
  private final String statement;
  private final String reference;

  ContractRule(String id, String statement, String reference) {
    this.id = id;
    this.statement = statement;
    this.reference = reference;
  }

  /**
   * The rule's ID.
   *
   * @return for example {@code STORE-06}: the SPI's short name and a number
   */
  public String id() {
    return id;
  }

  /**
   * The rule as one sentence.
   *
   * @return the statement, without the ID
   */
  public String statement() {
    return statement;
  }

  /**
   * Where the rule is promised.
   *
   * @return the SPI members whose Javadoc states it, then the digest IDs (after a semicolon) where
   *     one applies
   */
  public String reference() {
    return reference;
  }

  /**
   * The kit that checks this rule.
   *
   * @return {@link SubscriptionStoreContract}, {@link DeliveryQueueContract} or {@link
   *     PushTransportContract}
   */
  public Class<?> kit() {
    if (id.startsWith("STORE-")) {
      return SubscriptionStoreContract.class;
    }
    if (id.startsWith("QUEUE-")) {
      return DeliveryQueueContract.class;
    }
    return PushTransportContract.class;
  }

  /**
   * The display name of the rule's test: {@code [ID] statement (reference)}.
   *
   * @return the display name
   */
  public String displayName() {
    return "[" + id + "] " + statement + " (" + reference + ")";
  }
}
