package dev.davpush.testkit.report.internal;

import static dev.davpush.testkit.report.internal.Markup.html;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.BaselineComparison;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders {@code report.html}: one self-contained HTML5 file (inline style, no scripts, no external
 * assets; a Content-Security-Policy forbids loading anything) with the verdict and summary at the
 * top, the failures next (MUST first), then every result grouped by document and section, MUST
 * failures first within a section. Every text from the run is escaped.
 *
 * <p>Thread safety: stateless.
 */
public final class HtmlReport {
  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;\
      max-width:72em;padding:0 1em;color:#1b1f23;background:#fff}
      h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.25em;margin:1.6em 0 .4em;\
      border-bottom:1px solid #d0d7de}h3{font-size:1.05em;margin:1.2em 0 .3em}
      dl.meta{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;margin:.6em 0}
      dl.meta dt{font-weight:600}dl.meta dd{margin:0}
      .verdict{font-size:1.2em;font-weight:700;padding:.5em .8em;border-radius:6px;margin:.6em 0}
      .verdict.pass{background:#dafbe1;color:#116329}.verdict.fail{background:#ffebe9;color:#a40e26}
      table{border-collapse:collapse;width:100%;margin:.3em 0}
      th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
      th{background:#f6f8fa}td.id{white-space:nowrap;font-weight:600}
      code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;\
      word-break:break-word}
      .o{display:inline-block;padding:0 .45em;border-radius:4px;font-weight:600;white-space:nowrap}
      .o-PASSED{background:#dafbe1;color:#116329}.o-FAILED{background:#ffebe9;color:#a40e26}
      .o-NOT_TESTED{background:#fff8c5;color:#7d4e00}.o-NOT_APPLICABLE{background:#eaeef2;\
      color:#57606a}
      tr.fails-run td{background:#fff5f5}.note{color:#57606a;font-size:.92em}
      @media print{body{margin:0;max-width:none}}
      """;

  private HtmlReport() {}

  /**
   * Renders a report.
   *
   * @param report the report
   * @return the HTML document
   */
  public static String render(ConformanceReport report) {
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    sb.append(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            + " style-src 'unsafe-inline'\">\n");
    sb.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    sb.append("<title>WebDAV-Push conformance: ")
        .append(html(report.targetForDisplay()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    header(sb, report);
    failures(sb, report);
    interop(sb, report);
    groups(sb, report);
    sb.append("<footer class=\"note\"><p>davpush-kit ")
        .append(html(report.kitVersion()))
        .append(". Levels: the level judged is the one a result counts at; a clause of a MUST")
        .append(" requirement may be judged at SHOULD. Requirement IDs are those of the")
        .append(" project's requirements digest (docs/requirements.md).</p></footer>\n");
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void header(StringBuilder sb, ConformanceReport report) {
    sb.append("<header>\n<h1>WebDAV-Push conformance report</h1>\n");
    sb.append("<p class=\"verdict ")
        .append(report.accepted() ? "pass" : "fail")
        .append("\">")
        .append(html(report.verdict()))
        .append("</p>\n");
    sb.append("<p class=\"summary\">").append(html(report.summary())).append("</p>\n");
    report
        .baseline()
        .ifPresent(
            c -> sb.append("<p class=\"baseline\">").append(html(c.summary())).append("</p>\n"));
    sb.append("<dl class=\"meta\">\n");
    meta(sb, "Target", report.targetForDisplay());
    meta(sb, "Kit version", report.kitVersion());
    meta(sb, "Draft checked", report.draftVersion());
    meta(
        sb,
        "Strict",
        report.strict()
            ? "yes: SHOULD failures fail the run"
            : "no: only MUST failures fail the run");
    meta(sb, "Started", report.started().toString());
    meta(sb, "Finished", report.finished().toString());
    meta(sb, "Duration", Markup.seconds(report.duration()) + " s");
    sb.append("</dl>\n</header>\n");
  }

  private static void failures(StringBuilder sb, ConformanceReport report) {
    List<CheckResult> failed = new ArrayList<>(report.failures());
    failed.removeIf(r -> r.requirement().level() == Level.INTEROP);
    sb.append("<section id=\"failures\">\n<h2>Failures</h2>\n");
    if (failed.isEmpty()) {
      sb.append("<p>No requirement failed.</p>\n</section>\n");
      return;
    }
    failed.sort(order(report));
    table(sb, report, failed);
    sb.append("</section>\n");
  }

  /** The client-interop findings, in a section of their own; none when the report has none. */
  private static void interop(StringBuilder sb, ConformanceReport report) {
    List<CheckResult> rows = report.interop();
    if (rows.isEmpty()) {
      return;
    }
    sb.append("<section id=\"client-interop\">\n<h2>Client interop</h2>\n")
        .append("<p class=\"note\">Not requirements: whether the server accepts registrations")
        .append(" the way deployed clients send them (older drafts, DAVx⁵ up to 4.5.19), and")
        .append(" then notifies them. A refusal names the clients it affects; it never fails")
        .append(" the run.</p>\n");
    table(sb, report, rows);
    sb.append("</section>\n");
  }

  private static void groups(StringBuilder sb, ConformanceReport report) {
    Map<String, TreeMap<String, List<CheckResult>>> byDocument = new LinkedHashMap<>();
    for (CheckResult r : report.results()) {
      if (r.requirement().level() == Level.INTEROP) {
        continue;
      }
      byDocument
          .computeIfAbsent(
              r.requirement().document(), d -> new TreeMap<>(HtmlReport::compareSection))
          .computeIfAbsent(r.requirement().section(), s -> new ArrayList<>())
          .add(r);
    }
    sb.append("<section id=\"results\">\n");
    for (var doc : byDocument.entrySet()) {
      sb.append("<h2>").append(html(doc.getKey())).append("</h2>\n");
      for (var section : doc.getValue().entrySet()) {
        List<CheckResult> rows = new ArrayList<>(section.getValue());
        rows.sort(order(report));
        sb.append("<h3>").append(html(section.getKey())).append("</h3>\n");
        table(sb, report, rows);
      }
    }
    sb.append("</section>\n");
  }

  private static void table(StringBuilder sb, ConformanceReport report, List<CheckResult> rows) {
    sb.append(
        "<table>\n<thead><tr><th>ID</th><th>Level</th><th>Outcome</th><th>Evidence</th>"
            + "<th>Requirement</th><th>Section</th></tr></thead>\n<tbody>\n");
    for (CheckResult r : rows) {
      boolean failsRun = r.failsRun(report.strict());
      sb.append(failsRun ? "<tr class=\"fails-run\">" : "<tr>");
      sb.append("<td class=\"id\">").append(html(r.requirement().id())).append("</td>");
      sb.append("<td>").append(r.level());
      if (r.level() != r.requirement().level()) {
        sb.append("<br><span class=\"note\">of a ")
            .append(r.requirement().level())
            .append(" requirement</span>");
      }
      sb.append("</td>");
      sb.append("<td><span class=\"o o-")
          .append(r.outcome().name())
          .append("\">")
          .append(r.outcome().name().replace('_', ' '))
          .append("</span>");
      if (failsRun) {
        sb.append("<br><span class=\"note\">fails the run</span>");
      }
      Optional<Baseline.Expectation> e = report.baseline().flatMap(c -> expectation(c, r));
      e.ifPresent(
          x ->
              sb.append("<br><span class=\"note\">baseline expects ")
                  .append(x.outcome().name().replace('_', ' '))
                  .append(x.reason().isEmpty() ? "" : ": " + html(x.reason()))
                  .append("</span>"));
      sb.append("</td>");
      sb.append("<td><code>").append(html(r.evidence())).append("</code>");
      sb.append("<br><span class=\"note\">scenario ")
          .append(html(r.scenario()))
          .append(", ")
          .append(Markup.seconds(r.duration()))
          .append(" s</span></td>");
      sb.append("<td>").append(html(r.requirement().summary())).append("</td>");
      sb.append("<td>").append(html(r.requirement().section())).append("</td>");
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
  }

  private static Optional<Baseline.Expectation> expectation(BaselineComparison c, CheckResult r) {
    return c.baseline().expectation(r.requirement().id());
  }

  /** MUST failures first, then other failures by level, not tested, not applicable, passed. */
  private static Comparator<CheckResult> order(ConformanceReport report) {
    List<CheckResult> catalogue = report.results();
    return Comparator.<CheckResult>comparingInt(HtmlReport::rank)
        .thenComparingInt(catalogue::indexOf);
  }

  private static int rank(CheckResult r) {
    return switch (r.outcome()) {
      case FAILED -> r.level().ordinal(); // MUST 0, SHOULD 1, MAY 2, INFO 3
      case NOT_TESTED -> Level.values().length;
      case NOT_APPLICABLE -> Level.values().length + 1;
      case PASSED -> Level.values().length + 2;
    };
  }

  /** Orders {@code §2 < §2.1 < §3.1.2 < §10} and puts anything without numbers last. */
  static int compareSection(String a, String b) {
    int[] x = numbers(a);
    int[] y = numbers(b);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    int c = Integer.compare(x.length, y.length);
    return c != 0 ? c : a.compareTo(b);
  }

  private static int[] numbers(String section) {
    int s = section.indexOf('§');
    if (s < 0) {
      return new int[] {Integer.MAX_VALUE};
    }
    String[] parts = section.substring(s + 1).trim().split("\\.");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].replaceAll("[^0-9]", ""));
      } catch (NumberFormatException e) {
        out[i] = Integer.MAX_VALUE;
      }
    }
    return out;
  }

  private static void meta(StringBuilder sb, String name, String value) {
    sb.append("<dt>").append(html(name)).append("</dt><dd>").append(html(value)).append("</dd>\n");
  }
}
