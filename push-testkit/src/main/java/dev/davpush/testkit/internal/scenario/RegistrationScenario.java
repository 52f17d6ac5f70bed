package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_24;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_25;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_26;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_31;

import dev.davpush.Base64Url;
import dev.davpush.Precondition;
import dev.davpush.PushException;
import dev.davpush.RegisterRequest;
import dev.davpush.SupportedTriggers;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HttpResult;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.xml.ErrorReader;
import dev.davpush.xml.HttpDates;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registrations the server must refuse (403 with the right precondition: an off-curve key, a short
 * auth secret, the aesgcm coding, a relative push resource, an unsupported trigger), then the kit's
 * primary registration (content-update depth 1, expires in 7 days): status, Location, Expires.
 */
final class RegistrationScenario implements Scenario {
  private static final Pattern IMF_FIXDATE =
      Pattern.compile(
          "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
              + "|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

  @Override
  public String name() {
    return "registration";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_24, R_WDP_25, R_WDP_26, R_WDP_31);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery");
  }

  @Override
  public void run(RunContext ctx) {
    ctx.discovery();
    Recorder rec = ctx.record();

    PushServiceSubscription scratch = ctx.subscribe();
    String resource = scratch.pushResource().uri().toString();
    String key = Base64Url.encode(scratch.keys().publicKey().bytes());
    String auth = scratch.keys().authSecret().toBase64Url();
    byte[] offCurve = scratch.keys().publicKey().bytes();
    offCurve[64] ^= 0x01;
    String contentUpdate = "<content-update><D:depth>1</D:depth></content-update>";
    expect(
        ctx,
        "off-curve subscription-public-key",
        ctx.registerRaw(
            body(resource, "aes128gcm", Base64Url.encode(offCurve), auth, contentUpdate)),
        Precondition.INVALID_SUBSCRIPTION);
    expect(
        ctx,
        "auth-secret of 8 bytes",
        ctx.registerRaw(
            body(resource, "aes128gcm", key, Base64Url.encode(new byte[8]), contentUpdate)),
        Precondition.INVALID_SUBSCRIPTION);
    expect(
        ctx,
        "content-encoding aesgcm",
        ctx.registerRaw(body(resource, "aesgcm", key, auth, contentUpdate)),
        Precondition.INVALID_SUBSCRIPTION);
    expect(
        ctx,
        "relative push-resource",
        ctx.registerRaw(body("/push/relative", "aes128gcm", key, auth, contentUpdate)),
        Precondition.INVALID_SUBSCRIPTION);
    SupportedTriggers supported = ctx.discovery().supported();
    if (supported != null && supported.propertyUpdate().isEmpty()) {
      expect(
          ctx,
          "only property-update, which supported-triggers lacks",
          ctx.registerRaw(
              body(
                  resource,
                  "aes128gcm",
                  key,
                  auth,
                  "<property-update><D:depth>0</D:depth></property-update>")),
          Precondition.NO_SUPPORTED_TRIGGER);
    }

    PushServiceSubscription sub = ctx.subscribe();
    Instant requested = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
    RegisterRequest request = RunContext.contentUpdates(sub, requested);
    WebDavPushClient.RegisterResponse reg = ctx.register(request, true);
    boolean registered = reg.status() == 201 || reg.status() == 204;
    if (!registered) {
      java.util.Optional<String> reach =
          Reach.refusedRegistration(ctx.service(), reg.result(), RunContext.bodyHint(reg.result()));
      if (reach.isPresent()) {
        throw new dev.davpush.testkit.runner.TargetException(reach.get());
      }
    }
    rec.check(
        R_WDP_24,
        registered,
        "push-register (content-update depth 1): "
            + reg.result().evidence()
            + RunContext.bodyHint(reg.result()));
    if (!registered) {
      throw new Unmet(
          "the server refused a valid registration: "
              + reg.result().evidence()
              + RunContext.bodyHint(reg.result()));
    }
    URI location = checkLocation(ctx, reg);
    checkExpires(rec, reg, requested);
    ctx.primary(new RunContext.Registered(sub, location, requested, reg.expires()));
  }

