package dev.davpush.milton.example;

import io.milton.http.ResourceFactory;
import io.milton.http.SecurityManager;
import io.milton.http.exceptions.BadRequestException;
import io.milton.http.exceptions.NotAuthorizedException;
import io.milton.http.fs.FileSystemResourceFactory;
import io.milton.http.fs.FsDirectoryResource;
import io.milton.http.fs.FsMemoryLockManager;
import io.milton.resource.Resource;
import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;

/**
 * milton's file-system resource factory (a final class, so wrapped), serving directories as {@link
 * ExampleDirectory}.
 *
 * <p>Thread safety: as milton's factory.
 */
final class ExampleFileSystem implements ResourceFactory {
  private final FileSystemResourceFactory files;
  private final boolean postable;
  private final Map<File, Map<QName, Object>> deadProperties = new ConcurrentHashMap<>();

  ExampleFileSystem(File root, SecurityManager security, boolean postable) {
    this.postable = postable;
    this.files = new FileSystemResourceFactory(root, security);
    files.setAllowDirectoryBrowsing(true);
    files.setDigestAllowed(false);
    files.setLockManager(new FsMemoryLockManager());
  }

  @Override
  public Resource getResource(String host, String path)
      throws NotAuthorizedException, BadRequestException {
    Resource r = files.getResource(host, path);
    if (postable && r instanceof FsDirectoryResource d) {
      Map<QName, Object> properties =
          deadProperties.computeIfAbsent(d.getFile(), f -> new ConcurrentHashMap<>());
      return new ExampleDirectory(host, files, d.getFile(), files.getContentService(), properties);
    }
    return r;
  }
}
