package dev.davpush.milton;

import static java.util.Objects.requireNonNull;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.spi.DavResource;
import dev.davpush.spi.DavResources;
import io.milton.http.ResourceFactory;
import io.milton.http.exceptions.BadRequestException;
import io.milton.http.exceptions.NotAuthorizedException;
import io.milton.resource.CollectionResource;
import io.milton.resource.Resource;
import io.milton.resource.SyncCollectionResource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DavResources} over milton's resource model: the engine's view of a milton server, looked
 * up through the server's {@link ResourceFactory}.
 *
 * <p>Defaults (each can be replaced through the {@link Builder}):
 *
 * <ul>
 *   <li><b>push-capable</b>: every {@link CollectionResource}; members are not (R-WDP-6);
 *   <li><b>supported triggers</b>: {@link #DEFAULT_SUPPORTED_TRIGGERS}, content updates to depth 1
 *       and property updates at depth 0 (R-WDP-9);
 *   <li><b>topic</b>: HMAC-SHA-256 of the canonical path under a 32-byte key, the first 16 bytes as
 *       22 base64url characters: opaque (nothing of the path can be learnt without the key) and
 *       stable for as long as the key is (R-WDP-8; digest ambiguity A-9). Give a stored key with
 *       {@link Builder#topicKey} to keep topics across restarts; the default key is random per
 *       instance. A collection that is moved gets the topic of its new path;
 *   <li><b>who may subscribe</b>: every authenticated principal (R-WDP-62). milton has already
 *       authorised the request ({@code PROPFIND} for discovery, {@code POST} for registering)
 *       through the resource's own {@code authorise} before the engine asks;
 *   <li><b>sync-token</b>: {@link SyncCollectionResource#getSyncToken()} where the collection
 *       implements it (RFC 6578; R-WDP-36), otherwise none.
 * </ul>
 *
 * <p>Paths are milton's decoded request paths (what {@link ResourceFactory#getResource} takes),
 * collections ending in {@code /}: {@link MiltonPush} hands the engine only such canonical paths.
 *
 * <p>Thread safety: immutable; safe for concurrent use if the resource factory is (milton's are).
 */
public final class MiltonDavResources implements DavResources {
  /** Content updates to depth 1, property updates at depth 0. */
  public static final SupportedTriggers DEFAULT_SUPPORTED_TRIGGERS =
      SupportedTriggers.of(Depth.ONE, Depth.ZERO);

  /** Length of a topic key in bytes: {@value}. */
  public static final int TOPIC_KEY_BYTES = 32;

  private static final int TOPIC_BYTES = 16;

  private final ResourceFactory factory;
  private final @Nullable String host;
  private final Predicate<Resource> pushCapable;
  private final SupportedTriggers supportedTriggers;
  private final BiPredicate<String, String> maySubscribe;
  private final SecretKeySpec topicKey;

  private MiltonDavResources(Builder b) {
    this.factory = b.factory;
    this.host = b.host;
    this.pushCapable = b.pushCapable;
    this.supportedTriggers = b.supportedTriggers;
    this.maySubscribe = b.maySubscribe;
    byte[] key = b.topicKey;
    if (key == null) {
      key = new byte[TOPIC_KEY_BYTES];
      new SecureRandom().nextBytes(key);
    }
    this.topicKey = new SecretKeySpec(key, "HmacSHA256");
    Arrays.fill(key, (byte) 0);
  }

  /**
   * The defaults over a resource factory.
   *
   * @param factory the factory milton serves from (the one given to {@code
   *     HttpManagerBuilder.setResourceFactory})
   * @return the view
   */
  public static MiltonDavResources of(ResourceFactory factory) {
    return builder(factory).build();
  }

  /**
   * A builder with the defaults described on the class.
   *
   * @param factory the factory milton serves from
   * @return the builder
   */
  public static Builder builder(ResourceFactory factory) {
    return new Builder(requireNonNull(factory, "factory"));
  }

  @Override
  public Optional<DavResource> resource(String path) {
    requireNonNull(path, "path");
    Resource r = lookUp(path);
    if (r == null || !pushCapable.test(r)) {
      return Optional.empty();
    }
    boolean collection = r instanceof CollectionResource;
    String canonical = canonical(path, collection);
    return Optional.of(new DavResource(canonical, topic(canonical), supportedTriggers, collection));
  }

  @Override
  public Optional<String> parent(String path) {
    return parentOf(requireNonNull(path, "path"));
  }

  @Override
  public boolean maySubscribe(String principal, String path) {
    return maySubscribe.test(requireNonNull(principal, "principal"), requireNonNull(path, "path"));
  }

  @Override
  public Optional<String> syncToken(String path) {
    Resource r = lookUp(requireNonNull(path, "path"));
    if (r instanceof SyncCollectionResource sync) {
      URI token = sync.getSyncToken();
      return token == null ? Optional.empty() : Optional.of(token.toString());
    }
    return Optional.empty();
  }

  /**
   * The topic of a canonical path under this instance's key.
   *
   * @param canonicalPath a path as {@link #resource} returns it
   * @return 22 base64url characters
   */
  Topic topic(String canonicalPath) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(topicKey);
      byte[] digest = mac.doFinal(canonicalPath.getBytes(StandardCharsets.UTF_8));
      return Topic.of(
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(Arrays.copyOf(digest, TOPIC_BYTES)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
    }
  }

  private @Nullable Resource lookUp(String path) {
    try {
      return factory.getResource(host, path);
    } catch (NotAuthorizedException | BadRequestException e) {
      return null;
    }
  }

  /**
   * A path in its canonical form: collections end in {@code /}, members do not.
   *
   * @param path a server-relative path
   * @param collection whether it names a collection
   * @return the canonical path
   */
  static String canonical(String path, boolean collection) {
    if (collection) {
      return path.endsWith("/") ? path : path + "/";
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** The parent collection of a path, ending in {@code /}; empty for the root. */
  static Optional<String> parentOf(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    if (p.isEmpty() || slash < 0) {
      return Optional.empty();
    }
    return Optional.of(p.substring(0, slash + 1));
  }

  /**
   * Builds a {@link MiltonDavResources}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private final ResourceFactory factory;
    private @Nullable String host;
    private Predicate<Resource> pushCapable = r -> r instanceof CollectionResource;
    private SupportedTriggers supportedTriggers = DEFAULT_SUPPORTED_TRIGGERS;
    private BiPredicate<String, String> maySubscribe = (principal, path) -> true;
    private byte @Nullable [] topicKey;

    private Builder(ResourceFactory factory) {
      this.factory = factory;
    }

    /**
     * Sets the host name passed to {@link ResourceFactory#getResource} when the engine looks a path
     * up outside a request (fan-out, sync-tokens); default none ({@code null}), which milton's
     * file-system and annotation factories accept.
     *
     * @param host the host name, for example {@code dav.example.com}
     * @return this builder
     */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets which resources are push-capable; default every {@link CollectionResource}.
     *
     * @param pushCapable true for a push-capable resource
     * @return this builder
     */
    public Builder pushCapable(Predicate<Resource> pushCapable) {
      this.pushCapable = requireNonNull(pushCapable, "pushCapable");
      return this;
    }

    /**
     * Sets the triggers every push-capable resource supports; default {@link
     * #DEFAULT_SUPPORTED_TRIGGERS}.
     *
     * @param triggers the supported triggers with their maximum depths
     * @return this builder
     */
    public Builder supportedTriggers(SupportedTriggers triggers) {
      this.supportedTriggers = requireNonNull(triggers, "triggers");
      return this;
    }

    /**
     * Sets who may see push properties of, and register on, a resource (R-WDP-62); default every
     * authenticated principal.
     *
     * @param maySubscribe given the principal's name and the canonical path, true if allowed
     * @return this builder
     */
    public Builder maySubscribe(BiPredicate<String, String> maySubscribe) {
      this.maySubscribe = requireNonNull(maySubscribe, "maySubscribe");
      return this;
    }

    /**
     * Sets the key topics are derived with, so that topics survive a restart; default 32 fresh
     * random bytes per instance. A secret: keep it with the server's other keys.
     *
     * @param key exactly {@value #TOPIC_KEY_BYTES} bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is not {@value #TOPIC_KEY_BYTES} bytes long
     */
    public Builder topicKey(byte[] key) {
      requireNonNull(key, "key");
      if (key.length != TOPIC_KEY_BYTES) {
        throw new IllegalArgumentException(
            "key: expected " + TOPIC_KEY_BYTES + " bytes, got " + key.length);
      }
      this.topicKey = key.clone();
      return this;
    }

    /**
     * Builds the view.
     *
     * @return the view
     */
    public MiltonDavResources build() {
      return new MiltonDavResources(this);
    }
  }
}
