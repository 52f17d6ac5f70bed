package dev.davpush.jdbc;

import java.util.concurrent.CountDownLatch;

/**
 * Starts the tests' embedded PostgreSQL on 127.0.0.1 and prints its JDBC URL and user, to try
 * {@code davpush-kit serve --jdbc-url} by hand without installing PostgreSQL; stops on Ctrl-C.
 * docs/jdbc.md, "The kit's serve on PostgreSQL", shows how to run it.
 */
public final class EmbeddedPostgresMain {
  private EmbeddedPostgresMain() {}

  /**
   * Starts the database and waits.
   *
   * @param args none
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    String url = TestDatabase.url();
    System.out.println("embedded PostgreSQL running (trusts local connections; any password)");
    System.out.println("  JDBC URL: " + url);
    System.out.println("  user:     " + TestDatabase.user());
    System.out.println("press Ctrl-C to stop");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
