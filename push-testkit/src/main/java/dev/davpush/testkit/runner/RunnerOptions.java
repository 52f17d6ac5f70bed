package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.Area;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the runner checks and how long it waits.
 *
 * <p>Thread safety: immutable.
 */
public final class RunnerOptions {
  /** Default time to wait for an expected push message: 30 seconds. */
  public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(30);

  /** Default time to watch for an unexpected push message: 3 seconds. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(3);

  private final URI target;
  private final @Nullable String user;
  private final @Nullable String password;
  private final @Nullable String secondUser;
  private final @Nullable String secondPassword;
  private final Duration pushTimeout;
  private final Duration quietPeriod;
  private final Set<String> only;
  private final Set<String> skip;
  private final boolean strict;
  private final RunListener listener;
  private final @Nullable Consumer<URI> expireHook;
  private final @Nullable Runnable keyRotationHook;
  private final @Nullable InetSocketAddress pushServiceBind;
  private final @Nullable URI pushServiceUrl;
  private final @Nullable KitCertificateAuthority pushServiceCa;
  private final KitCertificateAuthority.@Nullable ServerIdentity pushServiceIdentity;

  private RunnerOptions(Builder b) {
    this.target = b.target;
    this.user = b.user;
    this.password = b.password;
    this.secondUser = b.secondUser;
    this.secondPassword = b.secondPassword;
    this.pushTimeout = b.pushTimeout;
    this.quietPeriod = b.quietPeriod;
    this.only = Set.copyOf(b.only);
    this.skip = Set.copyOf(b.skip);
    this.strict = b.strict;
    this.listener = b.listener;
    this.expireHook = b.expireHook;
    this.keyRotationHook = b.keyRotationHook;
    this.pushServiceBind = b.pushServiceBind;
    this.pushServiceUrl = b.pushServiceUrl;
    this.pushServiceCa = b.pushServiceCa;
    this.pushServiceIdentity = b.pushServiceIdentity;
  }

  /**
   * Whether the kit's push service speaks HTTPS in this run.
   *
   * @return true with {@link Builder#pushServiceHttps} or an {@code https} {@link
   *     Builder#pushServiceUrl}
   */
  public boolean pushServiceIsHttps() {
    return pushServiceCa != null
        || pushServiceIdentity != null
        || (pushServiceUrl != null && pushServiceUrl.getScheme().equalsIgnoreCase("https"));
  }

  /**
   * A builder for the kit's embedded push service as these options configure it: bind address,
   * advertised URL, and the CA or identity it serves HTTPS with.
   *
   * @return a new builder; the runner starts and closes the service
   */
  public EmbeddedPushService.Builder pushServiceBuilder() {
    EmbeddedPushService.Builder b = EmbeddedPushService.builder();
    if (pushServiceBind != null) {
      b.bind(pushServiceBind);
    }
    if (pushServiceUrl != null) {
      b.advertisedUrl(pushServiceUrl);
    }
    if (pushServiceCa != null) {
      b.https(pushServiceCa);
    }
    if (pushServiceIdentity != null) {
      b.https(pushServiceIdentity.keyStore(), pushServiceIdentity.password());
    }
    return b;
  }

  /** {@return the hook that expires a registration now, if the target offers one} */
  public Optional<Consumer<URI>> expireHook() {
    return Optional.ofNullable(expireHook);
  }

  /** {@return the hook that makes the target rotate its VAPID key, if the target offers one} */
  public Optional<Runnable> keyRotationHook() {
    return Optional.ofNullable(keyRotationHook);
  }

  /**
   * A builder for a target collection.
   *
   * @param target the absolute URL of a push-capable collection, used as given
   * @return a builder with the defaults
   * @throws IllegalArgumentException if the URL is not absolute http(s)
   */
  public static Builder builder(URI target) {
    return new Builder(target);
  }

  /** {@return the target collection URL, as given} */
  public URI target() {
    return target;
  }

  /** {@return the Basic user name, if any} */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** {@return the Basic password, if any; a secret} */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * A second user's name, for the checks that registrations are bound to their user (R-WDP-62).
   *
   * @return empty if none was given; those checks are then not made
   */
  public Optional<String> secondUser() {
    return Optional.ofNullable(secondUser);
  }

  /**
   * The second user's password; a secret.
   *
   * @return empty if none was given
   */
  public Optional<String> secondPassword() {
    return Optional.ofNullable(secondPassword);
  }

