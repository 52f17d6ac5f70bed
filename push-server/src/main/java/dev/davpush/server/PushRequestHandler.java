package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.PreconditionException;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.xml.ErrorWriter;
import dev.davpush.xml.HttpDates;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushRegisterReader;
import dev.davpush.xml.PushXmlException;
import dev.davpush.xml.WebDavPush;
import dev.davpush.xml.XmlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The WebDAV-Push requests of a DAV server, handled independently of its HTTP framework
 * (draft-bitfire-webdav-push §3.1–§3.3): registration {@code POST}s and {@code DELETE}s of
 * registration URLs. A server calls {@link #handle} early for every request and copies a present
 * answer onto its response; an empty answer means "not a push request, handle it yourself".
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>{@code POST} whose body's root element is {@code push-register} (current or {@code
 *       DAV:Push} namespace; R-WDP-11): without principal {@code 401} with {@code WWW-Authenticate}
 *       (R-WDP-62); otherwise the body is read with {@link PushRegisterReader} and passed to {@link
 *       PushEngine#register}: {@code 204} for a new registration and for an update alike (R-WDP-24:
 *       {@code 201} is for a body of transport-defined extra data, and Web Push defines none;
 *       R-WDP-28), with the absolute {@code Location} (R-WDP-25) and {@code Expires} as IMF-fixdate
 *       (R-WDP-26); a refused precondition gives {@code 403} with the {@link ErrorWriter} body
 *       (R-WDP-24); a registration over a {@link RegistrationLimits} count gives {@code 507} and
 *       over a size {@code 413}, both with {@code <D:error><D:quota-not-exceeded/></D:error>} (RFC
 *       4331 §6); malformed, hostile or over-limit XML gives {@code 400} with a short plain-text
 *       reason; nothing is stored in any of these cases. Other {@code POST}s (another root element,
 *       a {@code Content-Type} that is not XML, a body that does not reach its root start tag
 *       within the first 8 KiB) are left to the server: the body is reset, read it from {@link
 *       HandlerRequest#body()}.
 *   <li>{@code DELETE} of a URL the engine minted ({@link PushEngine#isRegistrationUrl}): without
 *       principal {@code 401} with {@code WWW-Authenticate}; otherwise {@code 204} removed, {@code
 *       404} unknown or expired, {@code 403} another principal's registration (R-WDP-30, R-WDP-62).
 *   <li>Anything else: empty.
 * </ul>
 *
 * <p>When the server publishes a change caused by a request, it applies the request's {@code
 * Push-Dont-Notify} and principal with {@link #dontNotify(Change.Builder, HandlerRequest)}.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class PushRequestHandler {
  /** How many bytes of a {@code POST} body are inspected to find the root element. */
  public static final int SNIFF_BYTES = 8192;

  /**
   * The default {@code WWW-Authenticate} challenge of a {@code 401}: {@value}. Servers that
   * authenticate otherwise give theirs to {@link #of(PushEngine, XmlLimits, String)}.
   */
  public static final String DEFAULT_CHALLENGE = "Basic realm=\"WebDAV\", charset=\"UTF-8\"";

  private static final byte[] QUOTA_ERROR =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              + "<D:error xmlns:D=\"DAV:\"><D:quota-not-exceeded/></D:error>\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final PushEngine engine;
  private final XmlLimits limits;
  private final String challenge;

  private PushRequestHandler(PushEngine engine, XmlLimits limits, String challenge) {
    this.engine = engine;
    this.limits = limits;
    this.challenge = challenge;
  }

  /**
   * A handler driving an engine, reading with the default {@link XmlLimits}.
   *
   * @param engine the engine
   * @return the handler
   */
  public static PushRequestHandler of(PushEngine engine) {
    return of(engine, XmlLimits.defaults());
  }

  /**
   * A handler driving an engine.
   *
   * @param engine the engine
   * @param limits limits for reading {@code push-register} bodies
   * @return the handler
   */
  public static PushRequestHandler of(PushEngine engine, XmlLimits limits) {
    return of(engine, limits, DEFAULT_CHALLENGE);
  }

  /**
   * A handler driving an engine, with the server's own authentication challenge.
   *
   * @param engine the engine
   * @param limits limits for reading {@code push-register} bodies
   * @param challenge the {@code WWW-Authenticate} value of a {@code 401} (RFC 9110 §11.6.1;
   *     R-WDP-62), for example {@code Bearer realm="dav"}; no CR or LF
   * @return the handler
   * @throws IllegalArgumentException if the challenge is blank or contains CR or LF
   */
  public static PushRequestHandler of(PushEngine engine, XmlLimits limits, String challenge) {
    requireNonNull(challenge, "challenge");
    if (challenge.isBlank() || challenge.indexOf('\r') >= 0 || challenge.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "challenge: expected a non-blank header value without CR or LF");
    }
    return new PushRequestHandler(
        requireNonNull(engine, "engine"), requireNonNull(limits, "limits"), challenge);
  }

  /**
   * Handles a request if it is a WebDAV-Push request.
   *
   * @param request the request
   * @return the answer, or empty if the server should handle the request itself
   */
  public Optional<HandlerResponse> handle(HandlerRequest request) {
    requireNonNull(request, "request");
    return switch (request.method()) {
      case "POST" -> post(request);
      case "DELETE" -> delete(request);
      default -> Optional.empty();
    };
  }

  /**
   * Applies a request's {@code Push-Dont-Notify} header (R-WDP-38..42) and principal (to whose
   * registrations the header applies, R-WDP-62) to a change the server is about to publish.
   *
   * @param change the change being built
   * @param request the request that caused it
   * @return the same builder
   */
  public static Change.Builder dontNotify(Change.Builder change, HandlerRequest request) {
    requireNonNull(change, "change");
    requireNonNull(request, "request");
    change.principal(request.principal());
    PushDontNotify header = PushDontNotify.parse(request.headers(PushDontNotify.HEADER));
    if (!header.urls().isEmpty()) {
      change.dontNotify(header.urls());
    }
    if (header.all()) {
      change.dontNotifyAll(true);
    }
    return change;
  }

  private Optional<HandlerResponse> post(HandlerRequest request) {
    String type = request.header("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("xml")) {
      return Optional.empty();
    }
    if (!isPushRegister(request.body())) {
      return Optional.empty();
    }
    String principal = request.principal();
    if (principal == null) {
      return Optional.of(unauthorized("register for push"));
    }
    RegisterRequest register;
    try {
      register = PushRegisterReader.read(request.body(), limits);
    } catch (PushXmlException e) {
      return Optional.of(
          HandlerResponse.builder(400).text("push-register: " + e.getMessage()).build());
    } catch (PreconditionException e) {
      return Optional.of(refused(e));
    }
    RegistrationResult result;
    try {
      result = engine.register(request.path(), principal, register);
    } catch (PreconditionException e) {
      return Optional.of(refused(e));
    } catch (RegistrationLimitException e) {
      return Optional.of(
          HandlerResponse.builder(e.isQuota() ? 507 : 413)
              .body(QUOTA_ERROR, WebDavPush.MEDIA_TYPE)
              .build());
    }
    Registration r = result.registration();
    // R-WDP-24: 201 only with transport-defined extra data in the body; Web Push defines none
    return Optional.of(
        HandlerResponse.builder(204)
            .header("Location", r.registrationUrl().toASCIIString())
            .header("Expires", HttpDates.format(r.expires()))
            .build());
  }

  // R-WDP-62: 401 with the server's challenge
  private HandlerResponse unauthorized(String toDoWhat) {
    return HandlerResponse.builder(401)
        .header("WWW-Authenticate", challenge)
        .text("authentication is required to " + toDoWhat)
        .build();
  }

  private Optional<HandlerResponse> delete(HandlerRequest request) {
    if (!engine.isRegistrationUrl(request.uri())) {
      return Optional.empty();
    }
    String principal = request.principal();
    if (principal == null) {
      return Optional.of(unauthorized("unregister"));
    }
    UnregisterResult result = engine.unregister(request.uri(), principal);
    return Optional.of(
        switch (result) {
          case REMOVED -> HandlerResponse.builder(204).build();
          case NOT_FOUND -> HandlerResponse.builder(404).text("no such registration").build();
          case FORBIDDEN ->
              HandlerResponse.builder(403)
                  .text("the registration belongs to another principal")
                  .build();
        });
  }

  private static HandlerResponse refused(PreconditionException e) {
    return HandlerResponse.builder(403)
        .body(ErrorWriter.write(e.precondition()), WebDavPush.MEDIA_TYPE)
        .build();
  }

  /** Peeks at the body's start; always resets it. */
  private static boolean isPushRegister(InputStream body) {
    byte[] prefix;
    try {
      body.mark(SNIFF_BYTES + 1);
      try {
        prefix = body.readNBytes(SNIFF_BYTES);
      } finally {
        body.reset();
      }
    } catch (IOException e) {
      return false;
    }
    return PushRegisterReader.isPushRegister(prefix, prefix.length);
  }
}
