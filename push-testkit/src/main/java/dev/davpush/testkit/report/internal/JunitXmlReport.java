package dev.davpush.testkit.report.internal;

import static dev.davpush.testkit.report.internal.Markup.xmlAttribute;
import static dev.davpush.testkit.report.internal.Markup.xmlText;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.BaselineComparison;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Renders {@code report.xml} in the JUnit XML form CI servers read (one {@code <testsuite>}). Only
 * a result that fails the run and that no baseline expects is a {@code <failure>}; every other
 * non-passed result is {@code <skipped>} with a message that says why, so a SHOULD failure stays
 * visible without failing the build. Every test case has a {@code <system-out>} with the outcome,
 * the levels, the section, the scenario and the evidence.
 *
 * <p>Thread safety: stateless.
 */
public final class JunitXmlReport {
  /** JUnit XML's {@code timestamp}: local time in UTC, without zone, to the second. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private JunitXmlReport() {}

  /** What a test case becomes. */
  private enum Kind {
    PASS,
    FAILURE,
    SKIPPED
  }

  /**
   * Renders a report.
   *
   * @param report the report
   * @return an XML 1.0 document in UTF-8
   */
  public static String render(ConformanceReport report) {
    int failures = 0;
    int skipped = 0;
    for (CheckResult r : report.results()) {
      switch (kind(report, r)) {
        case FAILURE -> failures++;
        case SKIPPED -> skipped++;
        default -> {}
      }
    }
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<testsuite name=\"davpush-kit\" tests=\"")
        .append(report.results().size())
        .append("\" failures=\"")
        .append(failures)
        .append("\" errors=\"0\" skipped=\"")
        .append(skipped)
        .append("\" time=\"")
        .append(Markup.seconds(report.duration()))
        .append("\" timestamp=\"")
        .append(TIMESTAMP.format(LocalDateTime.ofInstant(report.started(), ZoneOffset.UTC)))
        .append("\">\n");
    sb.append("  <properties>\n");
    property(sb, "kitVersion", report.kitVersion());
    property(sb, "draftVersion", report.draftVersion());
    property(sb, "target", report.targetForDisplay());
    property(sb, "strict", String.valueOf(report.strict()));
    property(sb, "summary", report.summary());
    report.baseline().ifPresent(c -> property(sb, "baseline", c.summary()));
    property(sb, "verdict", report.verdict());
    sb.append("  </properties>\n");
    for (CheckResult r : report.results()) {
      testCase(sb, report, r);
    }
    sb.append("</testsuite>\n");
    return sb.toString();
  }

  /**
   * The name of a result's test case: {@code <ID> <level judged> <summary>}.
   *
   * @param r the result
   * @return the name
   */
  public static String testName(CheckResult r) {
    return r.requirement().id() + " " + r.level() + " " + r.requirement().summary();
  }

  private static void testCase(StringBuilder sb, ConformanceReport report, CheckResult r) {
    sb.append("  <testcase classname=\"davpush-kit.")
        .append(xmlAttribute(r.requirement().area().label()))
        .append("\" name=\"")
        .append(xmlAttribute(testName(r)))
        .append("\" time=\"0.000\">\n");
    Kind kind = kind(report, r);
    if (kind == Kind.FAILURE) {
      sb.append("    <failure type=\"")
          .append(r.level())
          .append("\" message=\"")
          .append(xmlAttribute(r.level() + " failed: " + r.evidence()))
          .append("\">")
          .append(xmlText(r.evidence()))
          .append("</failure>\n");
    } else if (kind == Kind.SKIPPED) {
      sb.append("    <skipped message=\"")
          .append(xmlAttribute(skipMessage(report, r)))
          .append("\"/>\n");
    }
    sb.append("    <system-out>").append(xmlText(details(report, r))).append("</system-out>\n");
    sb.append("  </testcase>\n");
  }

  private static Kind kind(ConformanceReport report, CheckResult r) {
    if (r.outcome() == Outcome.PASSED) {
      return Kind.PASS;
    }
    boolean excused = report.baseline().map(c -> c.expected(r)).orElse(false);
    return r.failsRun(report.strict()) && !excused ? Kind.FAILURE : Kind.SKIPPED;
  }

  private static String skipMessage(ConformanceReport report, CheckResult r) {
    if (r.outcome() != Outcome.FAILED) {
      return r.outcome() + ": " + r.evidence();
    }
    Optional<Baseline.Expectation> e =
        report.baseline().flatMap(c -> expectation(c, r)).filter(x -> x.outcome() == r.outcome());
    if (e.isPresent()) {
      return r.level()
          + " failed (expected by the baseline: "
          + e.get().reason()
          + "): "
          + r.evidence();
    }
    return r.level() == dev.davpush.testkit.Level.INTEROP
        ? "INTEROP: " + r.evidence()
        : r.level() + " failed: " + r.evidence();
  }

  private static Optional<Baseline.Expectation> expectation(BaselineComparison c, CheckResult r) {
    return c.baseline().expectation(r.requirement().id());
  }

  private static String details(ConformanceReport report, CheckResult r) {
    StringBuilder d = new StringBuilder();
    d.append("outcome: ").append(r.outcome()).append('\n');
    d.append("level judged: ").append(r.level());
    if (r.level() != r.requirement().level()) {
      d.append(" (a clause of a ").append(r.requirement().level()).append(" requirement)");
    }
    d.append('\n');
    d.append("fails the run: ").append(r.failsRun(report.strict())).append('\n');
    d.append("section: ").append(r.requirement().section()).append('\n');
    d.append("requirement: ").append(r.requirement().summary()).append('\n');
    d.append("scenario: ")
        .append(r.scenario())
        .append(" (")
        .append(Markup.seconds(r.duration()))
        .append(" s)\n");
    report
        .baseline()
        .flatMap(c -> expectation(c, r))
        .ifPresent(
            e ->
                d.append("baseline expects: ")
                    .append(e.outcome())
                    .append(" (")
                    .append(e.reason())
                    .append(")\n"));
    d.append("evidence: ").append(r.evidence()).append('\n');
    return d.toString();
  }

  private static void property(StringBuilder sb, String name, String value) {
    sb.append("    <property name=\"")
        .append(xmlAttribute(name))
        .append("\" value=\"")
        .append(xmlAttribute(value))
        .append("\"/>\n");
  }
}
