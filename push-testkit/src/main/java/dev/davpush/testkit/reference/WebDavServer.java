package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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

/**
 * A small in-memory WebDAV server over {@link DavTree} that knows nothing of push: {@code OPTIONS},
 * {@code PROPFIND} (depth 0 and 1), {@code PROPPATCH} of dead properties, {@code GET}/{@code HEAD},
 * {@code PUT} (with {@code If-Match} and {@code If-None-Match: *}), {@code MKCOL}, {@code DELETE}
 * and {@code POST}. Whatever a protocol extension needs it adds through {@link Extensions}: extra
 * {@code DAV} tokens, extra live properties, a {@code POST} handler, a {@code DELETE} interceptor,
 * and a listener told of every committed change with the request that caused it.
 *
 * <p>Thread safety: safe for concurrent use (the tree is synchronized; the extensions must be
 * thread-safe themselves).
 */
public final class WebDavServer implements DavHandler {
  private static final String DAV = PropertyName.DAV;
  private static final String ALLOW =
      "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, POST";
  private static final PropertyName RESOURCETYPE = PropertyName.of(DAV, "resourcetype");
  private static final PropertyName GETCONTENTTYPE = PropertyName.of(DAV, "getcontenttype");
  private static final PropertyName GETCONTENTLENGTH = PropertyName.of(DAV, "getcontentlength");
  static final PropertyName CURRENT_USER_PRINCIPAL = PropertyName.of(DAV, "current-user-principal");
  static final PropertyName CALENDAR_HOME_SET =
      PropertyName.of(DavTree.CALDAV, "calendar-home-set");
  static final PropertyName ADDRESSBOOK_HOME_SET =
      PropertyName.of(DavTree.CARDDAV, "addressbook-home-set");
  private static final Set<PropertyName> PROTECTED =
      Set.of(
          RESOURCETYPE,
          CURRENT_USER_PRINCIPAL,
          CALENDAR_HOME_SET,
          ADDRESSBOOK_HOME_SET,
          PropertyName.GETETAG,
          PropertyName.SYNC_TOKEN,
          GETCONTENTTYPE,
          GETCONTENTLENGTH,
          PropertyName.GETLASTMODIFIED);

  /** Extra compliance classes for the {@code DAV} header of {@code OPTIONS}. */
  @FunctionalInterface
  public interface DavTokens {
    /**
     * The extra tokens of a resource.
     *
     * @param path the canonical path
     * @param collection whether it is a collection
     * @return tokens to append, in order; possibly empty
     */
    List<String> tokens(String path, boolean collection);
  }

  /** Live properties the server does not store itself, written into {@code PROPFIND} answers. */
  public interface LiveProperties {
    /** {@return the names this source may write; {@code PROPPATCH} refuses them as protected} */
    Set<PropertyName> names();

    /**
     * Writes one property element, if the resource has it for this principal.
     *
     * @param w the writer, inside {@code DAV:prop}; prefixes {@code D} (DAV:) and {@code P}
     *     (WebDAV-Push) are bound
     * @param name the requested property
     * @param path the canonical path
     * @param principal the authenticated principal
     * @return false if the resource has no such property (it is then reported in a 404 propstat)
     * @throws XMLStreamException if writing fails
     */
    boolean write(XMLStreamWriter w, PropertyName name, String path, String principal)
        throws XMLStreamException;
  }

  /** Handles {@code POST} requests. */
  @FunctionalInterface
  public interface PostHandler {
    /**
     * Answers a {@code POST}.
     *
     * @param request the request
     * @return the answer, or empty for "not mine" ({@code 415} follows)
     */
    Optional<DavReply> post(DavRequest request);
  }

  /** Sees every {@code DELETE} before the tree does. */
  @FunctionalInterface
  public interface DeleteInterceptor {
    /**
     * Answers a {@code DELETE} of something that is not in the tree, if it is its own.
     *
     * @param request the request
     * @return the answer, or empty to let the tree delete the resource
     */
    Optional<DavReply> delete(DavRequest request);
  }

  /** Told of every committed change, on the request thread, after the change. */
  @FunctionalInterface
  public interface ChangeListener {
    /**
     * A change was committed.
     *
     * @param change what changed
     * @param cause the request that changed it (principal and headers)
     */
    void changed(DavChange change, DavRequest cause);
  }

