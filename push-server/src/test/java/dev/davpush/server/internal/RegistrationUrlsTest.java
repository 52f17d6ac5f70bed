package dev.davpush.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.AuthSecret;
import dev.davpush.P256PublicKey;
import dev.davpush.PushResource;
import dev.davpush.WebPushSubscription;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationUrlsTest {
  final RegistrationUrls urls = new RegistrationUrls(URI.create("http://127.0.0.1:8080/dav/push/"));

  @Test
  void mintsDistinctTwentyTwoCharacterIdsAndResolvesThemUnderTheBase() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = urls.newId();
      assertThat(id).matches("[A-Za-z0-9_-]{22}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
    assertThat(urls.url("abc")).isEqualTo(URI.create("http://127.0.0.1:8080/dav/push/abc"));
  }

  @Test
  void readsTheIdBackFromItsUrl() {
    String id = urls.newId();
    assertThat(urls.idOf(urls.url(id))).contains(id);
    assertThat(urls.idOf(URI.create("HTTP://127.0.0.1:8080/dav/push/" + id))).contains(id);
    assertThat(urls.idOf(URI.create("http://127.0.0.1/dav/push/" + id))).isEmpty();
    assertThat(urls.idOf(URI.create("urn:x:y"))).isEmpty();
  }

  @Test
  void denotesMatchesByIdUnderAnotherAuthorityButNotAnotherId() {
    assertThat(urls.denotes(URI.create("https://proxy.example/x/push/abc"), "abc")).isTrue();
    assertThat(urls.denotes(URI.create("http://127.0.0.1:8080/dav/push/abc"), "abc")).isTrue();
    assertThat(urls.denotes(URI.create("http://127.0.0.1:8080/dav/push/abd"), "abc")).isFalse();
    assertThat(urls.denotes(URI.create("http://127.0.0.1:8080/dav/push/abc?q"), "abc")).isFalse();
  }

  @Test
  void refusesBasesThatCannotCarryRegistrationUrls() {
    assertThatThrownBy(() -> new RegistrationUrls(URI.create("http://h/push")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RegistrationUrls(URI.create("http://h/push/?a=b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RegistrationUrls(URI.create("mailto:a@b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logsOnlyThePushServiceHost() {
    WebPushSubscription s =
        WebPushSubscription.of(
            PushResource.parse("https://updates.push.example/wpush/v2/secret-capability"),
            P256PublicKey.fromBase64Url(
                "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            AuthSecret.random());
    assertThat(Origins.host(s)).isEqualTo("updates.push.example");
  }
}
