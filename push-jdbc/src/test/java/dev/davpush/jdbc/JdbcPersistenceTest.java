package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Registration;
import dev.davpush.Topic;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Opening everything from a URL, as the kit's serve --jdbc-url does; a restart keeps what it had.
 */
class JdbcPersistenceTest {
  @Test
  void registrationsSurviveAReopen() {
    String url = TestDatabase.url();
    String schema;
    try (TestDatabase.Db db = TestDatabase.fresh("persistence")) {
      schema = db.schema();
    }
    String inSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Registration r =
        Fixtures.registration(
            "ida",
            "/i/",
            Topic.random(),
            "https://push.example/i",
            Fixtures.NOW.plus(Duration.ofDays(1)));
    try (JdbcPersistence first =
        JdbcPersistence.open(inSchema, TestDatabase.user(), TestDatabase.password())) {
      first.store().save(r);
      assertThat(first.queue().nodeId()).startsWith("node-");
    }
    try (JdbcPersistence second =
        JdbcPersistence.open(inSchema, TestDatabase.user(), TestDatabase.password())) {
      assertThat(second.store().find(r.id())).contains(r);
    }
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefused() {
    assertThatThrownBy(() -> JdbcPersistence.open("jdbc:mysql://127.0.0.1/x", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcDataSources.pooled("jdbc:postgresql://127.0.0.1/x", null, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
