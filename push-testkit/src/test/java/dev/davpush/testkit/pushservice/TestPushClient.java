package dev.davpush.testkit.pushservice;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal application-server side for tests: one POST with chosen headers and body. */
final class TestPushClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final Map<String, String> headers = new LinkedHashMap<>();
  private String method = "POST";
  private byte[] body = new byte[0];

  static TestPushClient request() {
    return new TestPushClient();
  }

  TestPushClient header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  TestPushClient method(String method) {
    this.method = method;
    return this;
  }

  TestPushClient body(byte[] body) {
    this.body = body.clone();
    return this;
  }

  HttpResponse<String> sendTo(URI uri) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to the embedded push service failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
