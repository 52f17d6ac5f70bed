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

/**
 * milton's file-system resource factory (a final class, so wrapped), serving directories as {@link
 * ExampleDirectory}.
 *
 * <p>Thread safety: as milton's factory.
 */
final class ExampleFileSystem implements ResourceFactory {
  private final FileSystemResourceFactory files;
  private final boolean postable;

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
      return new ExampleDirectory(host, files, d.getFile(), files.getContentService());
    }
    return r;
  }
}
