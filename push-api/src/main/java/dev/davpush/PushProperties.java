package dev.davpush;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The WebDAV-Push properties of a push-capable resource (draft-bitfire-webdav-push §2.1, R-WDP-5):
 * {@code transports}, {@code topic}, {@code supported-triggers}.
 *
 * @param transports the transports, in the order the engine was given them; copied
 * @param topic the resource's topic
 * @param supportedTriggers the supported triggers
 *     <p>Thread safety: immutable.
 */
public record PushProperties(
    List<TransportDescriptor> transports, Topic topic, SupportedTriggers supportedTriggers) {
  /**
   * Validates and copies.
   *
   * @param transports as described on the record
   * @param topic as described on the record
   * @param supportedTriggers as described on the record
   */
  public PushProperties {
    transports = List.copyOf(requireNonNull(transports, "transports"));
    requireNonNull(topic, "topic");
    requireNonNull(supportedTriggers, "supportedTriggers");
  }
}
