package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcSchemaTest {
  @Test
  void theMigrationsAreOnTheClassPathUnderTheDocumentedLocation() {
    assertThat(JdbcSchema.MIGRATIONS_LOCATION).isEqualTo("META-INF/davpush/jdbc/postgresql");
    for (String m : JdbcSchema.MIGRATIONS) {
      assertThat(m).matches("V[0-9]+__[a-z_]+\\.sql"); // Flyway's naming
      assertThat(getClass().getClassLoader().getResource(JdbcSchema.MIGRATIONS_LOCATION + "/" + m))
          .isNotNull();
      assertThat(JdbcSchema.read(m)).contains("CREATE TABLE IF NOT EXISTS davpush_");
    }
    assertThatThrownBy(() -> JdbcSchema.read("V9__nothing.sql"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statementsSplitAtLineEndSemicolonsAndDropComments() {
    List<String> s =
        JdbcSchema.statements("-- a comment; not a statement\nCREATE A (x);\n\nCREATE B\n  (y);\n");
    assertThat(s).containsExactly("CREATE A (x)", "CREATE B\n  (y)");
  }

  @Test
  void creatingTheSchemaTwiceChangesNothing() {
    try (TestDatabase.Db db = TestDatabase.fresh("schema")) {
      db.execute("INSERT INTO davpush_outbox (change) VALUES ('x')");
      JdbcSchema.create(db.dataSource());
      assertThat(db.count("SELECT count(*) FROM davpush_outbox")).isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                      + db.schema()
                      + "' AND table_name LIKE 'davpush_%'"))
          .isEqualTo(8);
    }
  }

  @Test
  void versionTwoMovesTheCountsVersionOneKeptIntoSlots() {
    try (TestDatabase.Db db = TestDatabase.fresh("slots")) {
      // a database as version 1 left it: one count row per resource path
      db.execute("INSERT INTO davpush_resource_count VALUES ('/cal/a/', 7), ('/cal/b/', 2)");
      db.execute("INSERT INTO davpush_resource_count_slot VALUES ('/cal/b/', 0, 1)");

      JdbcSchema.create(db.dataSource());
      JdbcSchema.create(db.dataSource()); // and again: nothing moves twice

      assertThat(db.count("SELECT count(*) FROM davpush_resource_count")).isZero();
      JdbcSubscriptionStore store = new JdbcSubscriptionStore(db.dataSource());
      assertThat(store.countByResource("/cal/a/")).isEqualTo(7);
      assertThat(store.countByResource("/cal/b/")).isEqualTo(3);
      assertThat(store.countByResource("/cal/c/")).isZero();
    }
  }

  @Test
  void aMissingDatabaseIsATypedFailure() {
    try (var dead = TestDatabase.pool("jdbc:postgresql://127.0.0.1:1/none", null, 1)) {
      assertThatThrownBy(() -> JdbcSchema.create(dead))
          .isInstanceOf(DatabaseException.class)
          .hasMessageContaining("schema");
    }
  }
}
