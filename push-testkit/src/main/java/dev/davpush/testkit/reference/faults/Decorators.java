package dev.davpush.testkit.reference.faults;

import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.server.PushEngine;
import dev.davpush.spi.DavResources;
import dev.davpush.spi.PushMessageEncoder;
import dev.davpush.spi.PushTransport;
import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.reference.DavHandler;
import dev.davpush.testkit.reference.DavReply;
import dev.davpush.testkit.reference.DavRequest;
import dev.davpush.testkit.reference.ServerDecorator;
import dev.davpush.testkit.reference.WebDavServer;
import dev.davpush.testkit.reference.WebDavServer.Extensions;
import dev.davpush.testkit.reference.WebDavServer.LiveProperties;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import dev.davpush.xml.PushDontNotify;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Small builders of {@link ServerDecorator}s, one per part of the server a planted fault wraps.
 *
 * <p>Thread safety: the decorators are stateless unless a fault's own code keeps state.
 */
final class Decorators {
  private Decorators() {}

  /** Wraps the HTTP handler. */
  static ServerDecorator http(BiFunction<DavHandler, ServerDecorator.Context, DavHandler> f) {
    return new ServerDecorator() {
      @Override
      public DavHandler http(DavHandler handler, Context context) {
        return f.apply(handler, context);
      }
    };
  }

  /** Rewrites every answer to a request of one method. */
  static ServerDecorator reply(String method, UnaryOperator<DavReply> rewrite) {
    return http(
        (h, ctx) ->
            r -> {
              DavReply reply = h.handle(r);
              return r.method().equals(method) ? rewrite.apply(reply) : reply;
            });
  }

  /** Wraps the WebDAV server's extensions (the push bridge). */
  static ServerDecorator extensions(BiFunction<Extensions, ServerDecorator.Context, Extensions> f) {
    return new ServerDecorator() {
      @Override
      public Extensions extensions(Extensions extensions, Context context) {
        return f.apply(extensions, context);
      }
    };
  }

  /** Rewrites the request the change listener sees. */
  static ServerDecorator changeCause(
      BiFunction<DavRequest, ServerDecorator.Context, DavRequest> rewrite) {
    return extensions(
        (ext, ctx) -> ext.withChanges((c, r) -> ext.changes().changed(c, rewrite.apply(r, ctx))));
  }

  /** What a rewritten live property writes instead. */
  @FunctionalInterface
  interface PropertyRewrite {
    /**
     * Writes the property, or not.
     *
     * @param w the writer
     * @param path the resource
     * @param principal the principal
     * @param original the unchanged source
     * @param context the engine and base URL
     * @return false for "no such property"
     */
    boolean write(
        XMLStreamWriter w,
        String path,
        String principal,
        LiveProperties original,
        ServerDecorator.Context context)
        throws XMLStreamException;
  }

  /** Replaces one live property of the push bridge. */
  static ServerDecorator property(dev.davpush.PropertyName name, PropertyRewrite rewrite) {
    return extensions(
        (ext, ctx) -> {
          LiveProperties original = ext.liveProperties();
          return ext.withLiveProperties(
              new LiveProperties() {
                @Override
                public Set<dev.davpush.PropertyName> names() {
                  return original.names();
                }

                @Override
                public boolean write(
                    XMLStreamWriter w, dev.davpush.PropertyName n, String path, String principal)
                    throws XMLStreamException {
                  return n.equals(name)
                      ? rewrite.write(w, path, principal, original, ctx)
                      : original.write(w, n, path, principal);
                }
              });
        });
  }

  /** Wraps the authenticator. */
  static ServerDecorator authenticator(
      UnaryOperator<dev.davpush.testkit.reference.Authenticator> f) {
    return new ServerDecorator() {
      @Override
      public dev.davpush.testkit.reference.Authenticator authenticator(
          dev.davpush.testkit.reference.Authenticator a) {
        return f.apply(a);
      }
    };
  }

  /** Wraps the subscription store. */
  static ServerDecorator store(UnaryOperator<SubscriptionStore> f) {
    return new ServerDecorator() {
      @Override
      public SubscriptionStore store(SubscriptionStore store) {
        return f.apply(store);
      }
    };
  }

  /** Wraps the engine's view of the resources. */
  static ServerDecorator resources(UnaryOperator<DavResources> f) {
    return new ServerDecorator() {
      @Override
      public DavResources resources(DavResources resources) {
        return f.apply(resources);
      }
    };
  }

  /** Wraps the push-message encoder. */
  static ServerDecorator encoder(UnaryOperator<PushMessageEncoder> f) {
    return new ServerDecorator() {
      @Override
      public PushMessageEncoder encoder(PushMessageEncoder encoder) {
        return f.apply(encoder);
      }
    };
  }

  /** Changes engine settings. */
  static ServerDecorator engine(UnaryOperator<PushEngine.Builder> f) {
    return new ServerDecorator() {
      @Override
      public PushEngine.Builder engine(PushEngine.Builder builder) {
        return f.apply(builder);
      }
    };
  }

  /** Sends with a {@link FaultyWebPushTransport} of one deviation. */
  static ServerDecorator transport(FaultyWebPushTransport.Deviation deviation) {
    return new ServerDecorator() {
      @Override
      public PushTransport transport(
          PushTransport transport,
          WebPushTransport webPush,
          Supplier<VapidKeyPair> vapidKey,
          String subject) {
        return new FaultyWebPushTransport(deviation, webPush, vapidKey, subject);
      }
    };
  }

  /** The owner of the live registration a URL names, if any. */
  static Optional<String> owner(ServerDecorator.Context ctx, URI registrationUrl) {
    return ctx.engine().registration(registrationUrl).map(Registration::owner);
  }

  /** The registration URLs a request's {@code Push-Dont-Notify} names. */
  static Set<URI> dontNotify(DavRequest r) {
    return PushDontNotify.parse(r.headers(PushDontNotify.HEADER)).urls();
  }

  /** A fresh random topic, for faults that show the wrong one. */
  static Topic otherTopic() {
    return Topic.random();
  }

  /**
   * The {@code DAV} header of a reply with one token replaced (dropped when the replacement is
   * empty).
   */
  static DavReply davToken(DavReply reply, String token, String replacement) {
    String dav = reply.header("DAV");
    if (dav == null) {
      return reply;
    }
    List<String> tokens =
        java.util.Arrays.stream(dav.split(","))
            .map(String::strip)
            .map(t -> t.equals(token) ? replacement : t)
            .filter(t -> !t.isEmpty())
            .toList();
    return reply.withHeader("DAV", List.of(String.join(", ", tokens)));
  }

  /** A change listener that publishes nothing. */
  static WebDavServer.ChangeListener silent() {
    return (c, r) -> {};
  }
}
