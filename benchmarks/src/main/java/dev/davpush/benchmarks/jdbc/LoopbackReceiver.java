package dev.davpush.benchmarks.jdbc;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push service on {@code 127.0.0.1} for the JDBC benchmarks: JDK {@code HttpServer}, 16 handler
 * threads; every POST under {@code /push/} is read whole, counted and answered {@code 201 Created}
 * with a {@code Location}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class LoopbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  /** POSTs answered so far. */
  final AtomicInteger received = new AtomicInteger();

  LoopbackReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(pool);
    server.createContext(
        "/push/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          received.incrementAndGet();
          ex.getResponseHeaders().add("Location", "http://127.0.0.1/message/1");
          ex.sendResponseHeaders(201, -1);
          ex.close();
        });
    server.start();
  }

  /** The push resource URL of subscription {@code i}. */
  String url(int i) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/push/" + i;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdown();
  }
}
