-- davpush schema, version 2: the registration count per resource path is spread over slots.
--
-- Version 1 kept one count row per resource path, updated in the transaction of every save and
-- removal. Concurrent registrations on one collection then queued for that row's lock, each
-- holding it until its commit was flushed. Each transaction now adds its delta to one of 16
-- slots chosen at random, and countByResource sums the slots.
--
-- Running it again changes nothing (the old table is empty after the first run). Stop nodes of
-- the previous version before running it: they still write to davpush_resource_count.

CREATE TABLE IF NOT EXISTS davpush_resource_count_slot (
  resource_path TEXT     NOT NULL,
  slot          SMALLINT NOT NULL,
  registrations INTEGER  NOT NULL,
  CONSTRAINT davpush_resource_count_slot_pk PRIMARY KEY (resource_path, slot)
);

INSERT INTO davpush_resource_count_slot (resource_path, slot, registrations)
  SELECT resource_path, 0, registrations FROM davpush_resource_count
  ON CONFLICT (resource_path, slot) DO UPDATE
    SET registrations = davpush_resource_count_slot.registrations + EXCLUDED.registrations;

DELETE FROM davpush_resource_count;
