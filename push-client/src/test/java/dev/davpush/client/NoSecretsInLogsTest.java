package dev.davpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.Depth;
import dev.davpush.PushResource;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.webpush.crypto.UserAgentKeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With every logger at TRACE, a registration, a refresh and an unregistration leave neither the
 * push resource nor the auth secret in any log line (HttpClient's wire log is off for the client's
 * own HTTP client; the client itself does not log).
 */
class NoSecretsInLogsTest {
  private static final java.util.regex.Pattern HEX =
      java.util.regex.Pattern.compile("((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})$");

  private static String wireBytes(List<String> lines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String l : lines) {
      if (!l.startsWith("org.apache.hc.client5.http.wire")) {
        continue;
      }
      java.util.regex.Matcher m = HEX.matcher(l);
      if (m.find()) {
        for (String h : m.group(1).split(" ")) {
          out.write(Integer.parseInt(h, 16));
        }
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void registrationBodiesNeverReachALogger() throws Exception {
    org.slf4j.LoggerFactory.getILoggerFactory(); // SLF4J binds its provider on first use
    assertThat(LogCapture.active()).as("the capturing SLF4J provider is in use").isTrue();
    UserAgentKeyPair keys = UserAgentKeyPair.generate();
    WebPushSubscription sub =
        WebPushSubscription.of(
            PushResource.parse("https://push.example.net/p/CAPABILITY-xyz"),
            keys.publicKey(),
            keys.authSecret());
    try (ScriptedServer server = new ScriptedServer();
        DavPushClient client = DavPushClient.builder().build()) {
      server.then(ScriptedServer.Answer.of(201).header("Location", server.uri("/r/1").toString()));
      server.then(ScriptedServer.Answer.of(204).header("Location", server.uri("/r/1").toString()));
      server.then(ScriptedServer.Answer.of(204));
      LogCapture.clear();
      RegistrationResult r =
          client
              .register(
                  server.uri("/cal/"),
                  new RegisterRequest(sub, List.of(new Trigger.ContentUpdate(Depth.ONE)), null))
              .get();
      client.refresh(r.registration()).get();
      client.unregister(r.registration()).get();
      List<String> lines = LogCapture.lines();
      assertThat(lines).as("HttpClient logged the exchanges").isNotEmpty();
      // the wire log dumps 16 bytes a line: put its hex columns back together before searching
      String all = String.join("\n", lines) + "\n" + wireBytes(lines);
      assertThat(all)
          .doesNotContain("CAPABILITY-xyz")
          .doesNotContain(keys.authSecret().toBase64Url())
          .doesNotContain("push-register");
    }
  }
}
