package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_8030_1;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_64;

import dev.davpush.Base64Url;
import dev.davpush.Precondition;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.testkit.pushservice.ReceivedPush;
import dev.davpush.testkit.pushservice.TlsHandshakeFailure;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Transport security, judged only when the kit's push service speaks HTTPS (otherwise both
 * requirements are NOT_TESTED with the reason). R-8030-1: a member change brings a push request
 * over TLS, and no connection of the run so far sent plain HTTP to the push service's TLS port (the
 * service sees the first bytes of every connection). R-WDP-64 (digest check C-WDP-26): a
 * registration whose push resource is the {@code http://} twin of a live HTTPS one must be refused
 * — 403 with {@code invalid-subscription} passes, another refusal is a SHOULD failure, acceptance
 * is a SHOULD failure, and a MUST failure when a later change then really reaches the push service
 * as plain HTTP. Runs after the update scenario and before the removal of the primary registration,
 * so that R-8030-1 covers the run's push traffic up to then, before the probe invites plain HTTP.
 */
final class TransportSecurityScenario implements Scenario {
  @Override
  public String name() {
    return "transport-security";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_8030_1, R_WDP_64);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery", "registration");
  }

  @Override
  public void run(RunContext ctx) {
    EmbeddedPushService service = ctx.service();
    Recorder rec = ctx.record();
    if (!service.isHttps()) {
      rec.notTested(R_8030_1, Reach.PLAIN_HTTP_REASON);
      rec.notTested(R_WDP_64, Reach.PLAIN_HTTP_REASON);
      return;
    }
    RunContext.Registered reg = ctx.primary();
    RunContext.drain(reg.subscription());

    // R-8030-1: a push over TLS, and no plain HTTP on the TLS port so far
    URI member = ctx.newMember(false);
    ctx.putMember(member, List.of(), true);
    Optional<ReceivedPush> push = reg.subscription().awaitMessage(ctx.pushTimeout());
    List<TlsHandshakeFailure> plaintext = plaintext(service.tlsHandshakeFailures());
    if (!plaintext.isEmpty()) {
      rec.fail(
          R_8030_1,
          plaintext.size()
              + " connection(s) sent plain HTTP to the kit's HTTPS push service ("
              + plaintext.get(0).detail()
              + ")");
    } else if (push.isPresent()) {
      rec.pass(
          R_8030_1,
          "every push request of the run came over TLS ("
              + reg.subscription().received().size()
              + " on the primary push resource), none as plain HTTP");
    } else {
      rec.notTested(R_8030_1, "no push message arrived after a member change (R-WDP-34)");
    }

    // R-WDP-64: the http:// twin of a live push resource
    int failuresBefore = service.tlsHandshakeFailures().size();
    PushServiceSubscription probe = ctx.subscribe();
    String https = probe.pushResource().uri().toString();
    String http = "http" + https.substring("https".length());
    ctx.secret(http);
    WebDavPushClient.RegisterResponse r =
        ctx.registerRaw(
            RegistrationScenario.body(
                http,
                "aes128gcm",
                Base64Url.encode(probe.keys().publicKey().bytes()),
                probe.keys().authSecret().toBase64Url(),
                "<content-update><D:depth>1</D:depth></content-update>"));
    Set<Precondition> got = RegistrationScenario.preconditions(r.result());
    String evidence =
        "push-register of an http:// push resource: " + r.result().evidence() + " " + got;
    if (r.status() == 403 && got.contains(Precondition.INVALID_SUBSCRIPTION)) {
      rec.pass(R_WDP_64, evidence + " (refused)");
      return;
    }
    if (r.status() / 100 != 2) {
      rec.fail(
          R_WDP_64, Level.SHOULD, evidence + " (refused, but not with 403 invalid-subscription)");
      return;
    }
    rec.fail(R_WDP_64, Level.SHOULD, evidence + " (accepted; expected 403 invalid-subscription)");
    RunContext.drain(reg.subscription());
    ctx.putMember(member, List.of(), false);
    reg.subscription().awaitMessage(ctx.pushTimeout());
    List<TlsHandshakeFailure> after =
        service.awaitTlsHandshakeFailures(failuresBefore + 1, ctx.quietPeriod());
    List<TlsHandshakeFailure> sent = plaintext(after.subList(failuresBefore, after.size()));
    if (!sent.isEmpty()) {
      rec.fail(
          R_WDP_64,
          evidence
              + " (accepted), and after a member change the server sent plain HTTP to it ("
              + sent.get(0).detail()
              + ")");
    }
  }

  private static List<TlsHandshakeFailure> plaintext(List<TlsHandshakeFailure> failures) {
    return failures.stream()
        .filter(f -> f.kind() == TlsHandshakeFailure.Kind.PLAINTEXT_HTTP)
        .toList();
  }
}
