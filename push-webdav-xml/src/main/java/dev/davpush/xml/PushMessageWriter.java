package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PushMessage;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.xml.internal.Out;

/**
 * Writes the {@code push-message} document a server sends through the push service
 * (draft-bitfire-webdav-push §4.1, §6.2.1; R-WDP-35..37, R-WDP-55).
 *
 * <p>Output is strict and byte-stable: UTF-8, <em>no</em> XML declaration (every byte counts
 * against the 3993-byte plaintext limit of RFC 8291 §4, and XML without declaration is UTF-8 by
 * definition), no insignificant white space, children in the order {@code topic}, {@code
 * content-update}, {@code property-update}, at most one of each (digest ambiguity A-4), property
 * names sorted by namespace and local name. For a topic and a sync-token the output is exactly the
 * plaintext of digest §10.1:
 *
 * <pre>{@code
 * <push-message xmlns="https://bitfire.at/webdav-push" xmlns:D="DAV:"><topic>O7M1nQ7cKkKTKsoS_j6Z3w</topic><content-update><D:sync-token>http://example.com/sync/10</D:sync-token></content-update></push-message>
 * }</pre>
 *
 * A content update without sync-token is {@code <content-update/>}, an empty property update {@code
 * <property-update/>}, the key-rotation message {@code
 * <property-update><D:prop><transports/></D:prop></property-update>} without topic.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class PushMessageWriter {
  private static final PushMessageEncoder ENCODER = PushMessageWriter::write;

  private PushMessageWriter() {}

  /**
   * Writes a push message.
   *
   * @param message the message
   * @return the UTF-8 bytes
   * @throws IllegalArgumentException if the sync-token holds characters XML 1.0 cannot carry
   */
  public static byte[] write(PushMessage message) {
    requireNonNull(message, "message");
    Out out = new Out(256);
    out.raw("<push-message xmlns=\"").raw(WebDavPush.NAMESPACE).raw("\" xmlns:D=\"DAV:\">");
    message.topic().ifPresent(t -> out.raw("<topic>").text(t.value(), "topic").raw("</topic>"));
    message
        .contentUpdate()
        .ifPresent(
            c -> {
              String token = c.syncToken();
              if (token == null) {
                out.raw("<content-update/>");
              } else {
                out.raw("<content-update><D:sync-token>")
                    .text(token, "sync-token")
                    .raw("</D:sync-token></content-update>");
              }
            });
    message
        .propertyUpdate()
        .ifPresent(
            p -> {
              if (p.properties().isEmpty()) {
                out.raw("<property-update/>");
              } else {
                out.raw("<property-update><D:prop>")
                    .propertyNames(p.properties())
                    .raw("</D:prop></property-update>");
              }
            });
    out.raw("</push-message>");
    return out.utf8();
  }

  /**
   * The writer as the engine's {@link PushMessageEncoder} ({@code
   * PushEngine.builder().messageEncoder(PushMessageWriter.encoder())}).
   *
   * @return a shared, stateless encoder
   */
  public static PushMessageEncoder encoder() {
    return ENCODER;
  }
}
