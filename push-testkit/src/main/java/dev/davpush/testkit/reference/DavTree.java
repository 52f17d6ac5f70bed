package dev.davpush.testkit.reference;

import dev.davpush.PropertyName;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The reference server's resources: collections and members, in memory. Every collection has a
 * {@code DAV:sync-token} that advances on each member change. Knows nothing of push: the push
 * bridge's view of the tree is {@link TreeResources}.
 *
 * <p>Paths are server-relative; collections end with {@code /}. Lookups accept a collection path
 * without its trailing slash.
 *
 * <p>Thread safety: every method is synchronized on the tree.
 */
final class DavTree {
  static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
  static final String CARDDAV = "urn:ietf:params:xml:ns:carddav";
  static final PropertyName COLLECTION = PropertyName.of(PropertyName.DAV, "collection");
  static final PropertyName CALENDAR = PropertyName.of(CALDAV, "calendar");
  static final PropertyName ADDRESSBOOK = PropertyName.of(CARDDAV, "addressbook");
  static final PropertyName PRINCIPAL = PropertyName.of(PropertyName.DAV, "principal");

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A resource; mutable, guarded by the tree's monitor. */
  static final class Node {
    final String path;
    final boolean collection;
    final Set<PropertyName> resourceTypes;
    final String syncId;
    long syncCounter;
    final Map<PropertyName, String> deadProperties = new LinkedHashMap<>();
    byte[] body = new byte[0];
    String contentType = "application/octet-stream";
    String etag = "";

    Node(String path, boolean collection, Set<PropertyName> resourceTypes) {
      this.path = path;
      this.collection = collection;
      this.resourceTypes = Set.copyOf(resourceTypes);
      byte[] id = new byte[9];
      RANDOM.nextBytes(id);
      this.syncId = java.util.HexFormat.of().formatHex(id);
    }
  }

  private final String syncTokenBase;
  private final TreeMap<String, Node> nodes = new TreeMap<>();
  private long etagCounter;

  DavTree(String syncTokenBase) {
    this.syncTokenBase = syncTokenBase;
  }

  synchronized void createCollection(String path, Set<PropertyName> types, @Nullable String name) {
    Node n = new Node(path, true, types);
    if (name != null) {
      n.deadProperties.put(PropertyName.DISPLAYNAME, name);
    }
    nodes.put(path, n);
  }

  synchronized @Nullable Node get(String path) {
    Node n = nodes.get(path);
    if (n == null && !path.endsWith("/")) {
      n = nodes.get(path + "/");
    }
    return n;
  }

  /** A copy of the node's state for reading outside the lock. */
  synchronized @Nullable Snapshot snapshot(String path) {
    Node n = get(path);
    return n == null ? null : new Snapshot(n, syncToken(n));
  }

  synchronized List<Snapshot> childrenSnapshot(String collectionPath) {
    List<Snapshot> out = new ArrayList<>();
    for (Node n : nodes.tailMap(collectionPath, false).values()) {
      if (!n.path.startsWith(collectionPath)) {
        break;
      }
      if (parentPath(n.path).equals(collectionPath)) {
        out.add(new Snapshot(n, syncToken(n)));
      }
    }
    return out;
  }

  /** Creates or replaces a member. */
  synchronized PutOutcome put(
      String path,
      byte[] body,
      String contentType,
      @Nullable String ifMatch,
      boolean ifNoneMatchAny) {
    Node parent = nodes.get(parentPath(path));
    if (parent == null || !parent.collection) {
      return PutOutcome.CONFLICT;
    }
    Node existing = nodes.get(path);
    if (existing != null && existing.collection) {
      return PutOutcome.NOT_ALLOWED;
    }
    if (ifNoneMatchAny && existing != null) {
      return PutOutcome.PRECONDITION_FAILED;
    }
    if (ifMatch != null && (existing == null || !ifMatch.equals(existing.etag))) {
      return PutOutcome.PRECONDITION_FAILED;
    }
    Node n = existing != null ? existing : new Node(path, false, Set.of());
    n.body = body.clone();
    n.contentType = contentType;
    n.etag = "\"" + (++etagCounter) + "\"";
    nodes.put(path, n);
    parent.syncCounter++;
    return existing == null ? PutOutcome.CREATED : PutOutcome.UPDATED;
  }

  enum PutOutcome {
    CREATED,
    UPDATED,
    CONFLICT,
    NOT_ALLOWED,
    PRECONDITION_FAILED
  }

  /** Creates a plain collection; 201, 405 (exists), 409 (no parent). */
  synchronized int mkcol(String path) {
    if (nodes.containsKey(path) || nodes.containsKey(path.substring(0, path.length() - 1))) {
      return 405;
    }
    Node parent = nodes.get(parentPath(path));
    if (parent == null || !parent.collection) {
      return 409;
    }
    nodes.put(path, new Node(path, true, Set.of(COLLECTION)));
    parent.syncCounter++;
    return 201;
  }

  /** Deletes a resource and everything below it; the canonical path, or null if not found. */
  synchronized @Nullable String delete(String path) {
    Node n = get(path);
    if (n == null || parentPath(n.path).isEmpty()) {
      return null;
    }
    nodes.keySet().removeIf(p -> p.startsWith(n.path) && (n.collection || p.equals(n.path)));
    Node parent = nodes.get(parentPath(n.path));
    if (parent != null) {
      parent.syncCounter++;
    }
    return n.path;
  }

  synchronized void setProperties(String path, Map<PropertyName, @Nullable String> changes) {
    Node n = get(path);
    if (n == null) {
      return;
    }
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            n.deadProperties.remove(k);
          } else {
            n.deadProperties.put(k, v);
          }
        });
  }

  private String syncToken(Node n) {
    return syncTokenBase + n.syncId + "/" + n.syncCounter;
  }

  static String parentPath(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "" : p.substring(0, slash + 1);
  }

  /** The sync-token of a collection; null if the path names no collection. */
  synchronized @Nullable String collectionSyncToken(String path) {
    Node n = get(path);
    return n == null || !n.collection ? null : syncToken(n);
  }

  /** The canonical path of a collection (with its trailing slash); null if none. */
  synchronized @Nullable String collectionPath(String path) {
    Node n = get(path);
    return n == null || !n.collection ? null : n.path;
  }

  /** Immutable copy of a node. */
  record Snapshot(
      String path,
      boolean collection,
      Set<PropertyName> resourceTypes,
      String syncToken,
      Map<PropertyName, String> deadProperties,
      byte[] body,
      String contentType,
      String etag) {
    Snapshot(Node n, String syncToken) {
      this(
          n.path,
          n.collection,
          n.resourceTypes,
          syncToken,
          new HashMap<>(n.deadProperties),
          n.body.clone(),
          n.contentType,
          n.etag);
    }
  }
}
