/**
 * Registrations and deliveries in PostgreSQL: {@link dev.davpush.jdbc.JdbcSubscriptionStore}, the
 * durable and shared {@link dev.davpush.jdbc.JdbcDeliveryQueue}, the transactional {@link
 * dev.davpush.jdbc.JdbcOutbox}, and the schema ({@link dev.davpush.jdbc.JdbcSchema}). See {@code
 * docs/jdbc.md}.
 */
module dev.davpush.jdbc {
  requires transitive dev.davpush;
  requires transitive dev.davpush.server;
  requires transitive java.sql;
  requires static org.jspecify;
  requires static com.zaxxer.hikari;
  requires org.slf4j;

  exports dev.davpush.jdbc;
}
