package dev.davpush.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.reference.ReferenceServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code davpush-kit watch} against the reference server, without a terminal. */
class WatchIT {
  /** Collects what the command prints and wakes whoever waits for a text. */
  private static final class Output extends java.io.Writer {
    private final StringBuilder text = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
      notifyAll();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** Waits until the output contains {@code wanted}, at most {@code limit}; returns it. */
    synchronized String await(String wanted, Duration limit) throws InterruptedException {
      long end = System.nanoTime() + limit.toNanos();
      while (text.indexOf(wanted) < 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          break;
        }
        wait(left);
      }
      return text.toString();
    }

    @Override
    public synchronized String toString() {
      return text.toString();
    }
  }

  @Test
  void printsAPushMessageSoonAfterAPutAndUnregistersWhenStopped() throws Exception {
    try (ReferenceServer server = ReferenceServer.start()) {
      Watch watch = new Watch();
      watch.target = server.calendarUri().toString();
      Output out = new Output();
      StringWriter err = new StringWriter();
      CountDownLatch stop = new CountDownLatch(1);
      CompletableFuture<Integer> status =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return watch.run(new PrintWriter(out, true), new PrintWriter(err, true), stop);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return -1;
                }
              });
      assertThat(out.await("watching", Duration.ofSeconds(20))).contains("watching");

      long start = System.nanoTime();
      HttpResponse<Void> put =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.calendarUri() + "watched.ics"))
                      .PUT(
                          HttpRequest.BodyPublishers.ofString(
                              "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
                                  + "BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20261201T000000Z\r\n"
                                  + "END:VEVENT\r\nEND:VCALENDAR\r\n"))
                      .header("Content-Type", "text/calendar")
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      assertThat(put.statusCode()).isEqualTo(201);
      String printed = out.await("sync-token", Duration.ofSeconds(5));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(printed)
          .contains("content  " + server.calendarUri() + "  topic ")
          .contains("sync-token http");
      // within a second once warm; the first delivery of a fresh JVM pays for class loading
      assertThat(millis).as("PUT to printed line").isLessThan(2_000);

      stop.countDown();
      assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString()).endsWith("unregistered" + System.lineSeparator());
      assertThat(err.toString()).isEmpty();
    }
  }
}
