-- davpush schema, version 1 (PostgreSQL 12 or newer).
-- Flyway: location classpath:META-INF/davpush/jdbc/postgresql; Liquibase: include this file as
-- a sqlFile change set. JdbcSchema.create(DataSource) runs it for applications without either.
-- Every statement is idempotent (IF NOT EXISTS), so running it twice changes nothing.
-- Instants are stored as epoch seconds plus nanoseconds, so values read back equal those saved.

-- One row per registration (SubscriptionStore). subscription_id is the push resource URI: a
-- capability; auth_secret is the RFC 8291 authentication secret. Neither is ever logged.
CREATE TABLE IF NOT EXISTS davpush_registration (
  id               VARCHAR(200)  NOT NULL,
  owner            TEXT          NOT NULL,
  resource_path    TEXT          NOT NULL,
  subscription_id  TEXT          NOT NULL,
  topic            VARCHAR(1024) NOT NULL,
  registration_url TEXT          NOT NULL,
  transport        VARCHAR(64)   NOT NULL,
  content_encoding VARCHAR(64)   NOT NULL,
  public_key       BYTEA         NOT NULL,
  auth_secret      BYTEA         NOT NULL,
  triggers         TEXT          NOT NULL,
  expires_s        BIGINT        NOT NULL,
  expires_ns       INTEGER       NOT NULL,
  created_s        BIGINT        NOT NULL,
  created_ns       INTEGER       NOT NULL,
  CONSTRAINT davpush_registration_pk PRIMARY KEY (id),
  -- the natural key (R-WDP-28, digest ambiguity A-27); also serves countByOwner
  CONSTRAINT davpush_registration_natural_key UNIQUE (owner, resource_path, subscription_id)
);
-- findByTopic (fan-out)
CREATE INDEX IF NOT EXISTS davpush_registration_topic ON davpush_registration (topic);
-- findBySubscription, removeBySubscription, distinctSubscriptions (ordered by subscription_id)
CREATE INDEX IF NOT EXISTS davpush_registration_subscription
  ON davpush_registration (subscription_id, id);
-- removeExpired
CREATE INDEX IF NOT EXISTS davpush_registration_expires
  ON davpush_registration (expires_s, expires_ns);

-- countByResource: registrations per resource path, kept by the store in the transaction of each
-- save and removal (a count(*) over one large collection would cost O(registrations) per
-- registration). Rows may stay at 0.
CREATE TABLE IF NOT EXISTS davpush_resource_count (
  resource_path TEXT    NOT NULL,
  registrations INTEGER NOT NULL,
  CONSTRAINT davpush_resource_count_pk PRIMARY KEY (resource_path)
);

-- Push resources in a failure streak (R-WDP-45 grace period): the first failure after the last
-- success.
CREATE TABLE IF NOT EXISTS davpush_push_resource_health (
  subscription_id  TEXT    NOT NULL,
  failing_since_s  BIGINT  NOT NULL,
  failing_since_ns INTEGER NOT NULL,
  CONSTRAINT davpush_push_resource_health_pk PRIMARY KEY (subscription_id)
);

-- Nodes (JVMs) sharing the queue and the outbox: each extends alive_until with its heartbeat.
-- Once a node's alive_until has passed, any live node adopts its deliveries and outbox claims.
CREATE TABLE IF NOT EXISTS davpush_node (
  node_id     VARCHAR(100) NOT NULL,
  alive_until TIMESTAMPTZ  NOT NULL,
  started     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT davpush_node_pk PRIMARY KEY (node_id)
);

-- Pending deliveries (DeliveryQueue). payload is PendingDelivery.serialize() (it holds the push
-- resource URI: a secret). state W = waiting, C = claimed (being sent). node is the node that
-- polls the row (the one that offered it, or adopted it from a dead node). coalescing_hash is the
-- SHA-256 (hex) of PendingDelivery.coalescingKey(): at most one waiting row per push resource and
-- topic, whichever node offered it. recovered counts how often the row was taken back from a dead
-- node while claimed (each time, it may be sent twice).
CREATE TABLE IF NOT EXISTS davpush_delivery (
  seq             BIGSERIAL    NOT NULL,
  coalescing_hash CHAR(64)     NOT NULL,
  idempotency_key VARCHAR(64)  NOT NULL,
  state           CHAR(1)      NOT NULL,
  node            VARCHAR(100) NOT NULL,
  not_before_s    BIGINT       NOT NULL,
  not_before_ns   INTEGER      NOT NULL,
  attempt         INTEGER      NOT NULL,
  recovered       INTEGER      NOT NULL DEFAULT 0,
  payload         TEXT         NOT NULL,
  CONSTRAINT davpush_delivery_pk PRIMARY KEY (seq),
  CONSTRAINT davpush_delivery_state CHECK (state IN ('W', 'C'))
);
CREATE UNIQUE INDEX IF NOT EXISTS davpush_delivery_waiting_key
  ON davpush_delivery (coalescing_hash) WHERE state = 'W';
CREATE INDEX IF NOT EXISTS davpush_delivery_due
  ON davpush_delivery (node, not_before_s, not_before_ns, seq) WHERE state = 'W';
CREATE INDEX IF NOT EXISTS davpush_delivery_idempotency_key
  ON davpush_delivery (idempotency_key);
CREATE INDEX IF NOT EXISTS davpush_delivery_claims
  ON davpush_delivery (node) WHERE state = 'C';

-- Rows that could not be read (a payload or change that does not decode): moved here with the
-- reason, never retried. source names the table the row came from.
CREATE TABLE IF NOT EXISTS davpush_dead_letter (
  seq       BIGSERIAL    NOT NULL,
  source    VARCHAR(64)  NOT NULL,
  reason    TEXT         NOT NULL,
  payload   TEXT         NOT NULL,
  moved_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT davpush_dead_letter_pk PRIMARY KEY (seq)
);

-- The transactional outbox: changes staged in the application's own transaction, fanned out by
-- some node after commit. claimed_by is the node fanning the change out; claims counts how
-- often the row was claimed (above 1: a node died with it, and it was fanned out again).
CREATE TABLE IF NOT EXISTS davpush_outbox (
  seq          BIGSERIAL    NOT NULL,
  change       TEXT         NOT NULL,
  staged_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
  claimed_by   VARCHAR(100),
  claims       INTEGER      NOT NULL DEFAULT 0,
  CONSTRAINT davpush_outbox_pk PRIMARY KEY (seq)
);
CREATE INDEX IF NOT EXISTS davpush_outbox_unclaimed
  ON davpush_outbox (seq) WHERE claimed_by IS NULL;
CREATE INDEX IF NOT EXISTS davpush_outbox_claimed
  ON davpush_outbox (claimed_by) WHERE claimed_by IS NOT NULL;
