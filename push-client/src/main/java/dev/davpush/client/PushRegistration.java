package dev.davpush.client;

import static java.util.Objects.requireNonNull;

import dev.davpush.AuthSecret;
import dev.davpush.Base64Url;
import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushResource;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One WebDAV-Push registration as the client holds it (draft-bitfire-webdav-push §3): the
 * registration URL the server gave in {@code Location}, the registered collection and its topic,
 * the Web Push subscription, the requested triggers, the expiry the server granted, when it was
 * granted, and the server's VAPID key at that time.
 *
 * <p>It survives restarts: {@link #toStorageString()} and {@link #fromStorageString(String)} give a
 * stable text form (versioned; the same value always gives the same text). Store it next to the
 * subscription's {@link dev.davpush.webpush.crypto.UserAgentKeyPair#toStorageString() key pair}.
 * The text holds the push resource URL and the auth secret: treat it as a secret. {@link
 * #toString()} shows neither.
 *
 * <p>Thread safety: immutable.
 */
public final class PushRegistration {
  /** The prefix of the storage string of this version: {@value}. */
  public static final String STORAGE_PREFIX = "davpush-registration-v1:";

  private static final int MAX_STORAGE_LENGTH = 1 << 20;

  private final URI registrationUrl;
  private final URI collection;
  private final @Nullable Topic topic;
  private final WebPushSubscription subscription;
  private final List<Trigger> triggers;
  private final Instant expires;
  private final Instant granted;
  private final @Nullable P256PublicKey vapidKey;

  private PushRegistration(Builder b) {
    this.registrationUrl =
        absolute(requireNonNull(b.registrationUrl, "registrationUrl"), "registrationUrl");
    this.collection = absolute(requireNonNull(b.collection, "collection"), "collection");
    this.topic = b.topic;
    this.subscription = requireNonNull(b.subscription, "subscription");
    this.triggers = List.copyOf(requireNonNull(b.triggers, "triggers"));
    this.expires = requireNonNull(b.expires, "expires");
    this.granted = requireNonNull(b.granted, "granted");
    this.vapidKey = b.vapidKey;
  }

  private static URI absolute(URI u, String name) {
    if (!u.isAbsolute() || u.getHost() == null) {
      throw new IllegalArgumentException(name + ": expected an absolute http(s) URL");
    }
    return u;
  }

  /**
   * A new builder; every part but topic and VAPID key is required.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this value's parts.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder()
        .registrationUrl(registrationUrl)
        .collection(collection)
        .topic(topic)
        .subscription(subscription)
        .triggers(triggers)
        .expires(expires)
        .granted(granted)
        .vapidKey(vapidKey);
  }

  /**
   * The registration URL, exactly as the server sent it in {@code Location} (resolved against the
   * request URL if the server sent a relative one). {@code Push-Dont-Notify} names it (R-WDP-40);
   * {@code DELETE} on it unregisters.
   *
   * @return an absolute URL
   */
  public URI registrationUrl() {
    return registrationUrl;
  }

  /**
   * The registered resource (usually a collection).
   *
   * @return an absolute URL
   */
  public URI collection() {
    return collection;
  }

  /**
   * The topic of the registered resource, which push messages name.
   *
   * @return empty if the registration was made without discovery
   */
  public Optional<Topic> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * The registered Web Push subscription (push resource, {@code p256dh} key, auth secret).
   *
   * @return the subscription
   */
  public WebPushSubscription subscription() {
    return subscription;
  }

  /**
   * The requested triggers (the server may have downgraded them, R-WDP-15).
   *
   * @return unmodifiable
   */
  public List<Trigger> triggers() {
    return triggers;
  }

  /**
   * The expiry the server granted ({@code Expires}, R-WDP-26).
   *
   * @return the instant
   */
  public Instant expires() {
    return expires;
  }

  /**
   * When the server granted the registration (the client's clock when the answer arrived); the
   * refresh schedule counts from here.
   *
   * @return the instant
   */
  public Instant granted() {
    return granted;
  }

  /**
   * The server's VAPID key when the registration was made; the subscription is restricted to it.
   *
   * @return empty if unknown or the server does not sign
   */
  public Optional<P256PublicKey> vapidKey() {
    return Optional.ofNullable(vapidKey);
  }

  /**
   * Whether the registration has expired.
   *
   * @param now the current time
   * @return true if {@code now} is at or after {@link #expires()}
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expires);
  }

  /**
   * The storage form: {@value #STORAGE_PREFIX} followed by base64url (no padding) of a fixed binary
   * layout. Stable: equal values give equal strings, and every later version of this library reads
   * it.
   *
   * @return the text; a secret
   */
  public String toStorageString() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      str(out, registrationUrl.toString());
      str(out, collection.toString());
      out.writeBoolean(topic != null);
      if (topic != null) {
        str(out, topic.value());
      }
      str(out, subscription.pushResource().uri().toString());
      str(out, subscription.contentEncoding().token());
      bin(out, subscription.subscriptionPublicKey().bytes());
      bin(out, subscription.authSecret().bytes());
      out.writeInt(triggers.size());
      for (Trigger t : triggers) {
        out.writeByte(t instanceof Trigger.ContentUpdate ? 'C' : 'P');
        str(out, t.depth().token());
        if (t instanceof Trigger.PropertyUpdate p) {
          List<PropertyName> names = new ArrayList<>(p.properties());
          names.sort(
              (a, b) ->
                  a.namespaceUri().equals(b.namespaceUri())
                      ? a.localName().compareTo(b.localName())
                      : a.namespaceUri().compareTo(b.namespaceUri()));
          out.writeInt(names.size());
          for (PropertyName n : names) {
            str(out, n.namespaceUri());
            str(out, n.localName());
          }
        }
      }
      out.writeLong(expires.getEpochSecond());
      out.writeInt(expires.getNano());
      out.writeLong(granted.getEpochSecond());
      out.writeInt(granted.getNano());
      out.writeBoolean(vapidKey != null);
      if (vapidKey != null) {
        bin(out, vapidKey.bytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return STORAGE_PREFIX + Base64Url.encode(bytes.toByteArray());
  }

  /**
   * Reads a value saved with {@link #toStorageString()}.
   *
   * @param text the storage string; surrounding white space ignored
   * @return the registration
   * @throws IllegalArgumentException if the text is not a storage string of a known version or
   *     holds invalid parts; the message never repeats the text
   */
  public static PushRegistration fromStorageString(String text) {
    requireNonNull(text, "text");
    String t = text.strip();
    if (!t.startsWith(STORAGE_PREFIX)) {
      throw new IllegalArgumentException(
          "registration storage string: expected the prefix " + STORAGE_PREFIX);
    }
    if (t.length() > MAX_STORAGE_LENGTH) {
      throw new IllegalArgumentException("registration storage string: longer than 1 MiB");
    }
    try {
      byte[] raw = Base64Url.decode(t.substring(STORAGE_PREFIX.length()));
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
      Builder b = builder();
      b.registrationUrl(new URI(str(in)));
      b.collection(new URI(str(in)));
      if (in.readBoolean()) {
        b.topic(Topic.of(str(in)));
      }
      PushResource resource = new PushResource(new URI(str(in)));
      ContentEncoding encoding = ContentEncoding.of(str(in));
      P256PublicKey p256dh = P256PublicKey.of(bin(in));
      AuthSecret auth = AuthSecret.of(bin(in));
      b.subscription(WebPushSubscription.of(resource, encoding, p256dh, auth));
      int n = count(in);
      List<Trigger> triggers = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int kind = in.readByte();
        Depth depth = Depth.parse(str(in));
        if (kind == 'C') {
          triggers.add(new Trigger.ContentUpdate(depth));
        } else if (kind == 'P') {
          int m = count(in);
          Set<PropertyName> names = new LinkedHashSet<>();
          for (int j = 0; j < m; j++) {
            names.add(PropertyName.of(str(in), str(in)));
          }
          triggers.add(new Trigger.PropertyUpdate(depth, names));
        } else {
          throw new IllegalArgumentException("unknown trigger kind");
        }
      }
      b.triggers(triggers);
      b.expires(Instant.ofEpochSecond(in.readLong(), in.readInt()));
      b.granted(Instant.ofEpochSecond(in.readLong(), in.readInt()));
      if (in.readBoolean()) {
        b.vapidKey(P256PublicKey.of(bin(in)));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes");
      }
      return b.build();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      throw new IllegalArgumentException(
          "registration storage string: unreadable ("
              + e.getClass().getSimpleName()
              + "); it was not written by toStorageString() or was altered");
    }
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    bin(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bin(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static String str(DataInputStream in) throws IOException {
    return new String(bin(in), StandardCharsets.UTF_8);
  }

  private static byte[] bin(DataInputStream in) throws IOException {
    int n = count(in);
    return in.readNBytes(n);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length");
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PushRegistration r
        && registrationUrl.equals(r.registrationUrl)
        && collection.equals(r.collection)
        && Objects.equals(topic, r.topic)
        && subscription.equals(r.subscription)
        && triggers.equals(r.triggers)
        && expires.equals(r.expires)
        && granted.equals(r.granted)
        && Objects.equals(vapidKey, r.vapidKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registrationUrl, collection, topic, subscription, triggers, expires);
  }

  /** Shows the collection, topic and expiry; not the push resource, auth secret or the URL path. */
  @Override
  public String toString() {
    return "PushRegistration[collection="
        + collection
        + ", topic="
        + topic
        + ", registration="
        + RedirectRefusedException.origin(registrationUrl)
        + "/…, expires="
        + expires
        + "]";
  }

  /**
   * Builds a {@link PushRegistration}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private @Nullable URI registrationUrl;
    private @Nullable URI collection;
    private @Nullable Topic topic;
    private @Nullable WebPushSubscription subscription;
    private List<Trigger> triggers = List.of();
    private @Nullable Instant expires;
    private @Nullable Instant granted;
    private @Nullable P256PublicKey vapidKey;

    private Builder() {}

    /**
     * Sets the registration URL.
     *
     * @param registrationUrl absolute
     * @return this builder
     */
    public Builder registrationUrl(URI registrationUrl) {
      this.registrationUrl = requireNonNull(registrationUrl, "registrationUrl");
      return this;
    }

    /**
     * Sets the registered resource.
     *
     * @param collection absolute
     * @return this builder
     */
    public Builder collection(URI collection) {
      this.collection = requireNonNull(collection, "collection");
      return this;
    }

    /**
     * Sets the topic.
     *
     * @param topic the topic, or null if unknown
     * @return this builder
     */
    public Builder topic(@Nullable Topic topic) {
      this.topic = topic;
      return this;
    }

    /**
     * Sets the subscription.
     *
     * @param subscription the Web Push subscription
     * @return this builder
     */
    public Builder subscription(WebPushSubscription subscription) {
      this.subscription = requireNonNull(subscription, "subscription");
      return this;
    }

    /**
     * Sets the requested triggers.
     *
     * @param triggers copied; default none
     * @return this builder
     */
    public Builder triggers(List<Trigger> triggers) {
      this.triggers = List.copyOf(requireNonNull(triggers, "triggers"));
      return this;
    }

    /**
     * Sets the granted expiry.
     *
     * @param expires the instant
     * @return this builder
     */
    public Builder expires(Instant expires) {
      this.expires = requireNonNull(expires, "expires");
      return this;
    }

    /**
     * Sets when the registration was granted.
     *
     * @param granted the instant
     * @return this builder
     */
    public Builder granted(Instant granted) {
      this.granted = requireNonNull(granted, "granted");
      return this;
    }

    /**
     * Sets the VAPID key.
     *
     * @param vapidKey the key, or null
     * @return this builder
     */
    public Builder vapidKey(@Nullable P256PublicKey vapidKey) {
      this.vapidKey = vapidKey;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the registration
     * @throws NullPointerException if a required part is missing
     * @throws IllegalArgumentException if a URL is not absolute
     */
    public PushRegistration build() {
      return new PushRegistration(this);
    }
  }
}
