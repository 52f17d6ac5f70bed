package dev.davpush.milton;

import dev.davpush.PropertyName;
import dev.davpush.server.Change;
import io.milton.event.AfterMoveEvent;
import io.milton.event.DeleteEvent;
import io.milton.event.Event;
import io.milton.event.EventListener;
import io.milton.event.PropPatchEvent;
import io.milton.event.PutEvent;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.resource.CollectionResource;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;

/**
 * Turns milton's change events into {@link Change}s for {@link
 * dev.davpush.server.PushEngine#publish} (draft-bitfire-webdav-push §4, R-WDP-34): {@link PutEvent}
 * and {@link DeleteEvent} a content update of the request's target, {@link AfterMoveEvent} a
 * content update of the source (with its topic, as a deletion) and one of the destination, {@link
 * PropPatchEvent} a property update naming the properties milton set or removed. milton fires them
 * on the request thread after the change is committed; {@code publish} only enqueues. A request
 * publishes at most once per kind (milton fires a {@code DeleteEvent} for every member of a deleted
 * collection).
 *
 * <p>Thread safety: stateless apart from the thread-safe adapter.
 */
final class ChangeListener implements EventListener {
  private final MiltonPush push;

  ChangeListener(MiltonPush push) {
    this.push = push;
  }

  @Override
  public void onEvent(Event e) {
    Request request = HttpManager.request();
    if (request == null) {
      return; // outside a request nothing tells the resource's path
    }
    String target = MiltonPush.requestPath(request);
    if (e instanceof PutEvent put) {
      if (first(request, "PUT")) {
        boolean collection = put.getResource() instanceof CollectionResource;
        push.publish(
            Change.contentUpdate(MiltonDavResources.canonical(target, collection)), request);
      }
    } else if (e instanceof DeleteEvent delete) {
      if (first(request, "DELETE")) {
        PushFilter.Before before =
            before(request, delete.getResource() instanceof CollectionResource);
        push.publish(
            Change.contentUpdate(MiltonDavResources.canonical(target, before.collection()))
                .deletedTopic(before.topic()),
            request);
      }
    } else if (e instanceof AfterMoveEvent move) {
      if (first(request, "MOVE")) {
        boolean collection = move.getResource() instanceof CollectionResource;
        PushFilter.Before before = before(request, collection);
        push.publish(
            Change.contentUpdate(MiltonDavResources.canonical(target, collection))
                .deletedTopic(before.topic()),
            request);
        String destination = destinationPath(request);
        if (destination != null) {
          push.publish(
              Change.contentUpdate(MiltonDavResources.canonical(destination, collection)), request);
        }
      }
    } else if (e instanceof PropPatchEvent patch) {
      Set<PropertyName> names = new LinkedHashSet<>();
      if (patch.getResponse() != null && patch.getResponse().getKnownProperties() != null) {
        for (QName q : patch.getResponse().getKnownProperties().keySet()) {
          names.add(
              PropertyName.of(
                  q.getNamespaceURI() == null ? "" : q.getNamespaceURI(), q.getLocalPart()));
        }
      }
      if (!names.isEmpty() && first(request, "PROPPATCH")) {
        boolean collection = patch.getResource() instanceof CollectionResource;
        push.publish(
            Change.propertyUpdate(MiltonDavResources.canonical(target, collection), names),
            request);
      }
    }
  }

  private static PushFilter.Before before(Request request, boolean collection) {
    Object b = request.getAttributes().get(MiltonPush.DELETED_TOPIC_ATTRIBUTE);
    return b instanceof PushFilter.Before before ? before : new PushFilter.Before(collection, null);
  }

  private static @Nullable String destinationPath(Request request) {
    String dest = request.getDestinationHeader();
    if (dest == null) {
      return null;
    }
    try {
      String raw = new URI(dest.trim()).getRawPath();
      return raw == null || raw.isEmpty() ? null : HttpManager.decodeUrl(raw);
    } catch (java.net.URISyntaxException ex) {
      return null;
    }
  }

  /** Whether this is the request's first event of a kind; marks it. */
  @SuppressWarnings("unchecked")
  private static boolean first(Request request, String kind) {
    Object seen = request.getAttributes().get(MiltonPush.PUBLISHED_ATTRIBUTE);
    Set<String> kinds;
    if (seen instanceof Set<?> s) {
      kinds = (Set<String>) s;
    } else {
      kinds = new LinkedHashSet<>();
      request.getAttributes().put(MiltonPush.PUBLISHED_ATTRIBUTE, kinds);
    }
    return kinds.add(kind);
  }
}
