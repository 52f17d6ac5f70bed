package dev.davpush.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.testkit.runner.ConformanceRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/requirements.md} is generated from the catalogue and the kit's coverage. Run with
 * {@code -Ddavpush.writeDocs=true} to rewrite it after changing either.
 */
class RequirementsDocTest {
  private static final Path DOC = Path.of("..", "docs", "requirements.md");

  static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Requirements the conformance kit knows\n\n")
        .append("Generated from `RequirementCatalogue` and `ConformanceRunner.coverage()` by\n")
        .append("`RequirementsDocTest` (run it with `-Ddavpush.writeDocs=true` to rewrite this")
        .append(" file); a\ntest fails when the file and the code differ. The IDs are those of")
        .append(" the project's\nrequirements digest; they appear in Javadoc, commit messages and")
        .append(" the kit's reports.\n\n")
        .append("Levels follow the digest: an entry it marks informative is INFO; otherwise the\n")
        .append("strongest keyword that binds the server gives the level; an entry that states\n")
        .append("protocol mechanics without a keyword is MUST. A check may judge a weaker clause\n")
        .append("of a requirement (R-WDP-62's binding of registrations to their user is a SHOULD\n")
        .append("inside a MUST requirement); the reports then show the judged level.\n\n")
        .append("`BP-` entries are the kit's own best practices (SHOULD) where neither the draft")
        .append(" nor\nthe RFCs state a requirement. `CI-` entries are no requirements: they")
        .append(" report whether\nthe server accepts what deployed clients send (level INTEROP,")
        .append(" never a run failure;\nsee `docs/kit-interop.md`).\n\n");
    int checked = 0;
    for (ConformanceRunner.Coverage c : ConformanceRunner.coverage()) {
      if (!c.scenarios().isEmpty()) {
        checked++;
      }
    }
    md.append(RequirementCatalogue.all().size())
        .append(" requirements are catalogued; ")
        .append(checked)
        .append(" have a check.\n");
    for (Area area : Area.values()) {
      md.append("\n## ").append(area.label()).append("\n\n");
      md.append("| ID | Level | Section | Summary | Checked by |\n");
      md.append("| --- | --- | --- | --- | --- |\n");
      for (ConformanceRunner.Coverage c : ConformanceRunner.coverage()) {
        Requirement r = c.requirement();
        if (r.area() != area) {
          continue;
        }
        md.append("| ")
            .append(r.id())
            .append(" | ")
            .append(r.level())
            .append(" | ")
            .append(r.section())
            .append(" | ")
            .append(r.summary().replace("|", "\\|"))
            .append(" | ")
            .append(
                c.reason() == null
                    ? "scenario "
                        + String.join(", ", c.scenarios().stream().map(n -> "`" + n + "`").toList())
                    : "not checked: " + c.reason())
            .append(" |\n");
      }
    }
    return md.toString();
  }

  @Test
  void theRequirementsDocumentIsCurrent() throws IOException {
    String expected = render();
    if (Boolean.getBoolean("davpush.writeDocs")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/requirements.md is stale: rerun with -Ddavpush.writeDocs=true")
        .isEqualTo(expected);
  }
}
