package dev.davpush.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A test HTTP server on 127.0.0.1 that answers from a script and records every request. */
final class ScriptedServer implements AutoCloseable {
  /** One recorded request. */
  record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One scripted answer. */
  record Answer(int status, Map<String, String> headers, byte[] body, Duration delay) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), new byte[0], Duration.ZERO);
    }

    static Answer xml(int status, String xml) {
      return new Answer(
          status,
          Map.of("Content-Type", "application/xml; charset=utf-8"),
          xml.getBytes(StandardCharsets.UTF_8),
          Duration.ZERO);
    }

    Answer header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, h, body, delay);
    }

    Answer delayed(Duration d) {
      return new Answer(status, headers, body, d);
    }
  }

  private final HttpServer http;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new ArrayList<>();

  ScriptedServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", this::handle);
    http.setExecutor(executor);
    http.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
  }

  ScriptedServer then(Answer a) {
    script.add(a);
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    synchronized (this) {
      requests.add(
          new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body));
    }
    Answer a = script.poll();
    if (a == null) {
      a = Answer.of(599);
    }
    try {
      if (!a.delay().isZero()) {
        Thread.sleep(a.delay().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
      return;
    }
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    if (a.body().length == 0) {
      ex.sendResponseHeaders(a.status(), -1);
    } else {
      ex.sendResponseHeaders(a.status(), a.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(a.body());
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
