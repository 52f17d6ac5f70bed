package dev.davpush.webpush;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scriptable push service on 127.0.0.1 (JDK HttpServer): records every request, answers with the
 * next scripted response, or hangs until closed.
 */
final class TestPushService implements AutoCloseable {
  record Recorded(
      String method, String path, Map<String, List<String>> headers, byte[] body, int clientPort) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  record Answer(int status, Map<String, String> headers, boolean hang) {}

  final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  TestPushService() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            requests.add(
                new Recorded(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body,
                    exchange.getRemoteAddress().getPort()));
          }
          Answer a = answers.poll();
          if (a == null) {
            a = new Answer(201, Map.of(), false);
          }
          if (a.hang()) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          exchange.sendResponseHeaders(a.status(), -1);
          exchange.close();
        });
    server.setExecutor(executor);
    server.start();
  }

  void answer(int status) {
    answers.add(new Answer(status, Map.of(), false));
  }

  void answer(int status, Map<String, String> headers) {
    answers.add(new Answer(status, headers, false));
  }

  void hang() {
    answers.add(new Answer(0, Map.of(), true));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Recorded take() throws InterruptedException {
    Recorded r = requests.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request within 10 s");
    }
    return r;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
