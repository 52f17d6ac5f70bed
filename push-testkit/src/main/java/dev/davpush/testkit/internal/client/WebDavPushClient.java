package dev.davpush.testkit.internal.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.RegisterRequest;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.MultistatusReader;
import dev.davpush.xml.PushDontNotify;
import dev.davpush.xml.PushRegisterWriter;
import dev.davpush.xml.PushXmlException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * WebDAV-Push client operations over {@link DavHttpClient}: discovery (OPTIONS, PROPFIND),
 * registration, unregistration, and the member writes the kit makes.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class WebDavPushClient implements AutoCloseable {
  private final DavHttpClient http;

  /**
   * Creates a client.
   *
   * @param http the HTTP client
   */
  public WebDavPushClient(DavHttpClient http) {
    this.http = requireNonNull(http, "http");
  }

  /**
   * The compliance classes of an OPTIONS answer.
   *
   * @param options the answer
   * @return the tokens of every {@code DAV} field line, trimmed, lower case, in order
   */
  public static Set<String> davTokens(HttpResult options) {
    Set<String> tokens = new LinkedHashSet<>();
    for (String line : options.headers("DAV")) {
      for (String t : line.split(",")) {
        if (!t.isBlank()) {
          tokens.add(t.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  /** Closes the HTTP client underneath. */
  @Override
  public void close() {
    http.close();
  }

  /**
   * {@code OPTIONS}.
   *
   * @param uri the resource
   * @return the answer
   */
  public HttpResult options(URI uri) {
    return http.send("OPTIONS", uri, Map.of(), null);
  }

  /**
   * {@code PROPFIND} for named properties.
   *
   * @param uri the resource
   * @param depth {@code 0} or {@code 1}
   * @param properties the properties to ask for
   * @return the answer and its parsed responses (empty unless the status is 207)
   * @throws PushXmlException if a 207 body is not a readable multistatus
   */
  public Propfind propfind(URI uri, String depth, List<PropertyName> properties) {
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:propfind xmlns:D=\"DAV:\"><D:prop>");
    Map<String, String> prefixes = new LinkedHashMap<>();
    for (PropertyName p : properties) {
      String prefix = prefixes.computeIfAbsent(p.namespaceUri(), ns -> "N" + prefixes.size());
      xml.append('<')
          .append(prefix)
          .append(':')
          .append(p.localName())
          .append(" xmlns:")
          .append(prefix)
          .append("=\"")
          .append(p.namespaceUri())
          .append("\"/>");
    }
    xml.append("</D:prop></D:propfind>");
    HttpResult r =
        http.sendXml(
            "PROPFIND",
            uri,
            Map.of("Depth", List.of(depth)),
            xml.toString().getBytes(StandardCharsets.UTF_8));
    List<DavResponse> responses =
        r.status() == 207 ? MultistatusReader.read(new ByteArrayInputStream(r.body())) : List.of();
    return new Propfind(r, responses);
  }

  /**
   * {@code POST} of a {@code push-register} document.
   *
   * @param collection the resource to register on
   * @param request the registration
   * @return the answer
   */
  public RegisterResponse register(URI collection, RegisterRequest request) {
    return registerRaw(collection, PushRegisterWriter.write(request));
  }

  /**
   * {@code POST} of a hand-made registration body, for negative checks.
   *
   * @param collection the resource to register on
   * @param body the XML body
   * @return the answer
   */
  public RegisterResponse registerRaw(URI collection, byte[] body) {
    HttpResult r = http.sendXml("POST", collection, Map.of(), body);
    return new RegisterResponse(
        r, r.header("Location").orElse(null), r.header("Expires").orElse(null));
  }

  /**
   * {@code DELETE}.
   *
   * @param uri the resource or registration URL
   * @return the answer
   */
  public HttpResult delete(URI uri) {
    return http.send("DELETE", uri, Map.of(), null);
  }

  /**
   * {@code PROPPATCH} setting {@code DAV:displayname}.
   *
   * @param uri the resource
   * @param displayName the new display name (XML-escaped here)
   * @return the answer
   */
  public HttpResult setDisplayName(URI uri, String displayName) {
    return setProperty(uri, PropertyName.DISPLAYNAME, displayName);
  }

  /**
   * {@code PROPPATCH} setting one property to a text value.
   *
   * @param uri the resource
   * @param name the property
   * @param value its new text (XML-escaped here)
   * @return the answer
   */
  public HttpResult setProperty(URI uri, PropertyName name, String value) {
    return proppatch(uri, "set", name, escape(value));
  }

  /**
   * {@code PROPPATCH} removing one property.
   *
   * @param uri the resource
   * @param name the property
   * @return the answer
   */
  public HttpResult removeProperty(URI uri, PropertyName name) {
    return proppatch(uri, "remove", name, "");
  }

  private HttpResult proppatch(URI uri, String op, PropertyName name, String escapedValue) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<D:propertyupdate xmlns:D=\"DAV:\"><D:"
            + op
            + "><D:prop><X:"
            + name.localName()
            + " xmlns:X=\""
            + escape(name.namespaceUri()).replace("\"", "&quot;")
            + "\">"
            + escapedValue
            + "</X:"
            + name.localName()
            + "></D:prop></D:"
            + op
            + "></D:propertyupdate>";
    return http.sendXml("PROPPATCH", uri, Map.of(), xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * {@code PUT} of a member.
   *
   * @param uri the member
   * @param contentType its media type
   * @param body its content
   * @param pushDontNotify field lines of {@code Push-Dont-Notify}, possibly empty
   * @param createOnly whether to send {@code If-None-Match: *}
   * @return the answer
   */
  public HttpResult put(
      URI uri, String contentType, byte[] body, List<String> pushDontNotify, boolean createOnly) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("Content-Type", List.of(contentType));
    if (!pushDontNotify.isEmpty()) {
      h.put(PushDontNotify.HEADER, pushDontNotify);
    }
    if (createOnly) {
      h.put("If-None-Match", List.of("*"));
    }
    return http.send("PUT", uri, h, body);
  }

  /**
   * A PROPFIND answer.
   *
   * @param result the HTTP answer
   * @param responses the parsed {@code DAV:response}s
   */
  public record Propfind(HttpResult result, List<DavResponse> responses) {
    /** {@return the response for the requested resource itself: the first one} */
    public Optional<DavResponse> self() {
      return responses.isEmpty() ? Optional.empty() : Optional.of(responses.get(0));
    }
  }

  /**
   * A registration answer.
   *
   * @param result the HTTP answer
   * @param location the raw {@code Location}, or null
   * @param expires the raw {@code Expires}, or null
   */
  public record RegisterResponse(
      HttpResult result, @Nullable String location, @Nullable String expires) {
    /** {@return the status} */
    public int status() {
      return result.status();
    }
  }
}
