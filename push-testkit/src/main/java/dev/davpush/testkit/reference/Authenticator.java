package dev.davpush.testkit.reference;

import org.jspecify.annotations.Nullable;

/**
 * Who sent a request, from its {@code Authorization} header. The reference server's own checks HTTP
 * Basic credentials against the configured users (and, without users, takes every request as {@link
 * ReferenceServer#ANONYMOUS}); a {@link ServerDecorator} may wrap it.
 *
 * <p>Thread safety: called concurrently from the server's threads.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * Authenticates a request.
   *
   * @param authorization the {@code Authorization} header, or null if the request has none
   * @return the principal, or null to refuse the request with {@code 401}
   */
  @Nullable String authenticate(@Nullable String authorization);
}
