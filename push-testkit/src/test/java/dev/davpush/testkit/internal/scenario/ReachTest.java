package dev.davpush.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.KitCertificateAuthority;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which push services a server may refuse for a reason of the kit's configuration. */
class ReachTest {
  private static final KitCertificateAuthority CA = KitCertificateAuthority.generate();

  /** Starts a service on 127.0.0.1 advertised under {@code url}; nothing connects to it. */
  private static EmbeddedPushService advertised(String url) {
    EmbeddedPushService.Builder b = EmbeddedPushService.builder().advertisedUrl(URI.create(url));
    if (url.startsWith("https")) {
      b.https(CA);
    }
    return b.start();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://127.0.0.1          | plain HTTP on a loopback address",
        "http://push.example.test  | plain HTTP",
        "https://127.0.0.1         | HTTPS on a loopback address",
        "https://[::1]             | HTTPS on a loopback address",
        "https://localhost         | HTTPS on a loopback name",
        "https://push.localhost    | HTTPS on a loopback name",
        "https://10.1.2.3          | HTTPS on a private address",
        "https://192.168.0.7       | HTTPS on a private address",
        "https://169.254.1.1       | HTTPS on a private address",
        "https://push.example.test | ",
        "https://203.0.113.9       | "
      })
  void namesWhatIsWrongWithThePushServiceOrNothing(String url, String problem) {
    try (EmbeddedPushService service = advertised(url)) {
      assertThat(Reach.unfitPushResource(service)).isEqualTo(Optional.ofNullable(problem));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://127.0.0.1          | --push-service https | --push-service-url",
        "http://push.example.test  | --push-service https | ",
        "https://127.0.0.1         | --push-service-url   | "
      })
  void advisesWhatTheProblemNeeds(String url, String advice, String alsoAdvice) {
    try (EmbeddedPushService service = advertised(url)) {
      String text = Reach.whatToConfigure(service);
      assertThat(text).contains(advice);
      if (alsoAdvice != null) {
        assertThat(text).contains(alsoAdvice);
      } else {
        assertThat(text)
            .doesNotContain(
                advice.equals("--push-service https") ? "--push-service-url" : "--ca-out");
      }
    }
  }
}
