package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.xml.PushDontNotify;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hc.core5.http.HttpMessage;

/**
 * {@code Push-Dont-Notify} on the client's own writes (draft §4.2, R-WDP-38 … R-WDP-41, R-WDP-44):
 * a client that changes a collection it is registered on names its own registration URLs, so that
 * the server does not push the change back to it.
 *
 * <p>The URLs are sent exactly as the server gave them in {@code Location} (R-WDP-40), quoted, in
 * one field line; {@code *} is never mixed with URLs (R-WDP-41).
 *
 * <p>Thread safety: stateless.
 */
public final class OwnWrites {
  /** The header name, {@value}. */
  public static final String HEADER = PushDontNotify.HEADER;

  private OwnWrites() {}

  /**
   * The header value naming the given registrations.
   *
   * @param own the client's registrations on the server written to; at least one
   * @return for example {@code "https://dav.example.com/push/registrations/abc"}
   * @throws IllegalArgumentException if {@code own} is empty
   */
  public static String value(Collection<PushRegistration> own) {
    requireNonNull(own, "own");
    if (own.isEmpty()) {
      throw new IllegalArgumentException(
          "own: expected at least one registration; omit the header when there is none");
    }
    List<URI> urls = new ArrayList<>(own.size());
    for (PushRegistration r : own) {
      urls.add(r.registrationUrl());
    }
    return PushDontNotify.format(urls);
  }

  /**
   * The value for one request of a batch (R-WDP-44): {@code *} for every request but the last,
   * which names the client's registrations, so that other clients get one message for the batch. If
   * the last request fails, nobody is notified of the earlier ones: send it (or a no-op write)
   * again.
   *
   * @param index the request's position, 0-based
   * @param count the number of requests in the batch, ≥ 1
   * @param own the client's registrations; at least one
   * @return {@code *} or the URLs
   * @throws IllegalArgumentException if index is outside [0, count) or {@code own} is empty
   */
  public static String batchValue(int index, int count, Collection<PushRegistration> own) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "index/count: expected 0 <= index < count, got " + index + "/" + count);
    }
    return index < count - 1 ? PushDontNotify.formatAll() : value(own);
  }

  /**
   * Adds the header naming the given registrations to an HttpClient 5 request. Does nothing if
   * {@code own} is empty.
   *
   * @param request the write request (PUT, DELETE, PROPPATCH, MOVE …)
   * @param own the client's registrations on the server written to
   */
  public static void addTo(HttpMessage request, Collection<PushRegistration> own) {
    requireNonNull(request, "request");
    if (!requireNonNull(own, "own").isEmpty()) {
      request.addHeader(HEADER, value(own));
    }
  }

  /**
   * Adds the header naming the given registrations to a {@code java.net.http} request. Does nothing
   * if {@code own} is empty.
   *
   * @param request the builder of the write request
   * @param own the client's registrations on the server written to
   */
  public static void addTo(
      java.net.http.HttpRequest.Builder request, Collection<PushRegistration> own) {
    requireNonNull(request, "request");
    if (!requireNonNull(own, "own").isEmpty()) {
      request.header(HEADER, value(own));
    }
  }

  /**
   * Adds {@code Push-Dont-Notify: *} to an HttpClient 5 request: nobody is notified of this change
   * (SHOULD NOT be used except in batches, R-WDP-39, R-WDP-44).
   *
   * @param request the write request
   */
  public static void addAllTo(HttpMessage request) {
    requireNonNull(request, "request").addHeader(HEADER, PushDontNotify.formatAll());
  }
}