  /**
   * A committed change.
   *
   * @param path the canonical path of the changed resource (a collection ends with {@code /})
   * @param collection whether the resource is a collection
   * @param deleted whether the resource was deleted
   * @param properties the dead properties a {@code PROPPATCH} changed; empty for a content change
   *     (create, update, delete)
   */
  public record DavChange(
      String path, boolean collection, boolean deleted, Set<PropertyName> properties) {
    /**
     * Copies the properties.
     *
     * @param path as on the record
     * @param collection as on the record
     * @param deleted as on the record
     * @param properties as on the record
     */
    public DavChange {
      requireNonNull(path, "path");
      properties = Set.copyOf(properties);
    }

    /** {@return true for a change of content (members or body), false for properties only} */
    public boolean isContentUpdate() {
      return properties.isEmpty();
    }
  }

  /**
   * The extension seams; {@link #none()} adds nothing.
   *
   * @param davTokens extra {@code DAV} tokens
   * @param liveProperties extra live properties
   * @param post the {@code POST} handler
   * @param delete the {@code DELETE} interceptor
   * @param changes the change listener
   */
  public record Extensions(
      DavTokens davTokens,
      LiveProperties liveProperties,
      PostHandler post,
      DeleteInterceptor delete,
      ChangeListener changes) {
    /**
     * Checks that every seam is set.
     *
     * @param davTokens as on the record
     * @param liveProperties as on the record
     * @param post as on the record
     * @param delete as on the record
     * @param changes as on the record
     */
    public Extensions {
      requireNonNull(davTokens, "davTokens");
      requireNonNull(liveProperties, "liveProperties");
      requireNonNull(post, "post");
      requireNonNull(delete, "delete");
      requireNonNull(changes, "changes");
    }

    /** {@return extensions that add nothing} */
    public static Extensions none() {
      return new Extensions(
          (p, c) -> List.of(),
          new LiveProperties() {
            @Override
            public Set<PropertyName> names() {
              return Set.of();
            }

            @Override
            public boolean write(XMLStreamWriter w, PropertyName n, String p, String principal) {
              return false;
            }
          },
          r -> Optional.empty(),
          r -> Optional.empty(),
          (c, r) -> {});
    }

    /**
     * These extensions with other {@code DAV} tokens.
     *
     * @param t the tokens
     * @return new extensions
     */
    public Extensions withDavTokens(DavTokens t) {
      return new Extensions(t, liveProperties, post, delete, changes);
    }

    /**
     * These extensions with other live properties.
     *
     * @param l the properties
     * @return new extensions
     */
    public Extensions withLiveProperties(LiveProperties l) {
      return new Extensions(davTokens, l, post, delete, changes);
    }

    /**
     * These extensions with another {@code POST} handler.
     *
     * @param p the handler
     * @return new extensions
     */
    public Extensions withPost(PostHandler p) {
      return new Extensions(davTokens, liveProperties, p, delete, changes);
    }

    /**
     * These extensions with another {@code DELETE} interceptor.
     *
     * @param d the interceptor
     * @return new extensions
     */
    public Extensions withDelete(DeleteInterceptor d) {
      return new Extensions(davTokens, liveProperties, post, d, changes);
    }

    /**
     * These extensions with another change listener.
     *
     * @param c the listener
     * @return new extensions
     */
    public Extensions withChanges(ChangeListener c) {
      return new Extensions(davTokens, liveProperties, post, delete, c);
    }
  }

  /**
   * Where the principals (RFC 3744 §2) and their home sets (RFC 4791 §6.2.1, RFC 6352 §7.1.1) are:
   * {@code DAV:current-user-principal} (RFC 5397) of every resource names {@code
   * <principals><user>/} when the tree has it, and every resource of type {@code DAV:principal}
   * names the two home sets. Every principal shares the same home sets in this small server.
   *
   * @param principals the principal collection's path, ending with {@code /}
   * @param calendarHome the calendar home set's path
   * @param addressbookHome the address book home set's path
   */
  record Principals(String principals, String calendarHome, String addressbookHome) {
    Principals {
      requireNonNull(principals, "principals");
      requireNonNull(calendarHome, "calendarHome");
      requireNonNull(addressbookHome, "addressbookHome");
    }
  }

  private final DavTree tree;
  private final Extensions ext;
  private final @Nullable Principals principals;
  private final XMLInputFactory inputFactory;
  private final XMLOutputFactory outputFactory = XMLOutputFactory.newFactory();

  WebDavServer(DavTree tree, Extensions extensions) {
    this(tree, extensions, null);
  }