  /** {@return how long to wait for an expected push message} */
  public Duration pushTimeout() {
    return pushTimeout;
  }

  /** {@return how long to watch for an unexpected push message} */
  public Duration quietPeriod() {
    return quietPeriod;
  }

  /**
   * Whether a requirement is selected by {@code only} and {@code skip}: it is when {@code only} is
   * empty or names its ID or area, and {@code skip} names neither.
   *
   * @param requirement the requirement
   * @return whether the run checks it
   */
  public boolean selects(Requirement requirement) {
    String area = requirement.area().label();
    boolean in = only.isEmpty() || only.contains(requirement.id()) || only.contains(area);
    return in && !skip.contains(requirement.id()) && !skip.contains(area);
  }

  /** {@return the selectors of {@code --only}: requirement IDs and area labels} */
  public Set<String> only() {
    return only;
  }

  /** {@return the selectors of {@code --skip}: requirement IDs and area labels} */
  public Set<String> skip() {
    return skip;
  }

  /** {@return whether SHOULD failures fail the run} */
  public boolean strict() {
    return strict;
  }

  /** {@return the progress listener} */
  public RunListener listener() {
    return listener;
  }

  /**
   * Builds {@link RunnerOptions}.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread and share what it builds.
   */
  public static final class Builder {
    private final URI target;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable String secondUser;
    private @Nullable String secondPassword;
    private Duration pushTimeout = DEFAULT_PUSH_TIMEOUT;
    private Duration quietPeriod = DEFAULT_QUIET_PERIOD;
    private final Set<String> only = new LinkedHashSet<>();
    private final Set<String> skip = new LinkedHashSet<>();
    private boolean strict;
    private RunListener listener = RunListener.NONE;
    private @Nullable Consumer<URI> expireHook;
    private @Nullable Runnable keyRotationHook;
    private @Nullable InetSocketAddress pushServiceBind;
    private @Nullable URI pushServiceUrl;
    private @Nullable KitCertificateAuthority pushServiceCa;
    private KitCertificateAuthority.@Nullable ServerIdentity pushServiceIdentity;

    private Builder(URI target) {
      requireNonNull(target, "target");
      String scheme = target.getScheme();
      if (!target.isAbsolute()
          || target.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new IllegalArgumentException(
            "target: expected an absolute http(s) URL of a collection, got '" + target + "'");
      }
      this.target = target;
    }

