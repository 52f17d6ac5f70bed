package dev.davpush.milton;

import dev.davpush.PropertyName;
import dev.davpush.PushProperties;
import dev.davpush.xml.WebDavPush;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.property.PropertySource;
import io.milton.resource.Resource;
import io.milton.resource.SyncCollectionResource;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;

/**
 * milton's {@link PropertySource} for the WebDAV-Push discovery properties
 * (draft-bitfire-webdav-push §2.1): {@code transports}, {@code topic} and {@code
 * supported-triggers} of push-capable resources, for principals that may subscribe (R-WDP-5,
 * R-WDP-6, R-WDP-62), and {@code DAV:sync-token} of {@link SyncCollectionResource}s (RFC 6578 §4,
 * R-WDP-36), which milton CE does not serve itself. All are protected: {@code PROPPATCH} gets
 * {@code 403}. None is part of {@code allprop} except the sync-token.
 *
 * <p>Thread safety: stateless apart from the thread-safe adapter.
 */
final class PushPropertySource implements PropertySource {
  private static final Set<PropertyName> PUSH =
      Set.of(WebDavPush.TRANSPORTS, WebDavPush.TOPIC, WebDavPush.SUPPORTED_TRIGGERS);
  private static final QName SYNC_TOKEN =
      new QName(PropertyName.SYNC_TOKEN.namespaceUri(), PropertyName.SYNC_TOKEN.localName());
  private static final PropertyMetaData PUSH_PROPERTY =
      new PropertyMetaData(PropertyAccessibility.READ_ONLY, PushPropertyValue.class);
  private static final PropertyMetaData SYNC_TOKEN_PROPERTY =
      new PropertyMetaData(PropertyAccessibility.READ_ONLY, String.class);

  private final MiltonPush push;

  PushPropertySource(MiltonPush push) {
    this.push = push;
  }

  @Override
  public @Nullable Object getProperty(QName name, Resource r) {
    if (isSyncToken(name, r)) {
      URI token = ((SyncCollectionResource) r).getSyncToken();
      return token == null ? null : token.toString();
    }
    PropertyName n = pushName(name);
    if (n == null) {
      return null;
    }
    return properties(r).map(p -> new PushPropertyValue(n, p)).orElse(null);
  }

  @Override
  public void setProperty(QName name, Object value, Resource r) {
    throw new PropertySetException(Response.Status.SC_FORBIDDEN, "a protected property");
  }

  @Override
  public PropertyMetaData getPropertyMetaData(QName name, Resource r) {
    if (isSyncToken(name, r)) {
      return SYNC_TOKEN_PROPERTY;
    }
    if (pushName(name) != null && properties(r).isPresent()) {
      return PUSH_PROPERTY;
    }
    return PropertyMetaData.UNKNOWN;
  }

  @Override
  public void clearProperty(QName name, Resource r) {
    throw new PropertySetException(Response.Status.SC_FORBIDDEN, "a protected property");
  }

  @Override
  public List<QName> getAllPropertyNames(Resource r) {
    return r instanceof SyncCollectionResource ? List.of(SYNC_TOKEN) : List.of();
  }

  private Optional<PushProperties> properties(Resource r) {
    Request request = HttpManager.request();
    if (request == null) {
      return Optional.empty();
    }
    return push.pathOf(r, request)
        .flatMap(path -> push.engine().properties(path, push.principal(request)));
  }

  private static boolean isSyncToken(QName name, Resource r) {
    return SYNC_TOKEN.equals(name) && r instanceof SyncCollectionResource;
  }

  private static @Nullable PropertyName pushName(QName name) {
    if (!WebDavPush.NAMESPACE.equals(name.getNamespaceURI())) {
      return null;
    }
    PropertyName n = PropertyName.of(name.getNamespaceURI(), name.getLocalPart());
    return PUSH.contains(n) ? n : null;
  }
}
