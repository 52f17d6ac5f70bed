package dev.davpush.milton;

import dev.davpush.xml.WebDavPush;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.webdav.ResourceTypeHelper;
import io.milton.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * Decorates milton's {@link ResourceTypeHelper} so that the {@code DAV} header of push-capable
 * resources (in {@code OPTIONS}, {@code PROPFIND} and other multi-status answers) holds the {@code
 * webdav-push} compliance class (draft-bitfire-webdav-push §2, R-WDP-4). Like milton's own levels
 * it does not depend on the principal: whether a resource is push-capable is asked of the {@link
 * dev.davpush.spi.DavResources}.
 *
 * <p>Thread safety: as thread-safe as the decorated helper.
 */
final class PushResourceTypeHelper implements ResourceTypeHelper {
  private final ResourceTypeHelper wrapped;
  private final MiltonPush push;

  PushResourceTypeHelper(ResourceTypeHelper wrapped, MiltonPush push) {
    this.wrapped = wrapped;
    this.push = push;
  }

  @Override
  public List<QName> getResourceTypes(Resource r) {
    return wrapped.getResourceTypes(r);
  }

  @Override
  public List<String> getSupportedLevels(Resource r) {
    List<String> levels = wrapped.getSupportedLevels(r);
    List<String> out = levels == null ? new ArrayList<>() : new ArrayList<>(levels);
    Request request = HttpManager.request();
    if (request != null
        && !out.contains(WebDavPush.COMPLIANCE_CLASS)
        && push.pathOf(r, request).flatMap(p -> push.resources().resource(p)).isPresent()) {
      out.add(WebDavPush.COMPLIANCE_CLASS);
    }
    return out;
  }
}
