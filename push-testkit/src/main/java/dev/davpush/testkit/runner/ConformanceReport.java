package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.report.Baseline;
import dev.davpush.testkit.report.BaselineComparison;
import dev.davpush.testkit.report.internal.HtmlReport;
import dev.davpush.testkit.report.internal.JsonReport;
import dev.davpush.testkit.report.internal.JunitXmlReport;
import dev.davpush.testkit.report.internal.Markup;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The result of one run: one {@link CheckResult} per catalogue requirement, in catalogue order,
 * with the run's strictness and, optionally, its comparison with a {@link Baseline}. Renders as a
 * console table, as {@code report.json} (schema version {@value #JSON_SCHEMA_VERSION}), as JUnit
 * XML ({@code report.xml}) and as one self-contained HTML file ({@code report.html}); {@code
 * docs/kit-reports.md} describes each.
 *
 * <p>A result <em>fails the run</em> when it is FAILED at level MUST, or at level SHOULD in a
 * strict run ({@link CheckResult#failsRun(boolean)}). The run {@linkplain #passed() passed} when no
 * result fails it, and is {@linkplain #accepted() accepted} when it passed or, with a baseline,
 * when the baseline {@linkplain BaselineComparison#matches() matches}.
 *
 * <p>No report shows credentials: the target is printed without user information and with any query
 * redacted; evidence is redacted by the runner before a result is made.
 *
 * <p>Thread safety: immutable.
 */
public final class ConformanceReport {
  /**
   * The version of {@code report.json}'s schema, its {@code schemaVersion} field. Version 2 added
   * the level INTEROP ({@code failuresByLevel.INTEROP}), the areas {@code push-service} and {@code
   * client-interop}, and {@code BP-} and {@code CI-} IDs; the version 1 schema still ships beside
   * it.
   */
  public static final int JSON_SCHEMA_VERSION = 2;

  /** The class-path resource holding the JSON Schema of {@code report.json}. */
  public static final String JSON_SCHEMA_RESOURCE =
      "/dev/davpush/testkit/report/kit-report-2.schema.json";

  /**
   * The revision of the WebDAV-Push draft the kit's catalogue follows (the requirements digest,
   * §0).
   */
  public static final String DRAFT_VERSION =
      "draft-bitfire-webdav-push-00 (bitfireAT/webdav-push 611abe2, 2026-05-01)";

  /** The kit version reported when the classes do not come from a released jar. */
  public static final String DEVELOPMENT_BUILD = "development build";

  private static final String KIT_VERSION = kitVersionFromManifest();

  private final URI target;
  private final Instant started;
  private final Instant finished;
  private final List<CheckResult> results;
  private final boolean strict;
  private final @Nullable BaselineComparison baseline;

  /**
   * Creates a report of a run that is not strict.
   *
   * @param target the target collection
   * @param started when the run started
   * @param finished when it finished; not before {@code started}
   * @param results one result per requirement; copied and put in catalogue order
   * @throws IllegalArgumentException if {@code finished} is before {@code started}, or two results
   *     have the same requirement
   */
  public ConformanceReport(
      URI target, Instant started, Instant finished, List<CheckResult> results) {
    this(target, started, finished, results, false);
  }

  /**
   * Creates a report.
   *
   * @param target the target collection
   * @param started when the run started
   * @param finished when it finished; not before {@code started}
   * @param results one result per requirement; copied and put in catalogue order (requirements not
   *     in the catalogue last)
   * @param strict whether SHOULD failures fail the run
   * @throws IllegalArgumentException if {@code finished} is before {@code started}, or two results
   *     have the same requirement
   */
  public ConformanceReport(
      URI target, Instant started, Instant finished, List<CheckResult> results, boolean strict) {
    this(target, started, finished, checked(results), strict, null);
    if (finished.isBefore(started)) {
      throw new IllegalArgumentException("finished " + finished + " is before started " + started);
    }
  }

  private ConformanceReport(
      URI target,
      Instant started,
      Instant finished,
      List<CheckResult> results,
      boolean strict,
      @Nullable Baseline baseline) {
    this.target = requireNonNull(target, "target");
    this.started = requireNonNull(started, "started");
    this.finished = requireNonNull(finished, "finished");
    this.results = results;
    this.strict = strict;
    this.baseline = baseline == null ? null : baseline.compare(results, strict);
  }

  /**
   * The same run judged strictly or not; any baseline is compared again.
   *
   * @param strict whether SHOULD failures fail the run
   * @return a report
   */
  public ConformanceReport withStrict(boolean strict) {
    return new ConformanceReport(
        target, started, finished, results, strict, baseline().map(c -> c.baseline()).orElse(null));
  }

  /**
   * The same run compared with a baseline; the reports then show the comparison and {@link
   * #accepted()} follows it.
   *
   * @param baseline the expected deviations
   * @return a report
   */
  public ConformanceReport withBaseline(Baseline baseline) {
    return new ConformanceReport(
        target, started, finished, results, strict, requireNonNull(baseline, "baseline"));
  }

  /** {@return the target collection, as given to the runner} */
  public URI target() {
    return target;
  }

  /** {@return the target as the reports print it: no user information, any query redacted} */
  public String targetForDisplay() {
    return Markup.target(target);
  }

  /** {@return when the run started} */
  public Instant started() {
    return started;
  }

  /** {@return when the run finished} */
  public Instant finished() {
    return finished;
  }

  /** {@return how long the run took} */
  public Duration duration() {
    return Duration.between(started, finished);
  }

  /** {@return whether SHOULD failures fail this run} */
  public boolean strict() {
    return strict;
  }

  /**
   * The kit's version: the {@code Implementation-Version} of the jar the kit's classes come from
   * (the command-line jar has one), or {@value #DEVELOPMENT_BUILD}.
   *
   * @return the version
   */
  public String kitVersion() {
    return KIT_VERSION;
  }

  /** {@return the draft revision the kit checks against, {@link #DRAFT_VERSION}} */
  public String draftVersion() {
    return DRAFT_VERSION;
  }

  /** {@return the results, in catalogue order} */
  public List<CheckResult> results() {
    return results;
  }

  /**
   * The result of one requirement.
   *
   * @param id for example {@code R-WDP-25}
   * @return the result
   * @throws IllegalArgumentException if the report has no such requirement
   */
  public CheckResult result(String id) {
    return results.stream()
        .filter(r -> r.requirement().id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for " + id));
  }

  /**
   * Whether no result is FAILED at level MUST (whatever the strictness).
   *
   * @return true if no MUST failed
   */
  public boolean mustPassed() {
    return results.stream().noneMatch(r -> r.failsRun(false));
  }

  /**
   * Whether no result fails the run at this report's strictness; a baseline does not change it.
   *
   * @return true if nothing failed at MUST level, nor at SHOULD level when strict
   */
  public boolean passed() {
    return runFailures().isEmpty();
  }

  /**
   * The verdict a build should follow, and the command line's exit status 0 condition: {@link
   * #passed()}, or with a baseline, {@link BaselineComparison#matches()}.
   *
   * @return whether the run is accepted
   */
  public boolean accepted() {
    return baseline == null ? passed() : baseline.matches();
  }

  /**
   * The comparison with the baseline given by {@link #withBaseline(Baseline)}.
   *
   * @return empty when the report has no baseline
   */
  public Optional<BaselineComparison> baseline() {
    return Optional.ofNullable(baseline);
  }

  /**
   * The failed requirements, at any level.
   *
   * @return their results, in catalogue order
   */
  public List<CheckResult> failures() {
    return results.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
  }

  /**
   * The results that fail the run at this report's strictness, whether a baseline expects them or
   * not.
   *
   * @return their results, in catalogue order
   */
  public List<CheckResult> runFailures() {
    return results.stream().filter(r -> r.failsRun(strict)).toList();
  }

  /**
   * Counts per outcome.
   *
   * @return a map with every outcome
   */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> c = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      c.put(o, 0);
    }
    results.forEach(r -> c.merge(r.outcome(), 1, Integer::sum));
    return c;
  }

  /**
   * The failures per judged level.
   *
   * @return a map with every level, in level order
   */
  public Map<Level, Integer> failuresByLevel() {
    Map<Level, Integer> c = new LinkedHashMap<>();
    for (Level l : Level.values()) {
      c.put(l, 0);
    }
    failures().forEach(r -> c.merge(r.level(), 1, Integer::sum));
    return c;
  }

  /**
   * The summary line of every rendering, for example {@code 33 passed, 2 failed (1 MUST, 1 SHOULD),
   * 1 not applicable, 15 not tested}. Client-interop findings ({@link Level#INTEROP}) are not
   * counted there; when the report has any, a second part follows, for example {@code ; client
   * interop: 3 accepted, 1 refused (CI-1)}.
   *
   * @return the line, without a line break
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(count(Outcome.PASSED)).append(" passed, ");
    sb.append(count(Outcome.FAILED)).append(" failed");
    if (count(Outcome.FAILED) > 0) {
      StringBuilder levels = new StringBuilder();
      failuresByLevel()
          .forEach(
              (l, n) -> {
                if (n > 0 && l != Level.INTEROP) {
                  levels.append(levels.length() == 0 ? "" : ", ").append(n).append(' ').append(l);
                }
              });
      sb.append(" (").append(levels).append(')');
    }
    sb.append(", ").append(count(Outcome.NOT_APPLICABLE)).append(" not applicable, ");
    sb.append(count(Outcome.NOT_TESTED)).append(" not tested");
    List<CheckResult> interop = interop();
    if (!interop.isEmpty()) {
      List<String> refused =
          interop.stream()
              .filter(r -> r.outcome() == Outcome.FAILED)
              .map(r -> r.requirement().id())
              .toList();
      long accepted = interop.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
      long other = interop.size() - accepted - refused.size();
      sb.append("; client interop: ").append(accepted).append(" accepted, ");
      sb.append(refused.size()).append(" refused");
      if (!refused.isEmpty()) {
        sb.append(" (").append(String.join(", ", refused)).append(')');
      }
      if (other > 0) {
        sb.append(", ").append(other).append(" not checked");
      }
    }
    return sb.toString();
  }

  /**
   * The client-interop findings ({@code CI-} IDs, level {@link Level#INTEROP}): whether the server
   * accepts what deployed clients send. PASSED means accepted and notified; FAILED means refused,
   * or accepted but not notified; they never fail a run.
   *
   * @return their results, in catalogue order; empty when the report has none
   */
  public List<CheckResult> interop() {
    return results.stream().filter(r -> r.requirement().level() == Level.INTEROP).toList();
  }

  private long count(Outcome outcome) {
    return results.stream()
        .filter(r -> r.requirement().level() != Level.INTEROP && r.outcome() == outcome)
        .count();
  }

  /**
   * The verdict line of every rendering, for example {@code run FAILED: 1 failure fails the run
   * (R-WDP-25)} or {@code run PASSED with the baseline (strict)}.
   *
   * @return the line, without a line break
   */
  public String verdict() {
    List<CheckResult> failing = runFailures();
    String mode = strict ? " (strict: SHOULD failures count)" : "";
    if (failing.isEmpty()) {
      return "run PASSED" + mode;
    }
    String ids =
        failing.stream()
            .map(r -> r.requirement().id())
            .collect(java.util.stream.Collectors.joining(", ", " (", ")"));
    String n = failing.size() == 1 ? "1 failure fails" : failing.size() + " failures fail";
    if (baseline != null && baseline.matches()) {
      return "run PASSED with the baseline" + mode + ": " + n + " the run, all expected" + ids;
    }
    return "run FAILED" + mode + ": " + n + " the run" + ids;
  }

  /**
   * The console table: ID, level judged, outcome and one line of evidence per requirement, the
   * client-interop findings in a section of their own; then the target, the summary, the baseline
   * comparison if any, and the verdict.
   *
   * @return the table, lines separated by {@code \n}
   */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-11s %-7s %-14s %s\n";
    sb.append(String.format(java.util.Locale.ROOT, fmt, "ID", "LEVEL", "RESULT", "EVIDENCE"));
    for (CheckResult r : results) {
      if (r.requirement().level() != Level.INTEROP) {
        row(sb, fmt, r);
      }
    }
    List<CheckResult> interop = interop();
    if (!interop.isEmpty()) {
      sb.append('\n')
          .append(
              "CLIENT INTEROP (not requirements: what deployed clients send; never fails a run)")
          .append('\n');
      for (CheckResult r : interop) {
        row(sb, fmt, r);
      }
    }
    sb.append('\n');
    sb.append("target ").append(targetForDisplay()).append('\n');
    sb.append("summary: ").append(summary()).append('\n');
    if (baseline != null) {
      sb.append(baseline.summary()).append('\n');
    }
    sb.append(verdict()).append('\n');
    return sb.toString();
  }

  private static void row(StringBuilder sb, String fmt, CheckResult r) {
    sb.append(
        String.format(
            java.util.Locale.ROOT,
            fmt,
            r.requirement().id(),
            r.level(),
            r.outcome(),
            Markup.oneLine(r.evidence(), 160)));
  }

  /**
   * The JSON rendering written as {@code report.json}, schema version {@value #JSON_SCHEMA_VERSION}
   * (the JSON Schema is the resource {@value #JSON_SCHEMA_RESOURCE}).
   *
   * @return pretty-printed JSON
   */
  public String toJson() {
    return JsonReport.render(this);
  }

  /**
   * The JUnit XML rendering written as {@code report.xml}: one test case per requirement, named
   * {@code <ID> <level judged> <summary>}. Only results that fail the run and that no baseline
   * expects are {@code <failure>}; other FAILED results are {@code <skipped>} with a message that
   * starts with their level ({@code SHOULD failed: …}); NOT_TESTED and NOT_APPLICABLE are {@code
   * <skipped>} with the reason.
   *
   * @return the XML document
   */
  public String toJunitXml() {
    return JunitXmlReport.render(this);
  }

  /**
   * The HTML rendering written as {@code report.html}: one file without external assets or scripts,
   * with the verdict and summary at the top, the failures (run-failing first), then every result
   * grouped by document and section.
   *
   * @return the HTML document
   */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /**
   * Writes {@code report.json}, {@code report.xml} and {@code report.html} into a directory,
   * creating it if needed. Each file is written beside its final name and moved into place.
   *
   * @param directory the directory
   * @return the path of {@code report.json}
   * @throws IOException if writing fails
   */
  public Path writeTo(Path directory) throws IOException {
    requireNonNull(directory, "directory");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("report.json", toJson());
    files.put("report.xml", toJunitXml());
    files.put("report.html", toHtml());
    Files.createDirectories(directory);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = directory.resolve(f.getKey());
      Path temp = Files.createTempFile(directory, "." + f.getKey(), ".tmp");
      try {
        // getBytes replaces an unpaired surrogate from the evidence; writeString would refuse it
        Files.write(temp, f.getValue().getBytes(StandardCharsets.UTF_8));
        try {
          Files.move(
              temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return directory.resolve("report.json");
  }

  @Override
  public String toString() {
    return "ConformanceReport[" + targetForDisplay() + ": " + summary() + "; " + verdict() + "]";
  }

  private static List<CheckResult> checked(List<CheckResult> results) {
    List<CheckResult> copy = new ArrayList<>(requireNonNull(results, "results"));
    Set<String> seen = new HashSet<>();
    for (CheckResult r : copy) {
      if (!seen.add(requireNonNull(r, "result").requirement().id())) {
        throw new IllegalArgumentException(
            "results: " + r.requirement().id() + " has more than one result");
      }
    }
    List<Requirement> order = RequirementCatalogue.all();
    copy.sort(
        Comparator.comparingInt(
            r -> {
              int i = order.indexOf(r.requirement());
              return i < 0 ? Integer.MAX_VALUE : i;
            }));
    return List.copyOf(copy);
  }

  private static String kitVersionFromManifest() {
    Package p = ConformanceReport.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null || v.isBlank() ? DEVELOPMENT_BUILD : v;
  }
}
