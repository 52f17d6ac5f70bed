package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.Depth;
import dev.davpush.SupportedTriggers;
import dev.davpush.spi.DavResource;
import io.milton.http.fs.FileSystemResourceFactory;
import io.milton.http.fs.NullSecurityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiltonDavResourcesTest {
  @TempDir Path root;

  private FileSystemResourceFactory files() throws IOException {
    Files.createDirectories(root.resolve("cal/work"));
    Files.writeString(root.resolve("cal/work/event.ics"), "BEGIN:VCALENDAR\r\n");
    return new FileSystemResourceFactory(root.toFile(), new NullSecurityManager());
  }

  @Test
  void everyCollectionIsPushCapableWithItsCanonicalPath() throws IOException {
    MiltonDavResources resources = MiltonDavResources.of(files());

    DavResource work = resources.resource("/cal/work").orElseThrow();

    assertThat(work.path()).isEqualTo("/cal/work/");
    assertThat(work.collection()).isTrue();
    assertThat(work.supportedTriggers()).isEqualTo(MiltonDavResources.DEFAULT_SUPPORTED_TRIGGERS);
    assertThat(resources.resource("/cal/work/").orElseThrow().topic()).isEqualTo(work.topic());
  }

  @Test
  void membersAndMissingPathsAreNotPushCapable() throws IOException {
    MiltonDavResources resources = MiltonDavResources.of(files());

    assertThat(resources.resource("/cal/work/event.ics")).isEmpty();
    assertThat(resources.resource("/cal/nothing/")).isEmpty();
  }

  @Test
  void topicsDifferPerPathAndStayWithTheKey() throws IOException {
    byte[] key = new byte[MiltonDavResources.TOPIC_KEY_BYTES];
    key[0] = 7;
    FileSystemResourceFactory files = files();
    MiltonDavResources a = MiltonDavResources.builder(files).topicKey(key).build();
    MiltonDavResources b = MiltonDavResources.builder(files).topicKey(key).build();
    MiltonDavResources other = MiltonDavResources.of(files);

    assertThat(a.topic("/cal/work/")).isEqualTo(b.topic("/cal/work/"));
    assertThat(a.topic("/cal/work/")).isNotEqualTo(a.topic("/cal/"));
    assertThat(a.topic("/cal/work/")).isNotEqualTo(other.topic("/cal/work/"));
    assertThat(a.topic("/cal/work/").value()).hasSize(22).doesNotContain("cal", "work");
  }

  @Test
  void theBuilderReplacesEachDefault() throws IOException {
    SupportedTriggers zero = SupportedTriggers.contentUpdate(Depth.ZERO);
    MiltonDavResources resources =
        MiltonDavResources.builder(files())
            .pushCapable(r -> "work".equals(r.getName()))
            .supportedTriggers(zero)
            .maySubscribe((principal, path) -> principal.equals("alice"))
            .build();

    assertThat(resources.resource("/cal/")).isEmpty();
    assertThat(resources.resource("/cal/work/").orElseThrow().supportedTriggers()).isEqualTo(zero);
    assertThat(resources.maySubscribe("alice", "/cal/work/")).isTrue();
    assertThat(resources.maySubscribe("bob", "/cal/work/")).isFalse();
  }

  @Test
  void plainDirectoriesHaveNoSyncToken() throws IOException {
    assertThat(MiltonDavResources.of(files()).syncToken("/cal/work/")).isEmpty();
  }

  @Test
  void refusesATopicKeyOfTheWrongLength() {
    assertThatThrownBy(
            () -> MiltonDavResources.builder((host, path) -> null).topicKey(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32")
        .hasMessageContaining("16");
  }
}
