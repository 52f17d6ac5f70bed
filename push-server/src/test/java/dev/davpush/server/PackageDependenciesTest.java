package dev.davpush.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between packages point one way: {@code dev.davpush.server} uses its {@code internal}
 * stages, never the reverse, and the pipeline stages know nothing of the engine's public types.
 */
class PackageDependenciesTest {
  private static final Path INTERNAL = Path.of("src/main/java/dev/davpush/server/internal");
  private static final Pattern SERVER_TYPE =
      Pattern.compile("dev\\.davpush\\.server\\.([A-Z]\\w*)");

  @Test
  void theInternalStagesNeverUseThePublicServerPackage() throws IOException {
    List<String> uses = new ArrayList<>();
    try (Stream<Path> files = Files.list(INTERNAL)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = SERVER_TYPE.matcher(Files.readString(f));
        while (m.find()) {
          uses.add(f.getFileName() + " uses " + m.group(1));
        }
      }
    }
    assertThat(uses).isEmpty();
  }

  @Test
  void theCheckSeesTheInternalSources() throws IOException {
    try (Stream<Path> files = Files.list(INTERNAL)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("Coalescer.java", "Filters.java", "Outcomes.java");
    }
  }
}
