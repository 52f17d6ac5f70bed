package dev.davpush.testkit.reference;

import dev.davpush.server.PushEngine;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Wraps parts of a {@link ReferenceServer} while it is assembled, from outside the known-good code:
 * the planted faults of {@link dev.davpush.testkit.reference.faults.PlantedFault} are decorators.
 * Every method returns its argument unchanged by default; a decorator overrides the parts it
 * changes. Decorators given to {@link ReferenceServer.Builder#decorate} apply in that order, each
 * wrapping what the previous one returned.
 *
 * <p>Thread safety: the decorator is called once per part on the thread that starts the server;
 * what it returns is used concurrently.
 */
public interface ServerDecorator {
  /** What the HTTP-level decorators may use. */
  interface Context {
    /** {@return the running engine} */
    PushEngine engine();

    /** {@return the server's base URL, {@code http://127.0.0.1:<port>/}} */
    URI baseUri();
  }

  /**
   * The server's view of its resources, as the engine sees it.
   *
   * @param resources the view so far
   * @return the view to use
   */
  default DavResources resources(DavResources resources) {
    return resources;
  }

  /**
   * The subscription store.
   *
   * @param store the store so far
   * @return the store to use
   */
  default SubscriptionStore store(SubscriptionStore store) {
    return store;
  }

  /**
   * The encoder of push-message bodies.
   *
   * @param encoder the encoder so far
   * @return the encoder to use
   */
  default PushMessageEncoder encoder(PushMessageEncoder encoder) {
    return encoder;
  }

  /**
   * The transport the engine sends with.
   *
   * @param transport the transport so far (at first the server's {@link WebPushTransport})
   * @param webPush the server's Web Push transport, whose descriptor advertises the current VAPID
   *     key
   * @param vapidKey the current VAPID key pair (it changes with {@link
   *     ReferenceServer#rotateVapidKey()})
   * @param subject the VAPID {@code sub} the server uses
   * @return the transport to use
   */
  default PushTransport transport(
      PushTransport transport,
      WebPushTransport webPush,
      Supplier<VapidKeyPair> vapidKey,
      String subject) {
    return transport;
  }

  /**
   * Settings of the engine, before it is built.
   *
   * @param builder the builder, with the server's settings
   * @return the builder to build
   */
  default PushEngine.Builder engine(PushEngine.Builder builder) {
    return builder;
  }

  /**
   * The WebDAV server's extensions, which the push bridge fills.
   *
   * @param extensions the extensions so far
   * @param context the engine and base URL
   * @return the extensions to use
   */
  default WebDavServer.Extensions extensions(WebDavServer.Extensions extensions, Context context) {
    return extensions;
  }

  /**
   * Who sent a request.
   *
   * @param authenticator the authenticator so far (HTTP Basic against the configured users)
   * @return the authenticator to use
   */
  default Authenticator authenticator(Authenticator authenticator) {
    return authenticator;
  }

  /**
   * The whole HTTP handler (authentication happens before it).
   *
   * @param handler the handler so far
   * @param context the engine and base URL
   * @return the handler to use
   */
  default DavHandler http(DavHandler handler, Context context) {
    return handler;
  }
}
