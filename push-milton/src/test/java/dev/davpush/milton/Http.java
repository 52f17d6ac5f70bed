package dev.davpush.milton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A plain {@code java.net.http} client for the tests, with optional HTTP Basic credentials. */
final class Http {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
  private final @Nullable String authorization;

  Http(@Nullable String user, @Nullable String password) {
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Http anonymous() {
    return new Http(null, null);
  }

  HttpResponse<String> send(
      String method, URI uri, Map<String, List<String>> headers, byte @Nullable [] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + uri.getRawPath(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  HttpResponse<String> register(URI collection, byte[] body) {
    return send(
        "POST",
        collection,
        Map.of("Content-Type", List.of("application/xml; charset=utf-8")),
        body);
  }

  HttpResponse<String> put(URI member, String text, List<String> pushDontNotify) {
    Map<String, List<String>> h =
        pushDontNotify.isEmpty()
            ? Map.of("Content-Type", List.of("text/plain; charset=utf-8"))
            : Map.of(
                "Content-Type",
                List.of("text/plain; charset=utf-8"),
                "Push-Dont-Notify",
                pushDontNotify);
    return send("PUT", member, h, text.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> delete(URI uri) {
    return send("DELETE", uri, Map.of(), null);
  }

  HttpResponse<String> propfind(URI uri, String props) {
    String body =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<D:propfind xmlns:D=\"DAV:\" xmlns:P=\"https://bitfire.at/webdav-push\"><D:prop>"
            + props
            + "</D:prop></D:propfind>";
    return send(
        "PROPFIND",
        uri,
        Map.of("Depth", List.of("0"), "Content-Type", List.of("application/xml; charset=utf-8")),
        body.getBytes(StandardCharsets.UTF_8));
  }
}
