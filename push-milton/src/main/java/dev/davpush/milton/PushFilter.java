package dev.davpush.milton;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.server.Change;
import dev.davpush.server.HandlerRequest;
import dev.davpush.server.HandlerResponse;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.spi.DavResource;
import dev.davpush.xml.PushDontNotify;
import io.milton.http.AuthenticationService;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.ResourceFactory;
import io.milton.http.Response;
import io.milton.resource.CollectionResource;
import io.milton.resource.PostableResource;
import io.milton.resource.Resource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The adapter's milton {@link Filter}, first in the chain.
 *
 * <ul>
 *   <li>{@code DELETE} of a registration URL (draft-bitfire-webdav-push §3.3, R-WDP-30, R-WDP-62)
 *       is answered here: no milton resource lives at those URLs. The request is authenticated
 *       through milton's {@link AuthenticationService} against the resource the registration was
 *       made on (the root if that is gone), then handed to {@link
 *       dev.davpush.server.PushRequestHandler}.
 *   <li>{@code POST push-register} to a push-capable resource that is not a {@link
 *       PostableResource} is answered here too, after milton's authentication and the resource's
 *       {@code authorise}: milton sends a {@code POST} only to a {@code PostableResource}, so no
 *       custom POST handler would see it.
 *   <li>Every other request: its {@code Push-Dont-Notify} field lines are kept in {@link
 *       MiltonPush#DONT_NOTIFY_ATTRIBUTE} for {@link ChangeListener}; for {@code DELETE} and {@code
 *       MOVE} the target's topic is kept first (a deleted resource has none to look up); then the
 *       chain runs.
 *   <li>After a {@code COPY} or {@code MKCOL} that succeeded, the change is published here: milton
 *       fires no event for {@code COPY}, and for {@code MKCOL} only a {@code NewFolderEvent} that
 *       names the parent collection.
 * </ul>
 *
 * <p>Thread safety: stateless apart from the thread-safe adapter.
 */
final class PushFilter implements Filter {
  private final MiltonPush push;
  private final PushRegisterPostHandler postHandler;

  PushFilter(MiltonPush push) {
    this.push = push;
    this.postHandler = new PushRegisterPostHandler(push);
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    Request.Method method = request.getMethod();
    if (method == Request.Method.DELETE) {
      URI path = rawPath(request);
      if (path != null && push.engine().isRegistrationUrl(path)) {
        HttpManager manager = chain.getHttpManager();
        try {
          unregister(request, response, path);
        } finally {
          manager.closeResponse(response);
        }
        return;
      }
    }
    if (method == Request.Method.POST && registerOnPlainResource(chain, request, response)) {
      return;
    }
    request
        .getAttributes()
        .put(MiltonPush.DONT_NOTIFY_ATTRIBUTE, HeaderLines.of(request, PushDontNotify.HEADER));
    if (method == Request.Method.DELETE || method == Request.Method.MOVE) {
      request.getAttributes().put(MiltonPush.DELETED_TOPIC_ATTRIBUTE, before(request));
    }
    chain.process(request, response);
    if ((method == Request.Method.COPY || method == Request.Method.MKCOL) && succeeded(response)) {
      String path =
          method == Request.Method.MKCOL
              ? MiltonDavResources.canonical(MiltonPush.requestPath(request), true)
              : destination(request);
      if (path != null) {
        push.publish(Change.contentUpdate(path), request);
      }
    }
  }

  /**
   * Answers the {@code DELETE} of a registration URL, matched by its path alone: behind a proxy, or
   * under another host name, the request's authority may differ from the registration base's
   * (digest ambiguity A-12); the engine's own URL of the registration is handed on.
   */
  private void unregister(Request request, Response response, URI path) {
    Optional<Registration> registration = push.engine().registration(path);
    Resource against =
        lookUp(request, registration.map(Registration::resourcePath).orElse("/"))
            .or(() -> lookUp(request, "/"))
            .orElse(null);
    String principal = null;
    AuthenticationService auth = push.authentication();
    AuthenticationService.AuthStatus status =
        auth != null && against != null ? auth.authenticate(against, request) : null;
    if (status == null || !status.loginFailed) {
      principal = push.principal(request);
    }
    List<String> challenges =
        auth != null && against != null ? auth.getChallenges(against, request) : null;
    URI absolute = MiltonPush.requestUri(request);
    URI url =
        registration
            .map(Registration::registrationUrl)
            .orElse(
                absolute != null && push.engine().isRegistrationUrl(absolute) ? absolute : null);
    if (url == null) {
      // unknown, and not under the engine's own authority: the handler's answers, by hand
      MiltonPush.write(
          principal == null
              ? HandlerResponse.of(
                  401,
                  Map.of("WWW-Authenticate", List.of(PushRequestHandler.DEFAULT_CHALLENGE)),
                  new byte[0])
              : HandlerResponse.of(404, Map.of(), new byte[0]),
          response,
          challenges);
      return;
    }
    HandlerRequest.Builder b =
        HandlerRequest.builder("DELETE", url, MiltonPush.requestPath(request)).principal(principal);
    Optional<HandlerResponse> answer = push.handler(against, request).handle(b.build());
    MiltonPush.write(
        answer.orElseThrow(() -> new IllegalStateException("a registration URL was not handled")),
        response,
        challenges);
  }

