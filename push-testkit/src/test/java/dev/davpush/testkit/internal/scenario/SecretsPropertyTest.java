package dev.davpush.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SecretsPropertyTest {
  @Provide
  Arbitrary<String> capability() {
    return Arbitraries.strings()
        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        .ofMinLength(16)
        .ofMaxLength(60);
  }

  @Property
  void noSecretSurvivesScrubbing(
      @ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("capability") String> secrets,
      @ForAll @Size(max = 8) List<String> filler) {
    Secrets s = new Secrets();
    secrets.forEach(s::add);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.max(secrets.size(), filler.size()); i++) {
      text.append(i < filler.size() ? filler.get(i) : " ");
      text.append(secrets.get(i % secrets.size()));
    }
    String scrubbed = s.scrub(text.toString());
    for (String secret : secrets) {
      assertThat(scrubbed).doesNotContain(secret);
    }
  }

  @Property
  void textWithoutSecretsIsUnchanged(
      @ForAll("capability") String secret, @ForAll("capability") String other) {
    net.jqwik.api.Assume.that(!other.contains(secret));
    Secrets s = new Secrets();
    s.add(secret);
    assertThat(s.scrub("evidence: " + other)).isEqualTo("evidence: " + other);
  }

  @Property
  void aRegistrationUrlKeepsItsPathButNotItsIdentifier(@ForAll("capability") String id) {
    Secrets s = new Secrets();
    s.addRegistrationUrl("http://127.0.0.1:8080/push/registrations/" + id);
    assertThat(s.scrub("DELETE /push/registrations/" + id + " → 204"))
        .isEqualTo("DELETE /push/registrations/[redacted] → 204");
  }
}
