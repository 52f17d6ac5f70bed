package dev.davpush.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Topic;
import dev.davpush.jdbc.DatabaseException;
import dev.davpush.jdbc.ItDatabase;
import dev.davpush.testkit.reference.CollectionTopics;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@code serve --jdbc-url} keeps beside push-jdbc's tables: one VAPID key per database, and
 * each collection's topic until the collection is deleted, the same for every server on the
 * database (a restart, another node).
 */
class JdbcBackingTest {
  @Test
  void twoServersOnOneDatabaseShareTheVapidKeyAndTheTopics() {
    try (ItDatabase db = ItDatabase.fresh("backing");
        JdbcBacking first = JdbcBacking.open(db.url(), db.user(), db.password())) {
      Topic calendar = first.topics().topic("/dav/cal/");
      assertThat(first.topics().topic("/dav/cal/")).isEqualTo(calendar);
      Topic book = first.topics().topic("/dav/book/");
      assertThat(book).isNotEqualTo(calendar);
      try (JdbcBacking second = JdbcBacking.open(db.url(), db.user(), db.password())) {
        assertThat(second.vapidKeyPair()).isEqualTo(first.vapidKeyPair());
        assertThat(second.topics().topic("/dav/cal/")).isEqualTo(calendar);
        assertThat(second.topics().topic("/dav/book/")).isEqualTo(book);
      }
      assertThat(db.count("SELECT count(*) FROM davpush_kit_vapid")).isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM davpush_kit_topic")).isEqualTo(2);
    }
  }

  @Test
  void forgettingACollectionForgetsItsTopicAndThoseBelowItOnly() {
    try (ItDatabase db = ItDatabase.fresh("backing");
        JdbcBacking backing = JdbcBacking.open(db.url(), db.user(), db.password())) {
      CollectionTopics topics = backing.topics();
      Topic parent = topics.topic("/dav/a%_/");
      Topic child = topics.topic("/dav/a%_/b/");
      Topic sibling = topics.topic("/dav/a%_x/");
      Topic likeMatch = topics.topic("/dav/ab_/"); // what LIKE '/dav/a%_/%' would also match

      assertThat(topics.forget("/dav/a%_/")).contains(parent);

      assertThat(topics.topic("/dav/a%_x/")).isEqualTo(sibling);
      assertThat(topics.topic("/dav/ab_/")).isEqualTo(likeMatch);
      assertThat(topics.topic("/dav/a%_/b/")).isNotEqualTo(child);
      assertThat(topics.topic("/dav/a%_/")).isNotEqualTo(parent);
      assertThat(topics.forget("/dav/never/")).isEqualTo(Optional.empty());
      assertThat(db.count("SELECT count(*) FROM davpush_kit_topic")).isEqualTo(4);
    }
  }

  @Test
  void anUnreachableDatabaseIsATypedErrorAndAnotherDatabaseIsRefused() {
    assertThatThrownBy(
            () -> JdbcBacking.open("jdbc:postgresql://127.0.0.1:1/none", "u", "secret-x7Q"))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("SQLSTATE")
        .hasMessageNotContaining("secret-x7Q");
    assertThatThrownBy(() -> JdbcBacking.open("jdbc:mysql://127.0.0.1:1/none", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
