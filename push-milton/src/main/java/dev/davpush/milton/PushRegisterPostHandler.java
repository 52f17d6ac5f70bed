package dev.davpush.milton;

import dev.davpush.server.HandlerRequest;
import dev.davpush.server.HandlerResponse;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.xml.PushRegisterReader;
import io.milton.http.AuthenticationService;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.http.http11.CustomPostHandler;
import io.milton.resource.CollectionResource;
import io.milton.resource.Resource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Answers {@code POST push-register} (draft-bitfire-webdav-push §3.1; R-WDP-11, R-WDP-24..28)
 * through {@link PushRequestHandler}. milton calls it after it has found the target {@link
 * io.milton.resource.PostableResource} and authenticated and authorised the {@code POST}.
 *
 * <p>{@link #supports} looks at the first {@value PushRequestHandler#SNIFF_BYTES} bytes of an XML
 * body sent to a push-capable resource for a {@code push-register} root element; the buffered body
 * stays readable from the request attribute {@link MiltonPush#BODY_ATTRIBUTE} for other handlers.
 * {@code POST}s to other resources are not looked at.
 *
 * <p>Thread safety: stateless apart from the thread-safe adapter.
 */
final class PushRegisterPostHandler implements CustomPostHandler {
  /** Upper bound on the rest of a refused body read before answering: 4 MiB. */
  static final long MAX_DRAIN_BYTES = 4L << 20;

  private final MiltonPush push;

  PushRegisterPostHandler(MiltonPush push) {
    this.push = push;
  }

  @Override
  public boolean supports(Resource resource, Request request) {
    if (push.pathOf(resource, request).flatMap(p -> push.resources().resource(p)).isEmpty()) {
      return false; // not push-capable: its POSTs, bodies untouched, are the resource's own
    }
    return looksLikePushRegister(request);
  }

  /**
   * Whether a request is an XML {@code POST} whose body starts a {@code push-register} document;
   * the body stays readable.
   *
   * @param request the request
   * @return true if it is a registration, whatever its target
   */
  boolean looksLikePushRegister(Request request) {
    String type = request.getContentTypeHeader();
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("xml")) {
      return false;
    }
    InputStream body = body(request);
    if (body == null) {
      return false;
    }
    try {
      body.mark(PushRequestHandler.SNIFF_BYTES + 1);
      byte[] prefix = body.readNBytes(PushRequestHandler.SNIFF_BYTES);
      body.reset();
      return PushRegisterReader.isPushRegister(prefix, prefix.length);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void process(Resource resource, Request request, Response response) {
    InputStream body = body(request);
    String path =
        push.pathOf(resource, request)
            .orElseGet(
                () ->
                    MiltonDavResources.canonical(
                        MiltonPush.requestPath(request), resource instanceof CollectionResource));
    URI uri = MiltonPush.requestUri(request);
    if (uri == null || !uri.isAbsolute() || body == null) {
      respond(response, 400, "unreadable request");
      return;
    }
    HandlerRequest.Builder b =
        HandlerRequest.builder("POST", uri, path).body(body).principal(push.principal(request));
    request
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (name != null && value != null) {
                b.header(name, value);
              }
            });
    Optional<HandlerResponse> answer = push.handler(resource, request).handle(b.build());
    // an answer before the whole body was read (a refused document) would leave the client
    // writing into a closed connection, without seeing the answer: read on, within a bound
    drain(body);
    if (answer.isEmpty()) {
      respond(response, 415, "expected a push-register document");
      return;
    }
    MiltonPush.write(answer.get(), response, challenges(resource, request));
  }

  private @Nullable List<String> challenges(Resource resource, Request request) {
    AuthenticationService auth = push.authentication();
    return auth == null ? null : auth.getChallenges(resource, request);
  }

  /** The request body, buffered once per request and kept in the request's attributes. */
  static @Nullable InputStream body(Request request) {
    Object kept = request.getAttributes().get(MiltonPush.BODY_ATTRIBUTE);
    if (kept instanceof InputStream in) {
      return in;
    }
    try {
      InputStream raw = request.getInputStream();
      if (raw == null) {
        return null;
      }
      InputStream in = new BufferedInputStream(raw, PushRequestHandler.SNIFF_BYTES + 1);
      request.getAttributes().put(MiltonPush.BODY_ATTRIBUTE, in);
      return in;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Reads what is left of a body, at most {@link #MAX_DRAIN_BYTES}; a longer body is left to the
   * container, which closes the connection.
   */
  static void drain(InputStream body) {
    byte[] scratch = new byte[8192];
    long left = MAX_DRAIN_BYTES;
    try {
      int n;
      while (left > 0 && (n = body.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void respond(Response response, int status, String text) {
    Response.Status s = Response.Status.fromCode(status);
    response.setStatus(s != null ? s : Response.Status.SC_BAD_REQUEST);
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.setContentTypeHeader("text/plain; charset=utf-8");
    response.setContentLengthHeader((long) body.length);
    try {
      response.getOutputStream().write(body);
    } catch (IOException e) {
      // the client went away; nothing else to tell it
    }
  }
}
