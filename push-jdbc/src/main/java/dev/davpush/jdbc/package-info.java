/**
 * PostgreSQL persistence for the WebDAV-Push engine: registrations, a durable delivery queue shared
 * by several nodes, and a transactional outbox (architecture, "Durable and clustered servers").
 */
@NullMarked
package dev.davpush.jdbc;

import org.jspecify.annotations.NullMarked;
