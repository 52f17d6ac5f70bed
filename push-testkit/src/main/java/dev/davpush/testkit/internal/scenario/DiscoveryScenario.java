package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_18;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_2;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_4;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_49;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_5;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_51;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_53;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_9;

import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.SupportedTriggers;
import dev.davpush.Topic;
import dev.davpush.TransportDescriptor;
import dev.davpush.WebPushTransportDescriptor;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.runner.TargetException;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.WebDavPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * OPTIONS and PROPFIND Depth 0 of the target: the compliance class, the three push properties, the
 * web-push transport and its VAPID key. Also validates the configuration: a target that is no
 * collection or shows no push support at all is a {@link TargetException}, not a failure.
 */
final class DiscoveryScenario implements Scenario {
  private static final PropertyName COLLECTION = PropertyName.of(PropertyName.DAV, "collection");

  @Override
  public String name() {
    return "discovery";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_2, R_WDP_4, R_WDP_5, R_WDP_9, R_WDP_18, R_WDP_49, R_WDP_51, R_WDP_53);
  }

  @Override
  public void run(RunContext ctx) {
    Recorder rec = ctx.record();
    HttpResult optionsAnswer = ctx.client().options(ctx.target());
    RunContext.refuseAuthentication(optionsAnswer);
    Set<String> tokens = WebDavPushClient.davTokens(optionsAnswer);
    rec.check(
        R_WDP_4,
        tokens.contains(WebDavPush.COMPLIANCE_CLASS),
        optionsAnswer.evidence() + ", DAV: " + String.join(", ", optionsAnswer.headers("DAV")));

    WebDavPushClient.Propfind pf = ctx.propfind(ctx.target());
    DavResponse self =
        pf.self()
            .orElseThrow(
                () ->
                    new TargetException(
                        "PROPFIND " + ctx.target().getRawPath() + " returned no response element"));
    if (!self.resourceTypes().contains(COLLECTION)) {
      throw new TargetException(
          ctx.target()
              + " is not a collection (DAV:resourcetype has no"
              + " DAV:collection); give the URL of a push-capable collection");
    }
    List<String> unreadable = new ArrayList<>();
    Optional<Topic> topic = RunContext.read("topic", self::topic, unreadable);
    Optional<List<TransportDescriptor>> transportsProperty =
        RunContext.read("transports", self::transports, unreadable);
    Optional<SupportedTriggers> supportedProperty =
        RunContext.read("supported-triggers", self::supportedTriggers, unreadable);
    if (topic.isEmpty() && !tokens.contains(WebDavPush.COMPLIANCE_CLASS) && unreadable.isEmpty()) {
      throw new TargetException(
          ctx.target()
              + " shows no WebDAV-Push support: no webdav-push token in"
              + " the DAV header and no topic property");
    }
    boolean allThree =
        RunContext.isPresent(self, WebDavPush.TRANSPORTS)
            && RunContext.isPresent(self, WebDavPush.TOPIC)
            && RunContext.isPresent(self, WebDavPush.SUPPORTED_TRIGGERS);
    rec.check(
        R_WDP_5,
        allThree,
        pf.result().evidence()
            + ": transports "
            + present(self, WebDavPush.TRANSPORTS)
            + ", topic "
            + present(self, WebDavPush.TOPIC)
            + ", supported-triggers "
            + present(self, WebDavPush.SUPPORTED_TRIGGERS)
            + (unreadable.isEmpty() ? "" : "; " + unreadable));
    SupportedTriggers supported = supportedProperty.orElse(null);
    rec.check(
        R_WDP_9,
        supported != null,
        supported == null
            ? "supported-triggers missing or without a valid depth"
            : "content-update "
                + supported.contentUpdate().map(Depth::token).orElse("-")
                + ", property-update "
                + supported.propertyUpdate().map(Depth::token).orElse("-"));
    if (supported != null) {
      rec.check(
          R_WDP_18,
          supported.contentUpdate().map(d -> d.compareTo(Depth.ONE) >= 0).orElse(false),
          "content-update maximum depth "
              + supported.contentUpdate().map(Depth::token).orElse("none"));
    } else {
      rec.notTested(R_WDP_18, "supported-triggers could not be read (R-WDP-9)");
    }

    List<TransportDescriptor> transports = transportsProperty.orElse(List.of());
    Optional<String> badTransports =
        unreadable.stream().filter(u -> u.startsWith("transports")).findFirst();
    if (badTransports.isPresent()) {
      if (badTransports.get().toLowerCase(Locale.ROOT).contains("vapid")) {
        rec.fail(R_WDP_51, badTransports.get());
        rec.notTested(R_WDP_49, "transports could not be read past its VAPID key");
        rec.notTested(R_WDP_2, "transports could not be read past its VAPID key");
      } else {
        rec.fail(R_WDP_49, badTransports.get());
        rec.notTested(R_WDP_2, "transports could not be read (R-WDP-49)");
      }
    }
    Optional<WebPushTransportDescriptor> webPush =
        transports.stream()
            .filter(WebPushTransportDescriptor.class::isInstance)
            .map(WebPushTransportDescriptor.class::cast)
            .findFirst();
    if (badTransports.isEmpty()) {
      String listed = "transports: " + transports.stream().map(TransportDescriptor::name).toList();
      rec.check(R_WDP_49, webPush.isPresent(), listed);
      if (webPush.isPresent()) {
        rec.pass(R_WDP_2, listed);
      } else {
        // seen from outside, a server without Web Push and one that does not list it look alike:
        // R-WDP-49 judges that
        rec.notTested(R_WDP_2, listed + ": no web-push listed (R-WDP-49), nothing more to judge");
      }
    }
    Optional<P256PublicKey> vapidKey = webPush.flatMap(WebPushTransportDescriptor::vapidKey);
    if (webPush.isPresent()) {
      if (vapidKey.isPresent()) {
        rec.pass(R_WDP_51, "vapid-public-key type=p256ecdsa, 65-byte point on P-256");
      } else {
        rec.notApplicable(R_WDP_51, "the server publishes no VAPID key");
      }
    }
    checkSameKeyOnSiblings(ctx, vapidKey);
    if (topic.isPresent() && webPush.isPresent()) {
      String syncToken =
          RunContext.read("sync-token", self::syncToken, new ArrayList<>()).orElse(null);
      ctx.discovery(
          new RunContext.Discovery(
              self, tokens, topic.get(), webPush.get(), vapidKey, supported, syncToken));
    }
  }

  /**
   * R-WDP-53: the push-capable siblings of the target (Depth 1 of its parent) show the same key.
   */
  private static void checkSameKeyOnSiblings(RunContext ctx, Optional<P256PublicKey> key) {
    Recorder rec = ctx.record();
    if (key.isEmpty()) {
      rec.notApplicable(R_WDP_53, "the server publishes no VAPID key");
      return;
    }
    java.net.URI parent = ctx.target().resolve(ctx.target().getPath().endsWith("/") ? ".." : ".");
    WebDavPushClient.Propfind pf;
    try {
      pf = ctx.client().propfind(parent, "1", RunContext.DISCOVERY);
    } catch (dev.davpush.PushException e) {
      rec.notTested(R_WDP_53, "the parent's PROPFIND was unreadable: " + e.getMessage());
      return;
    }
    int compared = 0;
    int different = 0;
    for (DavResponse r : pf.responses()) {
      Optional<P256PublicKey> other =
          RunContext.read("transports", r::transports, new ArrayList<>()).orElse(List.of()).stream()
              .filter(WebPushTransportDescriptor.class::isInstance)
              .map(WebPushTransportDescriptor.class::cast)
              .findFirst()
              .flatMap(WebPushTransportDescriptor::vapidKey);
      if (other.isPresent()) {
        compared++;
        if (!other.equals(key)) {
          different++;
        }
      }
    }
    if (compared < 2) {
      rec.notTested(
          R_WDP_53, pf.result().evidence() + ": no second resource with a VAPID key to compare");
      return;
    }
    rec.check(
        R_WDP_53,
        different == 0,
        pf.result().evidence()
            + ": "
            + compared
            + " resources with a VAPID key, "
            + different
            + " with another key than the target's");
  }

  private static String present(DavResponse r, PropertyName name) {
    return RunContext.isPresent(r, name) ? "present" : "missing";
  }
}