  private static URI checkLocation(RunContext ctx, WebDavPushClient.RegisterResponse reg) {
    String raw = reg.location();
    if (raw == null) {
      ctx.record().fail(R_WDP_25, reg.result().evidence() + " without Location");
      throw new Unmet("the registration answer has no Location");
    }
    URI parsed;
    try {
      parsed = new URI(raw.trim());
    } catch (URISyntaxException e) {
      ctx.record().fail(R_WDP_25, "Location is not a URI: " + raw);
      throw new Unmet("the registration answer's Location is not a URI");
    }
    ctx.record()
        .check(
            R_WDP_25,
            parsed.isAbsolute(),
            "Location: " + raw + (parsed.isAbsolute() ? " (absolute)" : " (relative)"));
    return reg.result().uri().resolve(parsed);
  }

  private static void checkExpires(
      Recorder rec, WebDavPushClient.RegisterResponse reg, Instant requested) {
    String raw = reg.expires();
    Optional<Instant> when = raw == null ? Optional.empty() : HttpDates.parse(raw);
    boolean fixdate = raw != null && IMF_FIXDATE.matcher(raw.trim()).matches();
    Instant now = Instant.now();
    rec.check(
        R_WDP_26,
        fixdate && when.isPresent() && when.get().isAfter(now),
        raw == null
            ? "no Expires header"
            : "Expires: " + raw + (fixdate ? "" : " (not an IMF-fixdate)"));
    if (when.isPresent()) {
      rec.check(
          R_WDP_31,
          !when.get().isBefore(now.plus(Duration.ofDays(3)).minusSeconds(60)),
          "requested " + HttpDates.format(requested) + ", granted " + raw);
    } else {
      rec.notTested(R_WDP_31, "no readable Expires (R-WDP-26)");
    }
  }

  static Set<Precondition> preconditions(HttpResult r) {
    try {
      return r.body().length == 0 ? Set.of() : ErrorReader.read(r.body());
    } catch (PushException e) {
      return Set.of();
    }
  }

  /**
   * Judges a registration the server must refuse with a precondition: 403 with it passes; any other
   * refusal (another 4xx, 405 or 501 for a resource that takes no POST, even a 5xx) is a SHOULD
   * failure, since the draft lets a server answer "any other status with its usual meaning" and the
   * digest asks only for a warning; accepting it (2xx) fails at the requirement's level.
   */
  static void expect(
      RunContext ctx, String what, WebDavPushClient.RegisterResponse r, Precondition wanted) {
    Set<Precondition> got = preconditions(r.result());
    String evidence = what + ": " + r.result().evidence() + " " + got;
    String expected = ", expected 403 " + wanted.elementNames().get(0);
    if (r.status() == 403 && got.contains(wanted)) {
      ctx.record().pass(R_WDP_24, evidence);
    } else if (r.status() / 100 == 2) {
      ctx.record().fail(R_WDP_24, evidence + " (registered)" + expected);
    } else {
      ctx.record().fail(R_WDP_24, Level.SHOULD, evidence + expected);
    }
  }

  static byte[] body(
      String pushResource, String encoding, String key, String auth, String trigger) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<push-register xmlns=\""
            + WebDavPush.NAMESPACE
            + "\" xmlns:D=\"DAV:\">"
            + "<subscription><web-push-subscription>"
            + "<push-resource>"
            + pushResource
            + "</push-resource>"
            + "<content-encoding>"
            + encoding
            + "</content-encoding>"
            + "<subscription-public-key type=\"p256dh\">"
            + key
            + "</subscription-public-key>"
            + "<auth-secret>"
            + auth
            + "</auth-secret>"
            + "</web-push-subscription></subscription>"
            + "<trigger>"
            + trigger
            + "</trigger>"
            + "</push-register>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }
}
