package dev.davpush.spi;

import static java.util.Objects.requireNonNull;

import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;

/**
 * A push-capable WebDAV resource as the DAV server describes it to the engine.
 *
 * @param path the server-relative path, as the server spells it canonically (for example {@code
 *     /dav/calendars/alice/work/})
 * @param topic the resource's stable topic (R-WDP-8)
 * @param supportedTriggers the supported triggers with maximum depths (R-WDP-9)
 * @param collection whether the resource is a collection (depth 1 and infinity mean nothing on
 *     other resources: digest ambiguity A-33)
 *     <p>Thread safety: immutable.
 */
public record DavResource(
    String path, Topic topic, SupportedTriggers supportedTriggers, boolean collection) {
  /**
   * Validates the parts.
   *
   * @param path as described on the record
   * @param topic as described on the record
   * @param supportedTriggers as described on the record
   * @param collection as described on the record
   */
  public DavResource {
    requireNonNull(path, "path");
    requireNonNull(topic, "topic");
    requireNonNull(supportedTriggers, "supportedTriggers");
  }
}
