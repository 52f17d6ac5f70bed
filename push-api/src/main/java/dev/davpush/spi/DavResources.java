package dev.davpush.spi;

import java.util.Optional;

/**
 * The DAV server's view that the engine asks: which resources are push-capable, their topics and
 * supported triggers, the hierarchy (for depth), who may subscribe, and current sync-tokens.
 *
 * <p>Paths are server-relative and canonical as the server spells them; the engine never parses
 * them except through {@link #parent(String)}.
 *
 * <p>Thread safety: implementations must be safe for concurrent use; the engine calls them from its
 * own threads.
 */
public interface DavResources {
  /**
   * The push-capable resource at a path.
   *
   * @param path a server-relative path
   * @return empty if there is no such resource or it is not push-capable
   */
  Optional<DavResource> resource(String path);

  /**
   * The parent collection of a path.
   *
   * @param path a server-relative path
   * @return empty for the root
   */
  Optional<String> parent(String path);

  /**
   * Whether the principal may see push properties of, and register on, the resource (R-WDP-62).
   *
   * @param principal the authenticated principal's name
   * @param path the resource path
   * @return true if allowed
   */
  boolean maySubscribe(String principal, String path);

  /**
   * The current {@code DAV:sync-token} of a resource (RFC 6578), put into content-update messages
   * (R-WDP-36).
   *
   * @param path the resource path
   * @return empty if the resource has none
   */
  Optional<String> syncToken(String path);
}