  /** The request's raw path as a path-only URI, or null if milton's URL does not parse. */
  private static @Nullable URI rawPath(Request request) {
    URI u = MiltonPush.requestUri(request);
    if (u == null || u.getRawPath() == null || u.getRawQuery() != null) {
      return null;
    }
    try {
      return new URI(u.getRawPath());
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /**
   * {@code POST push-register} to a resource that is not a {@link PostableResource}: milton would
   * answer 405 or 501 before any custom POST handler ran, so it is answered here, after the same
   * authentication and authorisation milton applies; on a resource without push the engine refuses
   * it with 403 {@code push-not-available}.
   *
   * @return whether the request was answered
   */
  private boolean registerOnPlainResource(FilterChain chain, Request request, Response response) {
    String path = MiltonPush.requestPath(request);
    Resource target = lookUp(request, path).orElse(null);
    if (target == null || target instanceof PostableResource) {
      return false;
    }
    // a registration on a resource without push gets 403 push-not-available from the engine
    // (R-WDP-24) rather than milton's 501 for a resource that takes no POST
    if (!postHandler.looksLikePushRegister(request)) {
      return false;
    }
    HttpManager manager = chain.getHttpManager();
    try {
      AuthenticationService auth = push.authentication();
      AuthenticationService.AuthStatus status =
          auth != null ? auth.authenticate(target, request) : null;
      boolean failed = status != null && status.loginFailed;
      if (failed
          || !target.authorise(request, Request.Method.POST, status == null ? null : status.auth)) {
        java.io.InputStream body = PushRegisterPostHandler.body(request);
        if (body != null) {
          PushRegisterPostHandler.drain(body); // so that the client reads the refusal
        }
        if (failed || status == null || status.auth == null || status.auth.getTag() == null) {
          manager.getResponseHandler().respondUnauthorised(target, response, request);
        } else {
          manager.getResponseHandler().respondForbidden(target, response, request);
        }
        return true;
      }
      postHandler.process(target, request, response);
    } finally {
      manager.closeResponse(response);
    }
    return true;
  }

  /** What the engine knows of a DELETE's or MOVE's target before it goes. */
  private Before before(Request request) {
    String path = MiltonPush.requestPath(request);
    Resource r = lookUp(request, path).orElse(null);
    boolean collection = r instanceof CollectionResource;
    Optional<DavResource> known = Optional.empty();
    try {
      known = push.resources().resource(MiltonDavResources.canonical(path, collection));
    } catch (RuntimeException e) {
      // the server's view failed: the change still goes out, without a deleted topic
    }
    return new Before(collection, known.map(DavResource::topic).orElse(null));
  }

  private @Nullable String destination(Request request) {
    String dest = request.getDestinationHeader();
    if (dest == null) {
      return null;
    }
    String raw;
    try {
      URI u = new URI(dest.trim());
      raw = u.getRawPath();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    String path = HttpManager.decodeUrl(raw);
    Resource r = lookUp(request, path).orElse(null);
    return MiltonDavResources.canonical(path, r instanceof CollectionResource);
  }

  private Optional<Resource> lookUp(Request request, String path) {
    ResourceFactory f = push.factory();
    if (f == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(f.getResource(request.getHostHeader(), path));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static boolean succeeded(Response response) {
    Response.Status s = response.getStatus();
    return s != null && s.code >= 200 && s.code < 300;
  }

  /** A DELETE's or MOVE's target as it was. */
  record Before(boolean collection, @Nullable Topic topic) {}
}
