package dev.davpush.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Registration;
import dev.davpush.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many registrations (system property {@code davpush.jdbc.rows}; default 200,000 to keep the
 * module's test run short, since filling a million takes about 70 s on a shared 2-core machine; run
 * with {@code -Ddavpush.jdbc.rows=1000000} for the million of issue 11): every query the engine
 * makes through {@link JdbcSubscriptionStore} is answered from an index (EXPLAIN shows no
 * sequential scan of the table), and a topic with 10,000 registrations is read quickly.
 */
class MillionRowIndexTest {
  private static final Logger LOG = LoggerFactory.getLogger(MillionRowIndexTest.class);
  static final int ROWS = Integer.getInteger("davpush.jdbc.rows", 200_000);
  static final int HOT = 10_000;
  static TestDatabase.Db db;

  @BeforeAll
  static void fill() throws Exception {
    db = TestDatabase.fresh("million");
    String key = java.util.HexFormat.of().formatHex(Fixtures.KEY.bytes());
    long t0 = System.nanoTime();
    // rows 1..HOT share the topic 'hot'; the others spread over 100,000 topics; 1% expired
    db.execute(
        "INSERT INTO davpush_registration (id, owner, resource_path, subscription_id, topic,"
            + " registration_url, transport, content_encoding, public_key, auth_secret, triggers,"
            + " expires_s, expires_ns, created_s, created_ns)"
            + " SELECT 'id' || g, 'owner' || (g % 20000), '/cal/' || (g % 200000) || '/',"
            + " 'https://push.example/' || md5(g::text), CASE WHEN g <= "
            + HOT
            + " THEN 'hot' ELSE 'topic-' || (g % 100000) END, 'https://dav.example/push/id' || g,"
            + " 'web-push', 'aes128gcm', decode('"
            + key
            + "', 'hex'), decode(md5(g::text), 'hex'),"
            + " E'content 1\\n', CASE WHEN g % 100 = 0 THEN 1000 ELSE 4000000000 END, 0,"
            + " 1000, 0 FROM generate_series(1, "
            + ROWS
            + ") g");
    db.execute(
        "INSERT INTO davpush_resource_count_slot SELECT resource_path, 0, count(*) FROM"
            + " davpush_registration GROUP BY resource_path");
    db.execute("ANALYZE davpush_registration");
    db.execute("ANALYZE davpush_resource_count_slot");
    LOG.info("filled {} registrations in {} ms", ROWS, (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void everyEngineQueryUsesAnIndex() throws Exception {
    String sub = "'https://push.example/' || md5('77')";
    Map<String, String> queries =
        Map.ofEntries(
            Map.entry("find", "SELECT * FROM davpush_registration WHERE id = 'id77'"),
            Map.entry(
                "find by natural key",
                "SELECT * FROM davpush_registration WHERE owner = 'owner77' AND resource_path ="
                    + " '/cal/77/' AND subscription_id = "
                    + sub),
            Map.entry("findByTopic", "SELECT * FROM davpush_registration WHERE topic = 'hot'"),
            Map.entry(
                "findBySubscription",
                "SELECT * FROM davpush_registration WHERE subscription_id = " + sub),
            Map.entry("remove", "DELETE FROM davpush_registration WHERE id = 'id77'"),
            Map.entry(
                "removeBySubscription",
                "DELETE FROM davpush_registration WHERE subscription_id = " + sub),
            Map.entry(
                "removeExpired",
                "DELETE FROM davpush_registration WHERE (expires_s, expires_ns) <= (2000, 0)"),
            Map.entry(
                "countByOwner",
                "SELECT count(*) FROM davpush_registration WHERE owner = 'owner77'"),
            Map.entry(
                "countByResource",
                "SELECT sum(registrations) FROM davpush_resource_count_slot WHERE resource_path ="
                    + " '/cal/77/'"),
            Map.entry(
                "distinctSubscriptions",
                "SELECT DISTINCT ON (subscription_id) * FROM davpush_registration WHERE"
                    + " (expires_s, expires_ns) > (2000, 0) AND subscription_id > 'https://push.example/8'"
                    + " ORDER BY subscription_id, id LIMIT 500"),
            Map.entry(
                "recordFailure",
                "INSERT INTO davpush_push_resource_health (subscription_id, failing_since_s,"
                    + " failing_since_ns) SELECT 'x', 1, 0 WHERE EXISTS (SELECT 1 FROM"
                    + " davpush_registration WHERE subscription_id = 'x') ON CONFLICT"
                    + " (subscription_id) DO UPDATE SET subscription_id = EXCLUDED.subscription_id"));
    List<String> report = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + q.getValue())) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        report.add(q.getKey() + ":\n" + plan);
        assertThat(plan.toString())
            .as("plan of %s", q.getKey())
            .doesNotContain("Seq Scan")
            .containsPattern("Index (Only )?Scan|Bitmap Index Scan");
      }
    }
    LOG.info("plans on {} registrations:\n{}", ROWS, String.join("\n", report));
  }

  @Test
  void theSaveStatementLooksTheRowUpByItsPrimaryKey() throws Exception {
    // the store's own statement, with a registration's values bound: an existing id moved to
    // another path (both the lookup of the old path and the count slot upsert take part)
    StringBuilder plan = new StringBuilder();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + JdbcSubscriptionStore.SAVE)) {
      int i = 1;
      ps.setString(i++, "id77");
      ps.setString(i++, "id77");
      ps.setString(i++, "owner77");
      ps.setString(i++, "/cal/elsewhere/");
      ps.setString(i++, "https://push.example/77");
      ps.setString(i++, "topic-77");
      ps.setString(i++, "https://dav.example/push/id77");
      ps.setString(i++, "web-push");
      ps.setString(i++, "aes128gcm");
      ps.setBytes(i++, Fixtures.KEY.bytes());
      ps.setBytes(i++, new byte[16]);
      ps.setString(i++, "content 1\n");
      ps.setLong(i++, 4_000_000_000L);
      ps.setInt(i++, 0);
      ps.setLong(i++, 1_000L);
      ps.setInt(i++, 0);
      ps.setInt(i, 3);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    LOG.info("plan of save:\n{}", plan);
    assertThat(plan.toString())
        .doesNotContain("Seq Scan")
        .contains("Index Scan using davpush_registration_pk on davpush_registration")
        .contains("Conflict Arbiter Indexes: davpush_registration_pk")
        .contains("Conflict Arbiter Indexes: davpush_resource_count_slot_pk");
  }

  @Test
  void aTopicOfTenThousandAmongAMillionIsReadQuickly() {
    JdbcSubscriptionStore store = new JdbcSubscriptionStore(db.dataSource());
    store.findByTopic(Topic.of("hot")); // warm the pool and the cache
    long best = Long.MAX_VALUE;
    List<Registration> found = List.of();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      found = store.findByTopic(Topic.of("hot"));
      best = Math.min(best, System.nanoTime() - t0);
    }
    LOG.info(
        "findByTopic: {} of {} registrations in {} ms (best of 5)",
        found.size(),
        ROWS,
        String.format("%.1f", best / 1e6));
    assertThat(found).hasSize(HOT);
    assertThat(found).allMatch(r -> !r.isExpired(Instant.EPOCH));
    // the target is 100 ms on an idle machine; the gate is loose for shared CI runners
    assertThat(best / 1_000_000).isLessThan(2_000);
  }
}
