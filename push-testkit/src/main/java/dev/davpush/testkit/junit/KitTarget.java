package dev.davpush.testkit.junit;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.runner.RunnerOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PushServerConformanceKit} checks: the URL of a push-capable collection, credentials,
 * an optional second user, timeouts, and anything to close when the kit is done (an embedded server
 * the subclass started).
 *
 * <p>By default the kit's embedded push service listens on 127.0.0.1 over plain HTTP, so the target
 * must accept such push resources; {@link #pushServiceHttps}, {@link #pushServiceBind} and {@link
 * #pushServiceUrl} make it serve HTTPS from a CA the target trusts, under a name and address the
 * target accepts ({@code docs/kit-reach.md}). When the target refuses the push resource for such a
 * reason, or does not trust the certificate, the {@code configuration} test fails with what to
 * configure, and no requirement is reported failed.
 *
 * <p>Thread safety: not thread-safe; build it in {@link PushServerConformanceKit#target()} and
 * return it.
 */
public final class KitTarget {
  private final RunnerOptions.Builder options;
  private final URI collection;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private dev.davpush.testkit.report.Baseline baseline = dev.davpush.testkit.report.Baseline.EMPTY;

  private KitTarget(URI collection) {
    this.collection = collection;
    this.options = RunnerOptions.builder(collection);
  }

  /**
   * A target collection.
   *
   * @param collection the absolute http(s) URL of a push-capable collection
   * @return the target, without credentials, with the default timeouts ({@link
   *     RunnerOptions#DEFAULT_PUSH_TIMEOUT}, {@link RunnerOptions#DEFAULT_QUIET_PERIOD})
   * @throws IllegalArgumentException if the URL is not absolute http(s)
   */
  public static KitTarget of(URI collection) {
    return new KitTarget(requireNonNull(collection, "collection"));
  }

  /**
   * Sets HTTP Basic credentials of the user the kit acts as.
   *
   * @param user the user name
   * @param password the password; never shown in results
   * @return this target
   */
  public KitTarget credentials(String user, String password) {
    options.credentials(user, password);
    return this;
  }

  /**
   * Sets a second user with write access to the collection; without one, the binding of
   * registrations to their user (R-WDP-62, SHOULD clause) is not checked.
   *
   * @param user the second user's name
   * @param password the second user's password
   * @return this target
   */
  public KitTarget secondUser(String user, String password) {
    options.secondCredentials(user, password);
    return this;
  }

  /**
   * Sets how long to wait for an expected push message.
   *
   * @param timeout positive
   * @return this target
   */
  public KitTarget pushTimeout(Duration timeout) {
    options.pushTimeout(timeout);
    return this;
  }

  /**
   * Sets how long to watch for an unexpected push message.
   *
   * @param quiet positive
   * @return this target
   */
  public KitTarget quietPeriod(Duration quiet) {
    options.quietPeriod(quiet);
    return this;
  }

  /**
   * Makes SHOULD failures fail their tests (default: they abort with a message that starts {@code
   * SHOULD failed:}).
   *
   * @return this target
   */
  public KitTarget strict() {
    options.strict(true);
    return this;
  }

  /**
   * Restricts the run to some requirements: the others' tests abort as not selected.
   *
   * @param selectors requirement IDs or area labels
   * @return this target
   * @throws IllegalArgumentException if a selector is unknown
   */
  public KitTarget only(Collection<String> selectors) {
    options.only(selectors);
    return this;
  }

  /**
   * Leaves requirements out of the run: their tests abort as not selected.
   *
   * @param selectors requirement IDs or area labels
   * @return this target
   * @throws IllegalArgumentException if a selector is unknown
   */
  public KitTarget skip(Collection<String> selectors) {
    options.skip(selectors);
    return this;
  }

  /**
   * Gives the kit a way to make a registration expire now, for R-WDP-33. Without it the kit asks
   * for an expiry a few seconds away and waits, when the server grants one.
   *
   * @param hook called with the registration URL; returns once it counts as expired
   * @return this target
   */
  public KitTarget expireHook(java.util.function.Consumer<URI> hook) {
    options.expireHook(hook);
    return this;
  }

  /**
   * Gives the kit a way to make the server rotate its VAPID key, for R-WDP-55: send the
   * key-rotation message to every subscription, then publish a new key. Without it R-WDP-55 is not
   * tested.
   *
   * @param hook returns once the messages are sent and the new key is published
   * @return this target
   */
  public KitTarget keyRotationHook(Runnable hook) {
    options.keyRotationHook(hook);
    return this;
  }

  /**
   * Makes the kit's push service speak HTTPS with a certificate the CA issues; the target's push
   * transport must trust {@link
   * dev.davpush.testkit.pushservice.KitCertificateAuthority#certificate() the CA}. R-WDP-64 and
   * R-8030-1 are judged only then.
   *
   * @param ca the CA, for example {@code KitCertificateAuthority.generate()}, made before the
   *     target starts so that it can be told to trust it
   * @return this target
   */
  public KitTarget pushServiceHttps(dev.davpush.testkit.pushservice.KitCertificateAuthority ca) {
    options.pushServiceHttps(ca);
    return this;
  }

  /**
   * Sets where the kit's push service listens (default {@code 127.0.0.1}, a free port).
   *
   * @param address a resolved local address; port 0 for a free one
   * @return this target
   * @throws IllegalArgumentException if the address is unresolved
   */
  public KitTarget pushServiceBind(java.net.InetSocketAddress address) {
    options.pushServiceBind(address);
    return this;
  }

  /**
   * Sets the base URL push resources are minted under, when the target reaches the push service by
   * another name or port than it listens on; an {@code https} URL means HTTPS.
   *
   * @param url {@code http(s)://host[:port]}; without a port, the port the service listens on
   * @return this target
   * @throws IllegalArgumentException if the URL is not of that form
   */
  public KitTarget pushServiceUrl(URI url) {
    options.pushServiceUrl(url);
    return this;
  }

  /**
   * Sets the expected deviations, as the command line's {@code --baseline}: a failure the baseline
   * lists with outcome FAILED aborts its test (with a message that starts {@code expected by the
   * baseline}) instead of failing it; everything else is judged as without a baseline.
   *
   * @param baseline the baseline, for example {@code Baseline.read(Path.of("kit-baseline.json"))}
   * @return this target
   */
  public KitTarget baseline(dev.davpush.testkit.report.Baseline baseline) {
    this.baseline = java.util.Objects.requireNonNull(baseline, "baseline");
    return this;
  }

  dev.davpush.testkit.report.Baseline baseline() {
    return baseline;
  }

  /**
   * Adds something the kit closes after its last test, in reverse order of adding: typically the
   * embedded server the subclass started for the kit.
   *
   * @param resource the resource
   * @return this target
   */
  public KitTarget closing(AutoCloseable resource) {
    closing.add(requireNonNull(resource, "resource"));
    return this;
  }

  URI collection() {
    return collection;
  }

  RunnerOptions options() {
    return options.build();
  }

  /** Closes what was added with {@link #closing}; returns the first failure, if any. */
  Optional<Exception> close() {
    @Nullable Exception first = null;
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    closing.clear();
    return Optional.ofNullable(first);
  }
}