  WebDavServer(DavTree tree, Extensions extensions, @Nullable Principals principals) {
    this.tree = requireNonNull(tree, "tree");
    this.ext = requireNonNull(extensions, "extensions");
    this.principals = principals;
    this.inputFactory = XMLInputFactory.newFactory();
    inputFactory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    inputFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    inputFactory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
  }

  @Override
  public DavReply handle(DavRequest r) {
    try {
      return switch (r.method()) {
        case "OPTIONS" -> options(r.path());
        case "PROPFIND" -> propfind(r);
        case "PROPPATCH" -> proppatch(r);
        case "GET", "HEAD" -> get(r.path(), r.method().equals("HEAD"));
        case "PUT" -> put(r);
        case "MKCOL" -> mkcol(r);
        case "DELETE" -> delete(r);
        case "POST" ->
            ext.post()
                .post(r)
                .orElseGet(() -> DavReply.text(415, "this server accepts no such POST body"));
        default -> DavReply.text(405, "method not allowed").withHeader("Allow", List.of(ALLOW));
      };
    } catch (BadRequest e) {
      return DavReply.text(e.status, e.reason);
    }
  }

  private DavReply options(String path) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return DavReply.text(404, "not found");
    }
    List<String> dav = new ArrayList<>(List.of("1", "3", "calendar-access", "addressbook"));
    dav.addAll(ext.davTokens().tokens(s.path(), s.collection()));
    return DavReply.empty(200)
        .withHeader("DAV", List.of(String.join(", ", dav)))
        .withHeader("Allow", List.of(ALLOW));
  }

  private DavReply get(String path, boolean head) {
    DavTree.Snapshot s = tree.snapshot(path);
    if (s == null) {
      return DavReply.text(404, "not found");
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
    // HEAD: the server adapter sends the headers of this GET answer without its body
    DavReply r = DavReply.of(200, Map.of("Content-Type", List.of(type)), body);
    return s.collection() ? r : r.withHeader("ETag", List.of(s.etag()));
  }

  private DavReply put(DavRequest r) {
    String path = r.path();
    if (path.endsWith("/")) {
      return DavReply.text(405, "PUT on a collection is not allowed");
    }
    String type = Optional.ofNullable(r.header("Content-Type")).orElse("application/octet-stream");
    String ifNoneMatch = r.header("If-None-Match");
    DavTree.PutOutcome o =
        tree.put(
            path,
            r.body(),
            type,
            r.header("If-Match"),
            ifNoneMatch != null && ifNoneMatch.trim().equals("*"));
    return switch (o) {
      case CONFLICT -> DavReply.text(409, "the parent collection does not exist");
      case NOT_ALLOWED -> DavReply.text(405, "a collection exists at this path");
      case PRECONDITION_FAILED -> DavReply.text(412, "precondition failed");
      case CREATED, UPDATED -> {
        ext.changes().changed(new DavChange(path, false, false, Set.of()), r);
        DavReply reply = DavReply.empty(o == DavTree.PutOutcome.CREATED ? 201 : 204);
        DavTree.Snapshot s = tree.snapshot(path);
        yield s == null ? reply : reply.withHeader("ETag", List.of(s.etag()));
      }
    };
  }

  private DavReply mkcol(DavRequest r) {
    if (r.body().length > 0) {
      return DavReply.text(415, "MKCOL with a body is not supported");
    }
    String p = r.path().endsWith("/") ? r.path() : r.path() + "/";
    int status = tree.mkcol(p);
    if (status != 201) {
      return DavReply.text(status, status == 405 ? "exists" : "no parent");
    }
    ext.changes().changed(new DavChange(p, true, false, Set.of()), r);
    return DavReply.empty(201);
  }

  private DavReply delete(DavRequest r) {
    Optional<DavReply> own = ext.delete().delete(r);
    if (own.isPresent()) {
      return own.get();
    }
    DavTree.Snapshot s = tree.snapshot(r.path());
    String deleted = tree.delete(r.path());
    if (deleted == null || s == null) {
      return DavReply.text(404, "not found");
    }
    ext.changes().changed(new DavChange(deleted, s.collection(), true, Set.of()), r);
    return DavReply.empty(204);
  }

  // --- PROPFIND ---

  private DavReply propfind(DavRequest r) {
    DavTree.Snapshot s = tree.snapshot(r.path());
    if (s == null) {
      return DavReply.text(404, "not found");
    }
    String depth = Optional.ofNullable(r.header("Depth")).orElse("infinity").trim();
    if (!depth.equals("0") && !depth.equals("1")) {
      return DavReply.text(403, "Depth: infinity is not supported; use 0 or 1");
    }
    List<PropertyName> requested = parsePropfind(r.body());
    List<DavTree.Snapshot> targets = new ArrayList<>();
    targets.add(s);
    if (depth.equals("1") && s.collection()) {
      targets.addAll(tree.childrenSnapshot(s.path()));
    }
    return multistatus(
        w -> {
          for (DavTree.Snapshot t : targets) {
            writeResponse(w, t, requested, r.principal());
          }
        });
  }

  /** Writes the body of a {@code 207 Multi-Status} answer. */
  @FunctionalInterface
  private interface ResponsesWriter {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  private DavReply multistatus(ResponsesWriter responses) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w = outputFactory.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("D", "multistatus", DAV);
      w.writeNamespace("D", DAV);
      w.writeNamespace("P", dev.davpush.xml.WebDavPush.NAMESPACE);
      responses.write(w);
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing multistatus", e);
    }
    return DavReply.of(
        207,
        Map.of("Content-Type", List.of("application/xml; charset=\"utf-8\"")),
        out.toByteArray());
  }

  private void writeResponse(
      XMLStreamWriter w, DavTree.Snapshot s, List<PropertyName> requested, String principal)
      throws XMLStreamException {
    List<PropertyName> names = requested.isEmpty() ? allprop(s) : requested;
    List<PropertyName> missing = new ArrayList<>();
    w.writeStartElement("D", "response", DAV);
    w.writeStartElement("D", "href", DAV);
    w.writeCharacters(s.path());
    w.writeEndElement();
    w.writeStartElement("D", "propstat", DAV);
    w.writeStartElement("D", "prop", DAV);
    for (PropertyName n : names) {
      if (!writeProperty(w, s, n, principal)) {
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
      XMLStreamWriter w, DavTree.Snapshot s, PropertyName n, String principal)
      throws XMLStreamException {
    if (n.equals(RESOURCETYPE)) {
      w.writeStartElement("D", "resourcetype", DAV);
      for (PropertyName t : s.resourceTypes()) {
        writeEmpty(w, t);
      }
      w.writeEndElement();
      return true;
    }
    if (principals != null) {
      String href = null;
      if (n.equals(CURRENT_USER_PRINCIPAL)) {
        String own = principals.principals() + principal + "/";
        href = tree.snapshot(own) == null ? null : own;
      } else if (n.equals(CALENDAR_HOME_SET) && s.resourceTypes().contains(DavTree.PRINCIPAL)) {
        href = principals.calendarHome();
      } else if (n.equals(ADDRESSBOOK_HOME_SET) && s.resourceTypes().contains(DavTree.PRINCIPAL)) {
        href = principals.addressbookHome();
      }
      if (href != null) {
        writeStart(w, n);
        w.writeStartElement("D", "href", DAV);
        w.writeCharacters(href);
        w.writeEndElement();
        w.writeEndElement();
        return true;
      }
    }
    if (ext.liveProperties().names().contains(n)) {
      return ext.liveProperties().write(w, n, s.path(), principal);
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
    } else if (n.namespaceUri().equals(dev.davpush.xml.WebDavPush.NAMESPACE)) {
      w.writeStartElement("P", n.localName(), dev.davpush.xml.WebDavPush.NAMESPACE);
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

  private DavReply proppatch(DavRequest r) {
    DavTree.Snapshot s = tree.snapshot(r.path());
    if (s == null) {
      return DavReply.text(404, "not found");
    }
    Map<PropertyName, @Nullable String> changes = parsePropertyUpdate(r.body());
    Set<PropertyName> protectedNames = new HashSet<>(PROTECTED);
    protectedNames.addAll(ext.liveProperties().names());
    boolean refused = changes.keySet().stream().anyMatch(protectedNames::contains);
    if (!refused) {
      tree.setProperties(s.path(), changes);
    }
    DavReply reply =
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
                        : protectedNames.contains(n)
                            ? "HTTP/1.1 403 Forbidden"
                            : "HTTP/1.1 424 Failed Dependency");
                w.writeEndElement();
              }
              w.writeEndElement();
            });
    if (!refused) {
      ext.changes().changed(new DavChange(s.path(), s.collection(), false, changes.keySet()), r);
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

  /** A request refused with a 4xx status before anything changed. */
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
