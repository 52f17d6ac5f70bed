package dev.davpush.jdbc;

/**
 * A fresh schema in the tests' PostgreSQL ({@link TestDatabase}) for tests in other packages: its
 * JDBC URL (the schema as {@code currentSchema}), user and password.
 */
public final class ItDatabase implements AutoCloseable {
  private final TestDatabase.Db db;

  private ItDatabase(TestDatabase.Db db) {
    this.db = db;
  }

  /**
   * A new, empty schema with the davpush tables.
   *
   * @param name a short name for the schema
   * @return the schema; close it to close its pool
   */
  public static ItDatabase fresh(String name) {
    return new ItDatabase(TestDatabase.fresh(name));
  }

  /** {@return a JDBC URL whose connections use this schema} */
  public String url() {
    return TestDatabase.url() + "?currentSchema=" + db.schema();
  }

  /** {@return the database user} */
  public String user() {
    return TestDatabase.user();
  }

  /** {@return the database password, possibly empty} */
  public String password() {
    return TestDatabase.password();
  }

  /**
   * Runs a query that returns one number.
   *
   * @param sql the query
   * @return its first column of its first row
   */
  public long count(String sql) {
    return db.count(sql);
  }

  @Override
  public void close() {
    db.close();
  }
}
