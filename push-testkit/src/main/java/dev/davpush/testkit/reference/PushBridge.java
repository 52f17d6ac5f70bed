package dev.davpush.testkit.reference;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.PushProperties;
import dev.davpush.Topic;
import dev.davpush.server.Change;
import dev.davpush.server.HandlerRequest;
import dev.davpush.server.PushEngine;
import dev.davpush.server.PushRequestHandler;
import dev.davpush.spi.DavResources;
import dev.davpush.testkit.reference.WebDavServer.DavChange;
import dev.davpush.xml.PushPropertyWriter;
import dev.davpush.xml.WebDavPush;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * WebDAV-Push for {@link WebDavServer}, in the five places a DAV server needs it: the {@code DAV}
 * header, three live properties, {@code POST push-register}, {@code DELETE} of registration URLs,
 * and a publish after every committed change. Everything else is {@link PushEngine} and {@link
 * PushRequestHandler}: this class is the glue a server author copies and adapts to their own HTTP
 * layer (compare the README's "Wiring the engine into a server").
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class PushBridge {
  private static final Set<PropertyName> PUSH_PROPERTIES =
      Set.of(WebDavPush.TRANSPORTS, WebDavPush.TOPIC, WebDavPush.SUPPORTED_TRIGGERS);

  private final PushEngine engine;
  private final PushRequestHandler push;
  private final DavResources resources;
  private final Function<String, Optional<Topic>> deletedTopic;

  /**
   * A bridge for an engine.
   *
   * @param engine the engine
   * @param resources the server's view the engine was built with (which resources are push-capable)
   * @param deletedTopic the topic a just-deleted collection had, by its path (R-WDP-23)
   */
  public PushBridge(
      PushEngine engine, DavResources resources, Function<String, Optional<Topic>> deletedTopic) {
    this.engine = requireNonNull(engine, "engine");
    this.push = PushRequestHandler.of(engine);
    this.resources = requireNonNull(resources, "resources");
    this.deletedTopic = requireNonNull(deletedTopic, "deletedTopic");
  }

  /** {@return the bridge plugged into the WebDAV server's extension seams} */
  public WebDavServer.Extensions extensions() {
    return WebDavServer.Extensions.none()
        .withDavTokens(this::davTokens)
        .withLiveProperties(new PushPropertiesSource())
        .withPost(this::handle)
        .withDelete(this::handle)
        .withChanges(this::publish);
  }

  /** OPTIONS: {@code webdav-push} in the {@code DAV} header of push-capable resources (R-WDP-4). */
  List<String> davTokens(String path, boolean collection) {
    return resources.resource(path).isPresent() ? List.of(WebDavPush.COMPLIANCE_CLASS) : List.of();
  }

  /** POST {@code push-register} and DELETE of a registration URL; empty: not a push request. */
  Optional<DavReply> handle(DavRequest r) {
    return push.handle(handlerRequest(r))
        .map(answer -> DavReply.of(answer.status(), answer.headers(), answer.body()));
  }

  /** After a committed change: publish it, with the request's {@code Push-Dont-Notify}. */
  void publish(DavChange c, DavRequest cause) {
    Change.Builder change =
        c.isContentUpdate()
            ? Change.contentUpdate(c.path())
            : Change.propertyUpdate(c.path(), c.properties());
    if (c.deleted() && c.collection()) {
      deletedTopic.apply(c.path()).ifPresent(change::deletedTopic);
    }
    engine.publish(PushRequestHandler.dontNotify(change, handlerRequest(cause)).build());
  }

  private static HandlerRequest handlerRequest(DavRequest r) {
    return HandlerRequest.builder(r.method(), r.uri(), r.path())
        .headers(r.headers())
        .body(r.body())
        .principal(r.principal())
        .build();
  }

  /** PROPFIND: {@code transports}, {@code topic}, {@code supported-triggers} (R-WDP-5). */
  private final class PushPropertiesSource implements WebDavServer.LiveProperties {
    @Override
    public Set<PropertyName> names() {
      return PUSH_PROPERTIES;
    }

    @Override
    public boolean write(XMLStreamWriter w, PropertyName name, String path, String principal)
        throws XMLStreamException {
      Optional<PushProperties> p = engine.properties(path, principal);
      if (p.isEmpty()) {
        return false;
      }
      if (name.equals(WebDavPush.TRANSPORTS)) {
        PushPropertyWriter.writeTransports(w, p.get().transports());
      } else if (name.equals(WebDavPush.TOPIC)) {
        PushPropertyWriter.writeTopic(w, p.get().topic());
      } else {
        PushPropertyWriter.writeSupportedTriggers(w, p.get().supportedTriggers());
      }
      return true;
    }
  }
}
