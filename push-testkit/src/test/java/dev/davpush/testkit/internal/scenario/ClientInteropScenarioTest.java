package dev.davpush.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.ContentEncoding;
import dev.davpush.Depth;
import dev.davpush.RegisterRequest;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import dev.davpush.testkit.pushservice.EmbeddedPushService;
import dev.davpush.testkit.pushservice.PushServiceSubscription;
import dev.davpush.xml.PushRegisterReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registration bodies of the client-interop forms: each differs from the current draft's in its
 * one respect, and a lenient reader (the project's own) understands each as the client means it.
 */
class ClientInteropScenarioTest {
  private static EmbeddedPushService service;
  private static PushServiceSubscription sub;

  @BeforeAll
  static void start() {
    service = EmbeddedPushService.start();
    sub = service.subscribe(null);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static String text(ClientInteropScenario.Form f) {
    return new String(ClientInteropScenario.body(f, sub), StandardCharsets.UTF_8);
  }

  private static RegisterRequest read(ClientInteropScenario.Form f) {
    return PushRegisterReader.read(ClientInteropScenario.body(f, sub));
  }

  @Test
  void davx5SendsNeitherTriggerNorContentEncodingAndMeansContentUpdatesOfDepthOne() {
    String xml = text(ClientInteropScenario.DAVX5);
    assertThat(xml).doesNotContain("trigger", "content-encoding", "DAV:Push");
    RegisterRequest r = read(ClientInteropScenario.DAVX5);
    assertThat(r.triggers()).containsExactly(new Trigger.ContentUpdate(Depth.ONE));
    WebPushSubscription w = (WebPushSubscription) r.subscription();
    assertThat(w.contentEncoding()).isEqualTo(ContentEncoding.AES128GCM);
    assertThat(w.pushResource()).isEqualTo(sub.pushResource());
  }

  @Test
  void syncLevelAndInfiniteAreTheOnlyDeviationsOfTheirForms() {
    assertThat(text(ClientInteropScenario.SYNC_LEVEL))
        .contains("<D:sync-level>1</D:sync-level>", "<content-encoding>aes128gcm")
        .doesNotContain("D:depth");
    assertThat(read(ClientInteropScenario.SYNC_LEVEL).triggers())
        .containsExactly(new Trigger.ContentUpdate(Depth.ONE));
    assertThat(text(ClientInteropScenario.INFINITE))
        .contains("<D:depth>infinite</D:depth>")
        .doesNotContain("sync-level");
    assertThat(read(ClientInteropScenario.INFINITE).triggers())
        .containsExactly(new Trigger.ContentUpdate(Depth.INFINITY));
  }

  @Test
  void theLegacyFormIsTheCurrentBodyInTheDavPushNamespace() {
    String legacy = text(ClientInteropScenario.LEGACY_NAMESPACE);
    assertThat(legacy).contains("xmlns=\"DAV:Push\"").doesNotContain("bitfire.at");
    assertThat(read(ClientInteropScenario.LEGACY_NAMESPACE).triggers())
        .containsExactly(new Trigger.ContentUpdate(Depth.ONE));
  }

  @Test
  void everyFormNamesItsClientsAndItsOwnCatalogueEntry() {
    assertThat(ClientInteropScenario.FORMS)
        .extracting(f -> f.id().id())
        .containsExactly("CI-1", "CI-2", "CI-3", "CI-4");
    assertThat(ClientInteropScenario.FORMS).allSatisfy(f -> assertThat(f.clients()).isNotBlank());
    assertThat(new ClientInteropScenario().covers())
        .containsExactlyInAnyOrderElementsOf(
            ClientInteropScenario.FORMS.stream().map(ClientInteropScenario.Form::id).toList());
    assertThat(List.of(ClientInteropScenario.DAVX5.clients()))
        .containsExactly("DAVx⁵ up to 4.5.19");
  }
}
