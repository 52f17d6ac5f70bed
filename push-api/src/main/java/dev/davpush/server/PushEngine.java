package dev.davpush.server;

import static java.util.Objects.requireNonNull;

import dev.davpush.PreconditionException;
import dev.davpush.RegisterRequest;
import dev.davpush.Registration;
import dev.davpush.TransportDescriptor;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The WebDAV-Push engine a DAV server embeds: discovery, registration, and publishing of changes.
 * Built once with {@link #builder()}, shared by all request threads.
 *
 * <p>Thread safety: safe for concurrent use. {@link #close()} is idempotent.
 */
public final class PushEngine implements AutoCloseable {
  /** Default expiry when the client requests none: 7 days. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
  /** Default cap on any expiry: 30 days. */
  public static final Duration DEFAULT_MAXIMUM_EXPIRY = Duration.ofDays(30);
  /** Default floor on a requested expiry: 3 days (R-WDP-31 asks servers to allow at least 3). */
  public static final Duration DEFAULT_MINIMUM_EXPIRY = Duration.ofDays(3);

  private PushEngine(Builder b) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * A new builder.
   *
   * @return a builder with the documented defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The push properties of a resource for a principal (R-WDP-5, R-WDP-6, R-WDP-62).
   *
   * @param path the server-relative path
   * @param principal the authenticated principal, or null if anonymous
   * @return empty if the resource is not push-capable or the principal may not subscribe
   */
  public Optional<PushProperties> properties(String path, @Nullable String principal) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * The transports of this engine, as listed in {@code transports}.
   *
   * @return the descriptors, in the order the transports were added
   */
  public List<TransportDescriptor> transports() {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Registers (or updates) a subscription on a resource (draft-bitfire-webdav-push §3.1, §3.2).
   *
   * @param path the server-relative path of the target resource
   * @param principal the authenticated principal
   * @param request the parsed {@code push-register}
   * @return the stored registration and whether it is new
   * @throws PreconditionException {@code push-not-available} if the resource is not push-capable
   *     or the principal may not subscribe; {@code invalid-subscription} if no transport accepts
   *     the subscription; {@code no-supported-trigger} if no requested trigger is supported
   */
  public RegistrationResult register(String path, String principal, RegisterRequest request) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Removes a registration by its URL (R-WDP-30).
   *
   * @param registrationUrl the absolute registration URL the request addressed
   * @param principal the authenticated principal
   * @return whether it was removed, unknown, or another principal's
   */
  public UnregisterResult unregister(URI registrationUrl, String principal) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * The live registration with a URL.
   *
   * @param registrationUrl an absolute URL
   * @return empty if unknown or expired
   */
  public Optional<Registration> registration(URI registrationUrl) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Whether a URL lies under the registration base, so a DAV server routes its {@code DELETE}
   * here.
   *
   * @param url an absolute URL
   * @return true if it is under {@link Builder#registrationBase(URI)}
   */
  public boolean isRegistrationUrl(URI url) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Publishes a committed change: finds the matching registrations and sends them push messages
   * asynchronously; returns at once, never sends on the caller's thread.
   *
   * @param change the change
   * @return completes when every delivery started for this change has an outcome
   */
  public CompletionStage<PublishResult> publish(Change change) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Stops accepting changes, waits a bounded time for pending deliveries; idempotent. */
  @Override
  public void close() {}

  /** Builds a {@link PushEngine}. Not thread-safe. */
  public static final class Builder {
    @Nullable DavResources resources;
    @Nullable SubscriptionStore store;
    final List<PushTransport> transports = new ArrayList<>();
    @Nullable PushMessageEncoder encoder;
    @Nullable URI registrationBase;
    Clock clock = Clock.systemUTC();
    Duration defaultExpiry = DEFAULT_EXPIRY;
    Duration maximumExpiry = DEFAULT_MAXIMUM_EXPIRY;
    Duration minimumExpiry = DEFAULT_MINIMUM_EXPIRY;
    @Nullable Executor executor;

    private Builder() {}

    /** @param resources the DAV server's view (required) @return this builder */
    public Builder resources(DavResources resources) {
      this.resources = requireNonNull(resources, "resources");
      return this;
    }

    /** @param store the store; default {@link SubscriptionStore#inMemory()} @return this */
    public Builder store(SubscriptionStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /** @param transport a transport (at least one required) @return this builder */
    public Builder transport(PushTransport transport) {
      transports.add(requireNonNull(transport, "transport"));
      return this;
    }

    /** @param encoder serialises push messages (required) @return this builder */
    public Builder messageEncoder(PushMessageEncoder encoder) {
      this.encoder = requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * @param registrationBase absolute base URI ending in {@code /} under which registration URLs
     *     are minted (required)
     * @return this builder
     */
    public Builder registrationBase(URI registrationBase) {
      this.registrationBase = requireNonNull(registrationBase, "registrationBase");
      return this;
    }

    /** @param clock the clock; default UTC system clock @return this builder */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** @param d expiry when none is requested; default {@link #DEFAULT_EXPIRY} @return this */
    public Builder defaultExpiry(Duration d) {
      this.defaultExpiry = requireNonNull(d, "defaultExpiry");
      return this;
    }

    /** @param d cap on any expiry; default {@link #DEFAULT_MAXIMUM_EXPIRY} @return this */
    public Builder maximumExpiry(Duration d) {
      this.maximumExpiry = requireNonNull(d, "maximumExpiry");
      return this;
    }

    /** @param d floor on requested expiries; default {@link #DEFAULT_MINIMUM_EXPIRY} @return this */
    public Builder minimumExpiry(Duration d) {
      this.minimumExpiry = requireNonNull(d, "minimumExpiry");
      return this;
    }

    /** @param executor runs fan-out and outcome handling; default an own pool @return this */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return the engine
     * @throws IllegalStateException if a required part is missing or the durations are
     *     inconsistent
     */
    public PushEngine build() {
      return new PushEngine(this);
    }
  }
}
