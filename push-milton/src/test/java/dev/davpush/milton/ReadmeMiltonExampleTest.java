package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's milton section shows the example server's davpush-specific lines (between the
 * markers in {@code MiltonExampleServer.wirePush}) verbatim, and they stay within 40 lines.
 */
class ReadmeMiltonExampleTest {
  private static final String BEGIN = "// README-MILTON-BEGIN";
  private static final String END = "// README-MILTON-END";
  private static final int MAX_LINES = 40;

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path SOURCE =
      MODULE.resolve("src/test/java/dev/davpush/milton/example/MiltonExampleServer.java");

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    List<String> example = stripCommonIndentation(between(Files.readAllLines(SOURCE)));
    List<String> readme = Files.readAllLines(MODULE.getParent().resolve("README.md"));

    assertThat(example).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_LINES);
    assertThat(Collections.indexOfSubList(readme, example))
        .as(
            "README.md holds the lines between %s and %s verbatim:%n%s",
            BEGIN, END, String.join("\n", example))
        .isGreaterThanOrEqualTo(0);
  }

  private static List<String> between(List<String> lines) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals(BEGIN)) {
        begin = i;
      } else if (t.equals(END)) {
        end = i;
      }
    }
    assertThat(begin).as("marker " + BEGIN).isNotNegative();
    assertThat(end).as("marker " + END).isGreaterThan(begin);
    return lines.subList(begin + 1, end);
  }

  private static List<String> stripCommonIndentation(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
          n++;
        }
        indent = Math.min(indent, n);
      }
    }
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return out;
  }
}
