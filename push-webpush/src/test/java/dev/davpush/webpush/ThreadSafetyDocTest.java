package dev.davpush.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** House rule: every public class's Javadoc has a "Thread safety:" line (STYLE.md, Concurrency). */
class ThreadSafetyDocTest {
  private static final Pattern DOCUMENTED_PUBLIC_CLASS =
      Pattern.compile(
          "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
              + "public\\s+(?:(?:static|final|abstract|sealed)\\s+)*(?:class|record)\\s+(\\w+)",
          Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS =
      Pattern.compile("public\\s+(?:(?:static|final|abstract|sealed)\\s+)*(?:class|record)\\s+");

  @Test
  void everyPublicClassInTheExportedPackagesSaysWhetherItIsThreadSafe() throws IOException {
    Path root = Path.of("src/main/java/dev/davpush/webpush");
    List<String> missing = new ArrayList<>();
    int classes = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!file.toString().endsWith(".java") || file.toString().contains("internal")) {
          continue;
        }
        String source = Files.readString(file, StandardCharsets.UTF_8);
        long declared = PUBLIC_CLASS.matcher(source).results().count();
        Matcher m = DOCUMENTED_PUBLIC_CLASS.matcher(source);
        long documented = 0;
        while (m.find()) {
          documented++;
          classes++;
          if (!m.group(1).contains("Thread safety:")) {
            missing.add(file.getFileName() + ": " + m.group(2));
          }
        }
        if (documented != declared) {
          missing.add(file.getFileName() + ": a public class without Javadoc");
        }
      }
    }

    assertThat(classes).as("public classes found").isGreaterThan(10);
    assertThat(missing).isEmpty();
  }
}
