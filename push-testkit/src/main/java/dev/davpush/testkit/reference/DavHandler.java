package dev.davpush.testkit.reference;

/**
 * Answers one request of the reference server. The plain WebDAV server ({@link WebDavServer}) is
 * one; planted faults wrap one to rewrite its answers.
 *
 * <p>Thread safety: implementations are called concurrently from the server's threads.
 */
@FunctionalInterface
public interface DavHandler {
  /**
   * Answers a request.
   *
   * @param request the request, already authenticated
   * @return the answer; a runtime exception becomes a {@code 500}
   */
  DavReply handle(DavRequest request);
}
