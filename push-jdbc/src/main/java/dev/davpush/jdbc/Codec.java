package dev.davpush.jdbc;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.server.Change;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text forms this module stores: trigger lists (registrations) and changes (the outbox), and
 * the hash of a coalescing key. Each form is line-based, values percent-encoded (UTF-8), so a value
 * never breaks the framing.
 *
 * <p>Thread safety: stateless.
 */
final class Codec {
  /** The first line of a stored change, naming its version. */
  static final String CHANGE_FORMAT = "davpush-change/1";

  private static final Comparator<PropertyName> PROPERTY_ORDER =
      Comparator.comparing(PropertyName::namespaceUri).thenComparing(PropertyName::localName);

  private Codec() {}

  // ---- triggers: one line per trigger, "content <depth>" or "property <depth>[ <ns> <local>]*"

  static String triggers(List<Trigger> triggers) {
    StringBuilder s = new StringBuilder();
    for (Trigger t : triggers) {
      if (t instanceof Trigger.ContentUpdate c) {
        s.append("content ").append(c.depth().token());
      } else if (t instanceof Trigger.PropertyUpdate p) {
        s.append("property ").append(p.depth().token());
        for (PropertyName n : sorted(p.properties())) {
          s.append(' ').append(enc(n.namespaceUri())).append(' ').append(enc(n.localName()));
        }
      }
      s.append('\n');
    }
    return s.toString();
  }

  static List<Trigger> parseTriggers(String text) {
    try {
      return parseTriggersUnchecked(text);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw m.startsWith("stored triggers")
          ? e
          : new IllegalArgumentException("stored triggers: " + m, e);
    }
  }

  private static List<Trigger> parseTriggersUnchecked(String text) {
    List<Trigger> out = new ArrayList<>(2);
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] w = line.split(" ", -1);
      if (w.length < 2) {
        throw new IllegalArgumentException("stored triggers: a line has no depth");
      }
      Depth depth = Depth.parse(w[1]);
      switch (w[0]) {
        case "content" -> {
          if (w.length != 2) {
            throw new IllegalArgumentException("stored triggers: content trigger with extra words");
          }
          out.add(new Trigger.ContentUpdate(depth));
        }
        case "property" -> {
          if (w.length % 2 != 0) {
            throw new IllegalArgumentException("stored triggers: unpaired property name");
          }
          Set<PropertyName> names = new LinkedHashSet<>();
          for (int i = 2; i < w.length; i += 2) {
            names.add(PropertyName.of(dec(w[i]), dec(w[i + 1])));
          }
          out.add(new Trigger.PropertyUpdate(depth, names));
        }
        default -> throw new IllegalArgumentException("stored triggers: unknown kind");
      }
    }
    return out;
  }

  // ---- changes: the first line CHANGE_FORMAT, then name=value lines

  static String change(Change c) {
    StringBuilder s = new StringBuilder(128).append(CHANGE_FORMAT).append('\n');
    line(s, "path", c.path());
    line(s, "kind", c.isContentUpdate() ? "content" : "property");
    c.properties()
        .ifPresent(
            ps -> {
              for (PropertyName n : sorted(ps)) {
                line(s, "property", enc(n.namespaceUri()) + " " + enc(n.localName()));
              }
            });
    c.principal().ifPresent(p -> line(s, "principal", p));
    // a set's iteration order varies with how it was built: sorted, for a stable form
    c.dontNotify().stream().map(URI::toString).sorted().forEach(u -> line(s, "dont-notify", u));
    if (c.dontNotifyAll()) {
      line(s, "dont-notify-all", "true");
    }
    c.deletedTopic().ifPresent(t -> line(s, "deleted-topic", t.value()));
    line(s, "importance", c.importance().name());
    return s.toString();
  }

  static Change parseChange(String text) {
    requireNonNull(text, "text");
    try {
      return parseChangeUnchecked(text);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw m.startsWith("stored change")
          ? e
          : new IllegalArgumentException("stored change: " + m, e);
    }
  }

  private static Change parseChangeUnchecked(String text) {
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(CHANGE_FORMAT)) {
      throw new IllegalArgumentException("stored change: expected first line " + CHANGE_FORMAT);
    }
    Map<String, String> parts = new LinkedHashMap<>();
    Set<PropertyName> properties = new LinkedHashSet<>();
    Set<URI> dontNotify = new LinkedHashSet<>();
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("stored change: line " + (i + 1) + " has no name");
      }
      String name = l.substring(0, eq);
      String value = dec(l.substring(eq + 1));
      switch (name) {
        case "property" -> {
          String[] nl = value.split(" ", -1);
          if (nl.length != 2) {
            throw new IllegalArgumentException(
                "stored change: line " + (i + 1) + " is not 'property=namespace local'");
          }
          properties.add(PropertyName.of(dec(nl[0]), dec(nl[1])));
        }
        case "dont-notify" -> {
          try {
            dontNotify.add(new URI(value));
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                "stored change: line " + (i + 1) + " is not a URI", e);
          }
        }
        default -> {
          if (parts.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("stored change: part '" + name + "' repeated");
          }
        }
      }
    }
    String path = parts.get("path");
    String kind = parts.get("kind");
    String importance = parts.get("importance");
    if (path == null || kind == null || importance == null) {
      throw new IllegalArgumentException("stored change: path, kind or importance missing");
    }
    Change.Builder b;
    if (kind.equals("content")) {
      if (!properties.isEmpty()) {
        throw new IllegalArgumentException("stored change: properties on a content update");
      }
      b = Change.contentUpdate(path);
    } else if (kind.equals("property")) {
      b = Change.propertyUpdate(path, properties);
    } else {
      throw new IllegalArgumentException("stored change: unknown kind");
    }
    b.principal(parts.get("principal"));
    b.dontNotify(dontNotify);
    b.dontNotifyAll("true".equals(parts.get("dont-notify-all")));
    String deleted = parts.get("deleted-topic");
    if (deleted != null) {
      b.deletedTopic(Topic.of(deleted));
    }
    b.importance(Change.Importance.valueOf(importance));
    return b.build();
  }

  // ---- helpers

  static String sha256Hex(String text) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static List<PropertyName> sorted(Set<PropertyName> names) {
    List<PropertyName> list = new ArrayList<>(names);
    list.sort(PROPERTY_ORDER);
    return list;
  }

  private static void line(StringBuilder s, String name, String value) {
    s.append(name).append('=').append(enc(value)).append('\n');
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private static String dec(String v) {
    return URLDecoder.decode(v, StandardCharsets.UTF_8);
  }
}
