package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.Precondition;
import dev.davpush.xml.internal.Out;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes the {@code DAV:error} body of a {@code 403} registration refusal (RFC 4918 §16,
 * draft-bitfire-webdav-push §3.1.3, R-WDP-24).
 *
 * <p>Byte-stable UTF-8 without XML declaration, for example {@code <D:error xmlns:D="DAV:"
 * xmlns:P="https://bitfire.at/webdav-push"><P:push-not-available/></D:error>}. {@link
 * Precondition#NO_SUPPORTED_TRIGGER} is written with both current spellings, {@code
 * <P:no-supported-trigger/><P:no-trigger-supported/>} (digest ambiguity A-1).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class ErrorWriter {
  private static final Map<Precondition, byte[]> BODIES = new EnumMap<>(Precondition.class);

  static {
    for (Precondition p : Precondition.values()) {
      Out out = new Out(160);
      out.raw("<D:error xmlns:D=\"DAV:\" xmlns:P=\"").raw(WebDavPush.NAMESPACE).raw("\">");
      for (String name : p.writtenNames()) {
        out.raw("<P:").raw(name).raw("/>");
      }
      out.raw("</D:error>");
      BODIES.put(p, out.utf8());
    }
  }

  private ErrorWriter() {}

  /**
   * Writes the error body for a precondition.
   *
   * @param precondition the failed precondition
   * @return the UTF-8 bytes; a fresh array
   */
  public static byte[] write(Precondition precondition) {
    byte[] body = BODIES.get(requireNonNull(precondition, "precondition"));
    // the static initialiser wrote one body for every precondition
    return requireNonNull(body, "body").clone();
  }
}
