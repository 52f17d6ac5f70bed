package dev.davpush.xml;

import static java.util.Objects.requireNonNull;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.xml.internal.Names;
import dev.davpush.xml.internal.Node;
import dev.davpush.xml.internal.SafeXml;
import dev.davpush.xml.internal.Triggers;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a decrypted {@code push-message} (draft-bitfire-webdav-push §4.1, §6.2.1; R-WDP-35..37,
 * R-WDP-56), client side.
 *
 * <p>Lenient (digest §1.7, ambiguity A-4): the {@code DAV:Push} namespace; any number of {@code
 * topic}, {@code content-update} and {@code property-update} children in any order (the first topic
 * and the first sync-token count, property updates are united); unknown elements skipped; the 2024
 * forms where the message is a bare {@code D:propstat} or a {@code push-message} around a {@code
 * D:propstat} holding {@code D:prop} with {@code topic} and {@code D:sync-token} (read as a content
 * update with that sync-token); and a message with a topic but neither update (Nextcloud 2024 sent
 * {@code <push-message><topic>…</topic></push-message>}), read as a content update without
 * sync-token. A topic that the model cannot hold (empty, too long, control characters) is ignored.
 * Topic and sync-token text is stripped of surrounding XML white space.
 *
 * <p>Errors: malformed or hostile XML, exceeded limits, or a root other than {@code push-message}
 * or {@code DAV:propstat} give {@link PushXmlException}.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class PushMessageReader {
  private PushMessageReader() {}

  /**
   * Reads a push message from its UTF-8 (or self-declared) bytes with the default limits.
   *
   * @param utf8 the decrypted payload
   * @return the message; {@link PushMessage#isKeyRotation()} tells the VAPID key-rotation form
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   */
  public static PushMessage read(byte[] utf8) {
    return fromTree(SafeXml.parse(requireNonNull(utf8, "utf8"), XmlLimits.defaults()));
  }

  /**
   * Reads a push message from a stream with the default limits.
   *
   * @param in the payload; read to its end, not closed
   * @return the message
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   */
  public static PushMessage read(InputStream in) {
    return read(in, XmlLimits.defaults());
  }

  /**
   * Reads a push message from a stream.
   *
   * @param in the payload; read to its end, not closed
   * @param limits the limits to apply
   * @return the message
   * @throws PushXmlException for malformed or hostile XML, exceeded limits or a wrong root
   */
  public static PushMessage read(InputStream in, XmlLimits limits) {
    return fromTree(SafeXml.parse(requireNonNull(in, "in"), requireNonNull(limits, "limits")));
  }

  static PushMessage fromTree(Node root) {
    if (root.is(Names.DAV, "propstat")) {
      return fromPropstat(root, null);
    }
    if (!root.is(Names.PUSH, "push-message")) {
      throw new PushXmlException(
          "expected root element {" + WebDavPush.NAMESPACE + "}push-message, got " + root,
          root.line(),
          root.column());
    }
    Topic topic = null;
    boolean content = false;
    String syncToken = null;
    Set<PropertyName> properties = null;
    for (Node c : root.children()) {
      if (c.is(Names.PUSH, "topic")) {
        if (topic == null) {
          topic = topic(c);
        }
      } else if (c.is(Names.PUSH, "content-update")) {
        content = true;
        Node st = c.child(Names.DAV, "sync-token");
        if (syncToken == null && st != null && !st.trimmedText().isEmpty()) {
          syncToken = st.trimmedText();
        }
      } else if (c.is(Names.PUSH, "property-update")) {
        if (properties == null) {
          properties = new LinkedHashSet<>();
        }
        properties.addAll(Triggers.propertyNames(c));
      } else if (c.is(Names.DAV, "propstat")) {
        PushMessage old = fromPropstat(c, topic);
        topic = old.topic().orElse(null);
        content = true;
        if (syncToken == null) {
          syncToken = old.contentUpdate().map(PushMessage.ContentUpdate::syncToken).orElse(null);
        }
      }
    }
    if (topic != null && !content && properties == null) {
      content = true; // Nextcloud 2024: a bare topic means "changed"
    }
    PushMessage.Builder b = PushMessage.builder().topic(topic);
    if (content) {
      b.contentUpdate(new PushMessage.ContentUpdate(syncToken));
    }
    if (properties != null) {
      b.propertyUpdate(new PushMessage.PropertyUpdate(properties));
    }
    return b.build();
  }

  private static PushMessage fromPropstat(Node propstat, @Nullable Topic known) {
    Topic topic = known;
    String syncToken = null;
    Node prop = propstat.child(Names.DAV, "prop");
    if (prop != null) {
      Node t = prop.child(Names.PUSH, "topic");
      if (topic == null && t != null) {
        topic = topic(t);
      }
      Node st = prop.child(Names.DAV, "sync-token");
      if (st != null && !st.trimmedText().isEmpty()) {
        syncToken = st.trimmedText();
      }
    }
    return PushMessage.builder()
        .topic(topic)
        .contentUpdate(new PushMessage.ContentUpdate(syncToken))
        .build();
  }

  private static @Nullable Topic topic(Node n) {
    try {
      return Topic.of(n.trimmedText());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