    /**
     * Sets HTTP Basic credentials.
     *
     * @param user the user name
     * @param password the password
     * @return this builder
     */
    public Builder credentials(String user, String password) {
      this.user = requireNonNull(user, "user");
      this.password = requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the HTTP Basic credentials of a second user with write access to the target, for the
     * R-WDP-62 checks: that user may neither delete the first user's registration nor suppress its
     * notifications with {@code Push-Dont-Notify}.
     *
     * @param user the second user's name
     * @param password the second user's password
     * @return this builder
     */
    public Builder secondCredentials(String user, String password) {
      this.secondUser = requireNonNull(user, "user");
      this.secondPassword = requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the time to wait for an expected push message; default {@link
     * RunnerOptions#DEFAULT_PUSH_TIMEOUT}.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder pushTimeout(Duration timeout) {
      this.pushTimeout = positive(timeout, "pushTimeout");
      return this;
    }

    /**
     * Sets the time to watch for an unexpected push message; default {@link
     * RunnerOptions#DEFAULT_QUIET_PERIOD}.
     *
     * @param quiet positive
     * @return this builder
     */
    public Builder quietPeriod(Duration quiet) {
      this.quietPeriod = positive(quiet, "quietPeriod");
      return this;
    }

    /**
     * Restricts the run to some requirements; may be called again to add more. Default: all.
     *
     * @param selectors requirement IDs ({@code R-WDP-25}) and area labels ({@code registration});
     *     see {@link Area#label()}
     * @return this builder
     * @throws IllegalArgumentException if a selector is neither a catalogued ID nor an area
     */
    public Builder only(Collection<String> selectors) {
      only.addAll(validSelectors(selectors));
      return this;
    }

    /**
     * Leaves some requirements out; may be called again to add more. Default: none.
     *
     * @param selectors requirement IDs and area labels
     * @return this builder
     * @throws IllegalArgumentException if a selector is neither a catalogued ID nor an area
     */
    public Builder skip(Collection<String> selectors) {
      skip.addAll(validSelectors(selectors));
      return this;
    }

    /**
     * Makes SHOULD failures fail the run; default false.
     *
     * @param strict whether they do
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Sets the progress listener; default {@link RunListener#NONE}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(RunListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets a hook that makes a registration expire now (R-WDP-33). Without one, the kit asks for an
     * expiry a few seconds away and waits, if the server grants it.
     *
     * @param hook called with the registration URL as the server sent it in {@code Location},
     *     resolved against the target; returns once the registration counts as expired
     * @return this builder
     */
    public Builder expireHook(Consumer<URI> hook) {
      this.expireHook = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Sets a hook that makes the target rotate its VAPID key (R-WDP-55): send the key-rotation
     * message to every subscription, then switch to a new key. Without one, R-WDP-55 is not tested.
     *
     * @param hook returns once the rotation messages are sent and the new key is published
     * @return this builder
     */
    public Builder keyRotationHook(Runnable hook) {
      this.keyRotationHook = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Sets where the kit's push service listens (default {@code 127.0.0.1}, a free port): for
     * example {@code 0.0.0.0:8443} when the server under test runs on another host.
     *
     * @param address a resolved local address; port 0 for a free one
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder pushServiceBind(InetSocketAddress address) {
      requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "pushServiceBind: expected a resolved local address, got unresolved " + address);
      }
      this.pushServiceBind = address;
      return this;
    }

    /**
     * Sets the base URL the kit's push resources are minted under, when the server under test
     * reaches the push service by another name or port than it listens on ({@link
     * EmbeddedPushService.Builder#advertisedUrl}). An {@code https} URL makes the push service
     * speak HTTPS, with a fresh CA unless {@link #pushServiceHttps} gives one.
     *
     * @param url {@code http(s)://host[:port]}; without a port, the port the service listens on
     * @return this builder
     * @throws IllegalArgumentException if the URL has a path, query, fragment or user info, or is
     *     not http(s)
     */
    public Builder pushServiceUrl(URI url) {
      EmbeddedPushService.builder().advertisedUrl(url); // validates
      this.pushServiceUrl = url;
      return this;
    }

    /**
     * Makes the kit's push service speak HTTPS with a certificate this CA issues; the server under
     * test must trust the CA ({@link KitCertificateAuthority#writePem}). With HTTPS the kit checks
     * R-WDP-64 and R-8030-1; over plain HTTP they are NOT_TESTED.
     *
     * @param ca the CA
     * @return this builder
     */
    public Builder pushServiceHttps(KitCertificateAuthority ca) {
      this.pushServiceCa = requireNonNull(ca, "ca");
      this.pushServiceIdentity = null;
      return this;
    }

    /**
     * Makes the kit's push service speak HTTPS with the user's own certificate and key.
     *
     * @param identity the key store (PKCS#12) and password
     * @return this builder
     */
    public Builder pushServiceHttps(KitCertificateAuthority.ServerIdentity identity) {
      this.pushServiceIdentity = requireNonNull(identity, "identity");
      this.pushServiceCa = null;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if the push service URL is {@code http} while HTTPS was set
     */
    public RunnerOptions build() {
      if ((pushServiceCa != null || pushServiceIdentity != null)
          && pushServiceUrl != null
          && pushServiceUrl.getScheme().equalsIgnoreCase("http")) {
        throw new IllegalArgumentException(
            "the push service URL "
                + pushServiceUrl
                + " is http, but the push service speaks HTTPS: give an https:// URL");
      }
      return new RunnerOptions(this);
    }

    private static Set<String> validSelectors(Collection<String> selectors) {
      Set<String> out = new LinkedHashSet<>();
      for (String raw : requireNonNull(selectors, "selectors")) {
        String sel = requireNonNull(raw, "selector").trim();
        if (RequirementCatalogue.find(sel.toUpperCase(Locale.ROOT)).isPresent()) {
          out.add(sel.toUpperCase(Locale.ROOT));
        } else {
          try {
            out.add(Area.fromLabel(sel).label());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "'" + sel + "' is neither a requirement ID of the catalogue nor an area", e);
          }
        }
      }
      return out;
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": expected a positive duration, got " + d);
      }
      return d;
    }
  }
}
