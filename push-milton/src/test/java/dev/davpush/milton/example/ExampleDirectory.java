package dev.davpush.milton.example;

import io.milton.http.FileItem;
import io.milton.http.exceptions.BadRequestException;
import io.milton.http.fs.FileContentService;
import io.milton.http.fs.FileSystemResourceFactory;
import io.milton.http.fs.FsDirectoryResource;
import io.milton.property.PropertySource.PropertyAccessibility;
import io.milton.property.PropertySource.PropertyMetaData;
import io.milton.resource.MultiNamespaceCustomPropertyResource;
import io.milton.resource.PostableResource;
import io.milton.resource.Resource;
import io.milton.resource.SyncCollectionResource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.namespace.QName;

/**
 * A directory of the example file server: milton's {@link FsDirectoryResource}, plus
 *
 * <ul>
 *   <li>{@link PostableResource}, since milton hands a {@code POST} (and so {@code push-register})
 *       only to postable resources; any other {@code POST} gets {@code 400};
 *   <li>{@link MultiNamespaceCustomPropertyResource}: dead properties, kept in memory per directory
 *       while the server runs;
 *   <li>{@link SyncCollectionResource}, for a {@code DAV:sync-token} (RFC 6578) that changes
 *       whenever a member's name, size or modification time does. It is a digest of the listing,
 *       not a log: {@link #findResourcesBySyncToken} answers with every member (a full resync).
 * </ul>
 *
 * <p>Thread safety: as milton's file resources; a new instance per lookup.
 */
final class ExampleDirectory extends FsDirectoryResource
    implements PostableResource, SyncCollectionResource, MultiNamespaceCustomPropertyResource {
  private final Map<QName, Object> deadProperties;

  ExampleDirectory(
      String host,
      FileSystemResourceFactory factory,
      File dir,
      FileContentService content,
      Map<QName, Object> deadProperties) {
    super(host, factory, dir, content);
    this.deadProperties = deadProperties;
  }

  @Override
  public Object getProperty(QName name) {
    return deadProperties.get(name);
  }

  @Override
  public void setProperty(QName name, Object value) {
    if (value == null) {
      deadProperties.remove(name);
    } else {
      deadProperties.put(name, value);
    }
  }

  @Override
  public PropertyMetaData getPropertyMetaData(QName name) {
    if ("DAV:".equals(name.getNamespaceURI())) {
      return PropertyMetaData.UNKNOWN; // live properties are milton's
    }
    return deadProperties.containsKey(name)
        ? new PropertyMetaData(PropertyAccessibility.WRITABLE, String.class)
        : new PropertyMetaData(PropertyAccessibility.UNKNOWN, String.class, true);
  }

  @Override
  public List<QName> getAllPropertyNames() {
    return new ArrayList<>(deadProperties.keySet());
  }

  @Override
  public String processForm(Map<String, String> parameters, Map<String, FileItem> files)
      throws BadRequestException {
    throw new BadRequestException(this, "this collection takes POST only for push-register");
  }

  @Override
  public URI getSyncToken() {
    try (Stream<Path> members = Files.list(getFile().toPath())) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path p : members.sorted().toList()) {
        String line =
            p.getFileName()
                + "\n"
                + Files.size(p)
                + "\n"
                + Files.getLastModifiedTime(p).toInstant()
                + "\n";
        digest.update(line.getBytes(StandardCharsets.UTF_8));
      }
      byte[] d = digest.digest();
      return URI.create("urn:davpush-example:sync:" + HexFormat.of().formatHex(d, 0, 16));
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + getName(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  @Override
  public Map<String, Resource> findResourcesBySyncToken(URI syncToken) {
    Map<String, Resource> all = new LinkedHashMap<>();
    List<? extends Resource> children = getChildren();
    for (Resource r : children) {
      all.put(r.getName(), r);
    }
    return all;
  }
}
