package dev.davpush.testkit.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.davpush.testkit.Outcome;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one run: one {@link CheckResult} per catalogue requirement, in catalogue order.
 * Renders as a console table, as {@code report.json}, and as JUnit XML ({@code report.xml}).
 *
 * <p>Thread safety: immutable.
 */
public final class ConformanceReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final URI target;
  private final Instant started;
  private final Instant finished;
  private final List<CheckResult> results;

  /**
   * Creates a report.
   *
   * @param target the target collection (no credentials in it)
   * @param started when the run started
   * @param finished when it finished
   * @param results one result per requirement; copied
   */
  public ConformanceReport(
      URI target, Instant started, Instant finished, List<CheckResult> results) {
    this.target = requireNonNull(target, "target");
    this.started = requireNonNull(started, "started");
    this.finished = requireNonNull(finished, "finished");
    this.results = List.copyOf(requireNonNull(results, "results"));
  }

  /** {@return the target collection} */
  public URI target() {
    return target;
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
   * Whether every MUST-level requirement that was checked passed: the exit status 0 condition.
   *
   * @return true if no MUST failed
   */
  public boolean mustPassed() {
    return results.stream().noneMatch(r -> r.failsRun(false));
  }

  /**
   * The failed requirements.
   *
   * @return their results, in catalogue order
   */
  public List<CheckResult> failures() {
    return results.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
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
   * The console table: ID, level, result, one line of evidence; then a summary line.
   *
   * @return the table, lines separated by {@code \n}
   */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-10s %-6s %-14s %s%n";
    sb.append(String.format(fmt, "ID", "LEVEL", "RESULT", "EVIDENCE"));
    for (CheckResult r : results) {
      sb.append(
          String.format(
              fmt,
              r.requirement().id(),
              r.requirement().level(),
              r.outcome(),
              oneLine(r.evidence())));
    }
    Map<Outcome, Integer> c = counts();
    sb.append(
        String.format(
            "%ntarget %s: %d passed, %d failed, %d not applicable, %d not tested; MUST %s%n",
            target,
            c.get(Outcome.PASSED),
            c.get(Outcome.FAILED),
            c.get(Outcome.NOT_APPLICABLE),
            c.get(Outcome.NOT_TESTED),
            mustPassed() ? "all passed" : "FAILED"));
    return sb.toString().replace(System.lineSeparator(), "\n");
  }

  /**
   * The JSON rendering written as {@code report.json}.
   *
   * @return pretty-printed JSON
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("target", target.toString());
    root.put("started", started.toString());
    root.put("finished", finished.toString());
    root.put("mustPassed", mustPassed());
    ObjectNode counts = root.putObject("counts");
    counts().forEach((k, v) -> counts.put(k.name(), v));
    ArrayNode arr = root.putArray("results");
    for (CheckResult r : results) {
      ObjectNode o = arr.addObject();
      o.put("id", r.requirement().id());
      o.put("level", r.requirement().level().name());
      o.put("section", r.requirement().section());
      o.put("summary", r.requirement().summary());
      o.put("outcome", r.outcome().name());
      o.put("evidence", r.evidence());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report.json: " + e.getMessage(), e);
    }
  }

  /**
   * The JUnit XML rendering written as {@code report.xml}: one test case per requirement; FAILED as
   * a failure, NOT_TESTED and NOT_APPLICABLE as skipped.
   *
   * @return the XML document
   */
  public String toJunitXml() {
    Map<Outcome, Integer> c = counts();
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<testsuite name=\"davpush-conformance\" tests=\"")
        .append(results.size())
        .append("\" failures=\"")
        .append(c.get(Outcome.FAILED))
        .append("\" errors=\"0\" skipped=\"")
        .append(c.getOrDefault(Outcome.NOT_TESTED, 0) + c.getOrDefault(Outcome.NOT_APPLICABLE, 0))
        .append("\" time=\"")
        .append(Duration.between(started, finished).toMillis() / 1000.0)
        .append("\" timestamp=\"")
        .append(started)
        .append("\">\n");
    for (CheckResult r : results) {
      sb.append("  <testcase classname=\"")
          .append(escape(target.toString()))
          .append("\" name=\"")
          .append(escape(r.requirement().label() + " " + r.requirement().summary()))
          .append("\"");
      switch (r.outcome()) {
        case PASSED -> sb.append("/>\n");
        case FAILED ->
            sb.append(">\n    <failure type=\"")
                .append(r.requirement().level())
                .append("\" message=\"")
                .append(escape(r.evidence()))
                .append("\"/>\n  </testcase>\n");
        default ->
            sb.append(">\n    <skipped message=\"")
                .append(r.outcome())
                .append(": ")
                .append(escape(r.evidence()))
                .append("\"/>\n  </testcase>\n");
      }
    }
    sb.append("</testsuite>\n");
    return sb.toString();
  }

  /**
   * Writes {@code report.json} and {@code report.xml} into a directory, creating it if needed.
   *
   * @param directory the directory
   * @return the path of {@code report.json}
   * @throws IOException if writing fails
   */
  public Path writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve("report.json");
    Files.writeString(json, toJson(), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("report.xml"), toJunitXml(), StandardCharsets.UTF_8);
    return json;
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("[\\r\\n\\t]+", " ");
    return t.length() > 160 ? t.substring(0, 159) + "…" : t;
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> {
          if (ch >= 0x20 || ch == '\t') {
            sb.append(ch);
          }
        }
      }
    }
    return sb.toString();
  }
}
