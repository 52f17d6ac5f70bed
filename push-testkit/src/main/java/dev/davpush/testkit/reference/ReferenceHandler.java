package dev.davpush.testkit.reference;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.davpush.PropertyName;
import dev.davpush.PushProperties;
import dev.davpush.server.Change;
import dev.davpush.server.HandlerRequest;
import dev.davpush.server.HandlerResponse;
import dev.davpush.server.PushEngine;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.testkit.reference.ReferenceServer.Fault;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushPropertyWriter;
import dev.davpush.xml.WebDavPush;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server's HTTP handler: a small WebDAV server over {@link DavTree}, with the
 * WebDAV-Push parts delegated to {@link PushEngine} and {@link PushRequestHandler}.
 *
 * <p>Thread safety: stateless apart from the thread-safe tree and engine.
 */
final class ReferenceHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceHandler.class);
  private static final String DAV = PropertyName.DAV;
  private static final int MAX_BODY = 1 << 20;
  private static final String ALLOW =
      "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, POST";
  private static final PropertyName RESOURCETYPE = PropertyName.of(DAV, "resourcetype");
  private static final PropertyName GETCONTENTTYPE = PropertyName.of(DAV, "getcontenttype");
  private static final PropertyName GETCONTENTLENGTH = PropertyName.of(DAV, "getcontentlength");
  private static final Set<PropertyName> PROTECTED =
      Set.of(
          RESOURCETYPE,
          PropertyName.GETETAG,
          PropertyName.SYNC_TOKEN,
          GETCONTENTTYPE,
          GETCONTENTLENGTH,
          PropertyName.GETLASTMODIFIED,
          WebDavPush.TRANSPORTS,
          WebDavPush.TOPIC,
          WebDavPush.SUPPORTED_TRIGGERS);

  private final DavTree tree;
  private final PushEngine engine;
  private final PushRequestHandler pushHandler;
  private final URI baseUri;
  private final Map<String, String> users;
  private final Set<Fault> faults;
  private final XMLInputFactory inputFactory;
  private final XMLOutputFactory outputFactory = XMLOutputFactory.newFactory();

  ReferenceHandler(
      DavTree tree,
      PushEngine engine,
      PushRequestHandler pushHandler,
      URI baseUri,
      Map<String, String> users,
      Set<Fault> faults) {
    this.tree = tree;
    this.engine = engine;
    this.pushHandler = pushHandler;
    this.baseUri = baseUri;
    this.users = users;
    this.faults = faults;
    this.inputFactory = XMLInputFactory.newFactory();
    inputFactory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    inputFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    inputFactory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Reply reply;
      try {
        reply = dispatch(exchange);
      } catch (BadRequest e) {
        reply = Reply.text(e.status, e.reason);
      } catch (RuntimeException e) {
        // the last path segment may be a registration id: a capability, never logged
        LOG.warn(
            "reference server: {} {}… failed",
            exchange.getRequestMethod(),
            DavTree.parentPath(exchange.getRequestURI().getRawPath()),
            e);
        reply = Reply.text(500, "internal error");
      }
      send(exchange, reply);
    }
  }

  private Reply dispatch(HttpExchange ex) throws IOException {
    String principal = authenticate(ex.getRequestHeaders());
    if (principal == null) {
      Reply r = Reply.text(401, "authentication required");
      r.headers.put("WWW-Authenticate", List.of("Basic realm=\"davpush reference\""));
      return r;
    }
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getRawPath();
    byte[] body = readBody(ex.getRequestBody());
    URI requestUri = baseUri.resolve(ex.getRequestURI().getRawPath());
    return switch (method) {
      case "OPTIONS" -> options(path);
      case "PROPFIND" -> propfind(path, ex.getRequestHeaders(), body, principal);
      case "PROPPATCH" -> proppatch(path, body, principal, ex.getRequestHeaders());
      case "GET", "HEAD" -> get(path, method.equals("HEAD"));
      case "PUT" -> put(path, body, ex.getRequestHeaders(), principal);
      case "MKCOL" -> mkcol(path, body, principal, ex.getRequestHeaders());
      case "DELETE" -> delete(requestUri, path, ex.getRequestHeaders(), body, principal);
      case "POST" -> post(requestUri, path, ex.getRequestHeaders(), body, principal);
      default -> {
        Reply r = Reply.text(405, "method not allowed");
        r.headers.put("Allow", List.of(ALLOW));
        yield r;
      }
    };
  }

  // --- authentication ---

  private @Nullable String authenticate(Headers headers) {
    if (users.isEmpty()) {
      return ReferenceServer.ANONYMOUS;
    }
    String auth = headers.getFirst("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String expected = users.get(user);
    boolean ok =
        expected != null
            && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    return ok ? user : null;
  }

  // --- methods ---

  private Reply options(String path) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return Reply.text(404, "not found");
    }
    Reply r = Reply.empty(200);
    String dav = "1, 3, calendar-access, addressbook";
    if (s.collection() && !faults.contains(Fault.NO_COMPLIANCE_CLASS)) {
      dav += ", " + WebDavPush.COMPLIANCE_CLASS;
    }
    r.headers.put("DAV", List.of(dav));
    r.headers.put("Allow", List.of(ALLOW));
    return r;
  }

  private Reply get(String path, boolean head) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return Reply.text(404, "not found");
    }
    byte[] body;
    String type;
    if (s.collection()) {
      StringBuilder listing = new StringBuilder();
      for (DavTree.Snapshot c : tree.childrenSnapshot(s.path())) {
        listing.append(c.path()).append('\n');
      }
      body = listing.toString().getBytes(StandardCharsets.UTF_8);
      type = "text/plain; charset=utf-8";
    } else {
      body = s.body();
      type = s.contentType();
    }
    Reply r = new Reply(200, head ? new byte[0] : body);
    r.headers.put("Content-Type", List.of(type));
    if (!s.collection()) {
      r.headers.put("ETag", List.of(s.etag()));
    }
    r.headLength = head ? body.length : -1;
    return r;
  }

  private Reply put(String path, byte[] body, Headers h, String principal) {
    if (path.endsWith("/")) {
      return Reply.text(405, "PUT on a collection is not allowed");
    }
    String type =
        Optional.ofNullable(h.getFirst("Content-Type")).orElse("application/octet-stream");
    String ifNoneMatch = h.getFirst("If-None-Match");
    DavTree.PutOutcome o =
        tree.put(
            path,
            body,
            type,
            h.getFirst("If-Match"),
            ifNoneMatch != null && ifNoneMatch.trim().equals("*"));
    return switch (o) {
      case CONFLICT -> Reply.text(409, "the parent collection does not exist");
      case NOT_ALLOWED -> Reply.text(405, "a collection exists at this path");
      case PRECONDITION_FAILED -> Reply.text(412, "precondition failed");
      case CREATED, UPDATED -> {
        publish(Change.contentUpdate(path), principal, h);
        Reply r = Reply.empty(o == DavTree.PutOutcome.CREATED ? 201 : 204);
        DavTree.Snapshot s = tree.snapshot(path);
        if (s != null) {
          r.headers.put("ETag", List.of(s.etag()));
        }
        yield r;
      }
    };
  }

  private Reply mkcol(String path, byte[] body, String principal, Headers h) {
    if (body.length > 0) {
      return Reply.text(415, "MKCOL with a body is not supported");
    }
    String p = path.endsWith("/") ? path : path + "/";
    int status = tree.mkcol(p);
    if (status == 201) {
      publish(Change.contentUpdate(p), principal, h);
    }
    return status == 201
        ? Reply.empty(201)
        : Reply.text(status, status == 405 ? "exists" : "no parent");
  }

  private Reply delete(URI requestUri, String path, Headers h, byte[] body, String principal) {
    if (engine.isRegistrationUrl(requestUri)) {
      if (faults.contains(Fault.UNREGISTER_FOR_ANYONE)) {
        principal =
            engine.registration(requestUri).map(dev.davpush.Registration::owner).orElse(principal);
      }
      return fromHandler(
              pushHandler.handle(handlerRequest("DELETE", requestUri, path, h, body, principal)))
          .orElseGet(() -> Reply.text(404, "no such registration"));
    }
    Optional<dev.davpush.Topic> topic = tree.resource(path).map(dev.davpush.spi.DavResource::topic);
    String deleted = tree.delete(path);
    if (deleted == null) {
      return Reply.text(404, "not found");
    }
    Change.Builder change = Change.contentUpdate(deleted);
    topic.ifPresent(change::deletedTopic);
    publish(change, principal, h);
    return Reply.empty(204);
  }

  private Reply post(URI requestUri, String path, Headers h, byte[] body, String principal) {
    Optional<Reply> r =
        fromHandler(
            pushHandler.handle(handlerRequest("POST", requestUri, path, h, body, principal)));
    if (r.isPresent()) {
      Reply reply = r.get();
      if (faults.contains(Fault.RELATIVE_LOCATION) && reply.headers.containsKey("Location")) {
        URI abs = URI.create(reply.headers.get("Location").get(0));
        reply.headers.put("Location", List.of(abs.getRawPath()));
      }
      return reply;
    }
    return Reply.text(415, "this server accepts only push-register documents by POST");
  }

  private void publish(Change.Builder change, String principal, Headers h) {
    if (faults.contains(Fault.NEVER_PUSH)) {
      return;
    }
    change.principal(principal);
    if (!faults.contains(Fault.IGNORE_DONT_NOTIFY)) {
      List<String> lines = h.get(PushDontNotify.HEADER);
      PushDontNotify pdn = PushDontNotify.parse(lines == null ? List.of() : lines);
      change.dontNotify(pdn.urls()).dontNotifyAll(pdn.all());
    }
    engine.publish(change.build());
  }

  // --- PROPFIND ---

  private Reply propfind(String path, Headers h, byte[] body, String principal) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return Reply.text(404, "not found");
    }
    String depth = Optional.ofNullable(h.getFirst("Depth")).orElse("infinity").trim();
    if (!depth.equals("0") && !depth.equals("1")) {
      return Reply.text(403, "Depth: infinity is not supported; use 0 or 1");
    }
    List<PropertyName> requested = parsePropfind(body);
    List<DavTree.Snapshot> targets = new ArrayList<>();
    targets.add(s);
    if (depth.equals("1") && s.collection()) {
      targets.addAll(tree.childrenSnapshot(s.path()));
    }
    return multistatus(
        w -> {
          for (DavTree.Snapshot t : targets) {
            writeResponse(w, t, requested, principal);
          }
        });
  }

  /** Writes the body of a {@code 207 Multi-Status} answer. */
  @FunctionalInterface
  private interface ResponsesWriter {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  /** A {@code 207 Multi-Status} answer whose {@code D:response}s the writer supplies. */
  private Reply multistatus(ResponsesWriter responses) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w = outputFactory.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("D", "multistatus", DAV);
      w.writeNamespace("D", DAV);
      w.writeNamespace("P", WebDavPush.NAMESPACE);
      responses.write(w);
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing multistatus", e);
    }
    Reply r = new Reply(207, out.toByteArray());
    r.headers.put("Content-Type", List.of("application/xml; charset=\"utf-8\""));
    return r;
  }

  private void writeResponse(
      XMLStreamWriter w, DavTree.Snapshot s, List<PropertyName> requested, String principal)
      throws XMLStreamException {
    Optional<PushProperties> push = engine.properties(s.path(), principal);
    List<PropertyName> names = requested.isEmpty() ? allprop(s) : requested;
    List<PropertyName> missing = new ArrayList<>();
    w.writeStartElement("D", "response", DAV);
    w.writeStartElement("D", "href", DAV);
    w.writeCharacters(s.path());
    w.writeEndElement();
    w.writeStartElement("D", "propstat", DAV);
    w.writeStartElement("D", "prop", DAV);
    for (PropertyName n : names) {
      if (!writeProperty(w, s, n, push)) {
        missing.add(n);
      }
    }
    w.writeEndElement();
    writeStatus(w, "HTTP/1.1 200 OK");
    w.writeEndElement();
    if (!missing.isEmpty()) {
      w.writeStartElement("D", "propstat", DAV);
      w.writeStartElement("D", "prop", DAV);
      for (PropertyName n : missing) {
        writeEmpty(w, n);
      }
      w.writeEndElement();
      writeStatus(w, "HTTP/1.1 404 Not Found");
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  private static List<PropertyName> allprop(DavTree.Snapshot s) {
    List<PropertyName> names = new ArrayList<>();
    names.add(RESOURCETYPE);
    if (s.collection()) {
      names.add(PropertyName.SYNC_TOKEN);
    } else {
      names.add(PropertyName.GETETAG);
      names.add(GETCONTENTTYPE);
      names.add(GETCONTENTLENGTH);
    }
    names.addAll(s.deadProperties().keySet());
    return names;
  }

  private boolean writeProperty(
      XMLStreamWriter w, DavTree.Snapshot s, PropertyName n, Optional<PushProperties> push)
      throws XMLStreamException {
    if (n.equals(RESOURCETYPE)) {
      w.writeStartElement("D", "resourcetype", DAV);
      for (PropertyName t : s.resourceTypes()) {
        writeEmpty(w, t);
      }
      w.writeEndElement();
      return true;
    }
    if (n.equals(WebDavPush.TRANSPORTS) && push.isPresent()) {
      PushPropertyWriter.writeTransports(w, push.get().transports());
      return true;
    }
    if (n.equals(WebDavPush.TOPIC) && push.isPresent()) {
      PushPropertyWriter.writeTopic(w, push.get().topic());
      return true;
    }
    if (n.equals(WebDavPush.SUPPORTED_TRIGGERS) && push.isPresent()) {
      PushPropertyWriter.writeSupportedTriggers(w, push.get().supportedTriggers());
      return true;
    }
    String text = null;
    if (n.equals(PropertyName.SYNC_TOKEN) && s.collection()) {
      text = s.syncToken();
    } else if (n.equals(PropertyName.GETETAG) && !s.collection()) {
      text = s.etag();
    } else if (n.equals(GETCONTENTTYPE) && !s.collection()) {
      text = s.contentType();
    } else if (n.equals(GETCONTENTLENGTH) && !s.collection()) {
      text = Integer.toString(s.body().length);
    } else if (s.deadProperties().containsKey(n)) {
      text = s.deadProperties().get(n);
    }
    if (text == null) {
      return false;
    }
    writeStart(w, n);
    w.writeCharacters(text);
    w.writeEndElement();
    return true;
  }

  private static void writeStatus(XMLStreamWriter w, String status) throws XMLStreamException {
    w.writeStartElement("D", "status", DAV);
    w.writeCharacters(status);
    w.writeEndElement();
  }

  private static void writeStart(XMLStreamWriter w, PropertyName n) throws XMLStreamException {
    if (n.namespaceUri().equals(DAV)) {
      w.writeStartElement("D", n.localName(), DAV);
    } else if (n.namespaceUri().equals(WebDavPush.NAMESPACE)) {
      w.writeStartElement("P", n.localName(), WebDavPush.NAMESPACE);
    } else {
      w.writeStartElement("X", n.localName(), n.namespaceUri());
      w.writeNamespace("X", n.namespaceUri());
    }
  }

  private static void writeEmpty(XMLStreamWriter w, PropertyName n) throws XMLStreamException {
    writeStart(w, n);
    w.writeEndElement();
  }

  /** The property names of a {@code propfind} body; empty for allprop or an empty body. */
  private List<PropertyName> parsePropfind(byte[] body) {
    if (body.length == 0) {
      return List.of();
    }
    List<PropertyName> names = new ArrayList<>();
    boolean allprop = false;
    try {
      XMLStreamReader r = inputFactory.createXMLStreamReader(new ByteArrayInputStream(body));
      int depth = 0;
      boolean inProp = false;
      while (r.hasNext()) {
        int e = r.next();
        if (e == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String ns = Optional.ofNullable(r.getNamespaceURI()).orElse("");
          if (depth == 1 && !(ns.equals(DAV) && r.getLocalName().equals("propfind"))) {
            throw new BadRequest(400, "expected a DAV:propfind document");
          }
          if (depth == 2 && ns.equals(DAV) && r.getLocalName().equals("prop")) {
            inProp = true;
          } else if (depth == 2
              && ns.equals(DAV)
              && (r.getLocalName().equals("allprop") || r.getLocalName().equals("propname"))) {
            allprop = true;
          } else if (depth == 3 && inProp) {
            names.add(PropertyName.of(ns, r.getLocalName()));
          }
        } else if (e == XMLStreamConstants.END_ELEMENT) {
          if (depth == 2) {
            inProp = false;
          }
          depth--;
        } else if (e == XMLStreamConstants.DTD) {
          throw new BadRequest(400, "DTDs are not accepted");
        }
      }
    } catch (XMLStreamException | IllegalArgumentException e) {
      throw new BadRequest(400, "malformed PROPFIND body");
    }
    return allprop ? List.of() : names;
  }

  // --- PROPPATCH ---

  private Reply proppatch(String path, byte[] body, String principal, Headers h) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return Reply.text(404, "not found");
    }
    Map<PropertyName, @Nullable String> changes = parsePropertyUpdate(body);
    boolean refused = changes.keySet().stream().anyMatch(PROTECTED::contains);
    if (!refused) {
      tree.setProperties(path, changes);
    }
    Reply reply =
        multistatus(
            w -> {
              w.writeStartElement("D", "response", DAV);
              w.writeStartElement("D", "href", DAV);
              w.writeCharacters(s.path());
              w.writeEndElement();
              for (PropertyName n : changes.keySet()) {
                w.writeStartElement("D", "propstat", DAV);
                w.writeStartElement("D", "prop", DAV);
                writeEmpty(w, n);
                w.writeEndElement();
                writeStatus(
                    w,
                    !refused
                        ? "HTTP/1.1 200 OK"
                        : PROTECTED.contains(n)
                            ? "HTTP/1.1 403 Forbidden"
                            : "HTTP/1.1 424 Failed Dependency");
                w.writeEndElement();
              }
              w.writeEndElement();
            });
    if (!refused && !changes.isEmpty()) {
      publish(Change.propertyUpdate(s.path(), changes.keySet()), principal, h);
    }
    return reply;
  }

  /** set → text value, remove → null; in document order. */
  private Map<PropertyName, @Nullable String> parsePropertyUpdate(byte[] body) {
    Map<PropertyName, @Nullable String> changes = new LinkedHashMap<>();
    try {
      XMLStreamReader r = inputFactory.createXMLStreamReader(new ByteArrayInputStream(body));
      int depth = 0;
      boolean set = false;
      PropertyName current = null;
      StringBuilder text = new StringBuilder();
      while (r.hasNext()) {
        int e = r.next();
        if (e == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String ns = Optional.ofNullable(r.getNamespaceURI()).orElse("");
          if (depth == 1 && !(ns.equals(DAV) && r.getLocalName().equals("propertyupdate"))) {
            throw new BadRequest(400, "expected a DAV:propertyupdate document");
          }
          if (depth == 2) {
            set = r.getLocalName().equals("set");
          } else if (depth == 4) {
            current = PropertyName.of(ns, r.getLocalName());
            text.setLength(0);
          }
        } else if (e == XMLStreamConstants.CHARACTERS && depth >= 4) {
          text.append(r.getText());
        } else if (e == XMLStreamConstants.END_ELEMENT) {
          if (depth == 4 && current != null) {
            changes.put(current, set ? text.toString().strip() : null);
            current = null;
          }
          depth--;
        } else if (e == XMLStreamConstants.DTD) {
          throw new BadRequest(400, "DTDs are not accepted");
        }
      }
    } catch (XMLStreamException | IllegalArgumentException e) {
      throw new BadRequest(400, "malformed PROPPATCH body");
    }
    if (changes.isEmpty()) {
      throw new BadRequest(400, "PROPPATCH without properties");
    }
    return changes;
  }

  // --- push handler bridge ---

  private static HandlerRequest handlerRequest(
      String method, URI requestUri, String path, Headers h, byte[] body, String principal) {
    return HandlerRequest.builder(method, requestUri, path)
        .headers(h)
        .body(body)
        .principal(principal)
        .build();
  }

  private static Optional<Reply> fromHandler(Optional<HandlerResponse> response) {
    return response.map(
        hr -> {
          Reply r = new Reply(hr.status(), hr.body());
          hr.headers().forEach((k, v) -> r.headers.put(k, List.copyOf(v)));
          return r;
        });
  }

  // --- plumbing ---

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] data = in.readNBytes(MAX_BODY + 1);
    if (data.length > MAX_BODY) {
      throw new BadRequest(413, "request body larger than " + MAX_BODY + " bytes");
    }
    return data;
  }

  private static void send(HttpExchange ex, Reply reply) throws IOException {
    Headers out = ex.getResponseHeaders();
    reply.headers.forEach(out::put);
    boolean noBody = reply.status == 204 || reply.status == 304 || reply.body.length == 0;
    if (reply.headLength >= 0) {
      out.set("Content-Length", Integer.toString(reply.headLength));
      ex.sendResponseHeaders(reply.status, -1);
      return;
    }
    ex.sendResponseHeaders(reply.status, noBody ? -1 : reply.body.length);
    if (!noBody) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(reply.body);
      }
    }
  }

  /** An answer under construction. */
  private static final class Reply {
    final int status;
    final byte[] body;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    int headLength = -1;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    static Reply empty(int status) {
      return new Reply(status, new byte[0]);
    }

    static Reply text(int status, String message) {
      Reply r = new Reply(status, (message + "\n").getBytes(StandardCharsets.UTF_8));
      r.headers.put("Content-Type", List.of("text/plain; charset=utf-8"));
      return r;
    }
  }

  /** A request the server refuses with a 4xx status before doing anything. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String reason;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
      this.reason = message;
    }
  }
}
