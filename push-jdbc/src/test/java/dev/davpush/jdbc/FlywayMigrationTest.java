package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The shipped migrations run under Flyway from the documented location, and the store works. */
class FlywayMigrationTest {
  @Test
  void flywayAppliesTheShippedMigrations() {
    try (TestDatabase.Db db = TestDatabase.fresh("flyway")) {
      db.execute(
          "DROP TABLE davpush_registration, davpush_resource_count, davpush_resource_count_slot,"
              + " davpush_push_resource_health,"
              + " davpush_node, davpush_delivery, davpush_dead_letter, davpush_outbox");
      MigrateResult r =
          Flyway.configure()
              .dataSource(db.dataSource())
              .schemas(db.schema())
              .locations("classpath:" + JdbcSchema.MIGRATIONS_LOCATION)
              .load()
              .migrate();
      assertThat(r.migrationsExecuted).isEqualTo(JdbcSchema.MIGRATIONS.size());
      assertThat(
              db.count(
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                      + db.schema()
                      + "' AND table_name LIKE 'davpush_%'"))
          .isEqualTo(8);
      // and JdbcSchema.create on top of it changes nothing
      JdbcSchema.create(db.dataSource());
      assertThat(new JdbcSubscriptionStore(db.dataSource()).countByOwner("nobody")).isZero();
    }
  }
}
