package dev.davpush.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README shows {@link ReferenceServerConformanceTest}'s class verbatim, in 15 lines or less.
 */
class KitReadmeTest {
  @Test
  void theReadmeShowsTheSubclassVerbatim() throws IOException {
    List<String> source =
        Files.readAllLines(
            Path.of("src/test/java/dev/davpush/testkit/junit/ReferenceServerConformanceTest.java"),
            StandardCharsets.UTF_8);
    int start = -1;
    for (int i = 0; i < source.size(); i++) {
      if (source.get(i).startsWith("class ReferenceServerConformanceTest")) {
        start = i;
      }
    }
    assertThat(start).as("the class declaration").isNotNegative();
    String classText = String.join("\n", source.subList(start, source.size())).strip();
    assertThat(classText.lines().count()).isLessThanOrEqualTo(15);
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains("```java\n" + classText + "\n```");
  }
}
