package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.reference.ReferenceServer;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** No evidence of a real run holds a password, a push-resource URL or a registration id. */
class EvidenceSecretsIT {
  /** A path segment that looks like a capability: 16 or more base64url characters. */
  private static final Pattern CAPABILITY = Pattern.compile("/[A-Za-z0-9_-]{16,}");

  @Test
  void evidenceHoldsNoSecret() {
    String alice = "alice-password-0123456789";
    String bob = "bob-password-0123456789";
    try (ReferenceServer server =
        ReferenceServer.builder().user("alice", alice).user("bob", bob).start()) {
      ConformanceReport report =
          ConformanceRunner.run(
              RunnerOptions.builder(server.calendarUri())
                  .credentials("alice", alice)
                  .secondCredentials("bob", bob)
                  .pushTimeout(Duration.ofSeconds(10))
                  .quietPeriod(Duration.ofMillis(800))
                  .build());
      assertThat(report.mustPassed()).as(report.toTable()).isTrue();
      for (CheckResult r : report.results()) {
        String e = r.evidence();
        assertThat(e).as(r.requirement().id()).doesNotContain(alice).doesNotContain(bob);
        Matcher m = CAPABILITY.matcher(e);
        while (m.find()) {
          // member names are the kit's own (davpush-kit-<uuid>) and sync-tokens are public state
          boolean member = m.group().startsWith("/davpush-kit-");
          boolean syncToken = e.substring(0, m.start()).endsWith("/sync");
          assertThat(member || syncToken).as(r.requirement().id() + ": " + e).isTrue();
        }
      }
    }
  }
}
