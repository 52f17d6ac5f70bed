package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_24;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_25;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_26;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_31;

import dev.davpush.Base64Url;
import dev.davpush.Depth;
import dev.davpush.Precondition;
import dev.davpush.PushException;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
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
 * A registration with an off-curve key (403 invalid-subscription), then the kit's primary
 * registration (content-update depth 1, expires in 7 days): status, Location, Expires.
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
    WebDavPushClient.RegisterResponse bad = ctx.registerRaw(invalidKeyRegistration(scratch));
    Set<Precondition> badPreconditions = preconditions(bad.result());
    rec.check(
        R_WDP_24,
        bad.status() == 403 && badPreconditions.contains(Precondition.INVALID_SUBSCRIPTION),
        "off-curve subscription-public-key: " + bad.result().evidence() + " " + badPreconditions);

    PushServiceSubscription sub = ctx.subscribe();
    Instant requested = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
    RegisterRequest request =
        new RegisterRequest(
            sub.toWebPushSubscription(), List.of(new Trigger.ContentUpdate(Depth.ONE)), requested);
    WebDavPushClient.RegisterResponse reg = ctx.register(request, true);
    boolean registered = reg.status() == 201 || reg.status() == 204;
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
    ctx.primary(new RunContext.Registered(sub, location, requested));
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

  private static byte[] invalidKeyRegistration(PushServiceSubscription s) {
    byte[] key = s.keys().publicKey().bytes();
    key[64] ^= 0x01;
    String xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<push-register xmlns=\""
            + WebDavPush.NAMESPACE
            + "\" xmlns:D=\"DAV:\">"
            + "<subscription><web-push-subscription>"
            + "<push-resource>"
            + s.pushResource().uri()
            + "</push-resource>"
            + "<content-encoding>aes128gcm</content-encoding>"
            + "<subscription-public-key type=\"p256dh\">"
            + Base64Url.encode(key)
            + "</subscription-public-key>"
            + "<auth-secret>"
            + s.keys().authSecret().toBase64Url()
            + "</auth-secret>"
            + "</web-push-subscription></subscription>"
            + "<trigger><content-update><D:depth>1</D:depth></content-update></trigger>"
            + "</push-register>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }
}
