package dev.davpush.testkit.report.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.davpush.testkit.report.BaselineComparison;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.util.List;

/**
 * Renders {@code report.json}, schema version {@value ConformanceReport#JSON_SCHEMA_VERSION}; the
 * fields are described in {@code docs/kit-reports.md} and in the JSON Schema resource.
 *
 * <p>Thread safety: stateless.
 */
public final class JsonReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /**
   * Renders a report.
   *
   * @param report the report
   * @return pretty-printed JSON with a final line break
   */
  public static String render(ConformanceReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", ConformanceReport.JSON_SCHEMA_VERSION);
    root.put("kitVersion", report.kitVersion());
    root.put("draftVersion", report.draftVersion());
    root.put("target", report.targetForDisplay());
    root.put("started", report.started().toString());
    root.put("finished", report.finished().toString());
    root.put("durationMillis", report.duration().toMillis());
    root.put("strict", report.strict());
    root.put("passed", report.passed());
    root.put("mustPassed", report.mustPassed());
    root.put("accepted", report.accepted());
    root.put("summary", report.summary());
    root.put("verdict", report.verdict());
    ObjectNode counts = root.putObject("counts");
    report.counts().forEach((k, v) -> counts.put(k.name(), v));
    counts.put("failingRun", report.runFailures().size());
    ObjectNode byLevel = root.putObject("failuresByLevel");
    report.failuresByLevel().forEach((k, v) -> byLevel.put(k.name(), v));
    if (report.baseline().isPresent()) {
      BaselineComparison c = report.baseline().get();
      ObjectNode b = root.putObject("baseline");
      b.put("expectations", c.baseline().size());
      b.put("matches", c.matches());
      b.put("summary", c.summary());
      ids(b.putArray("newlyFailing"), c.newlyFailing());
      ids(b.putArray("newRunFailures"), c.newRunFailures());
      ids(b.putArray("newlyPassing"), c.newlyPassing());
      ids(b.putArray("stillDeviating"), c.stillDeviating());
    } else {
      root.putNull("baseline");
    }
    ArrayNode arr = root.putArray("results");
    for (CheckResult r : report.results()) {
      ObjectNode o = arr.addObject();
      o.put("id", r.requirement().id());
      o.put("outcome", r.outcome().name());
      o.put("level", r.level().name());
      o.put("requirementLevel", r.requirement().level().name());
      o.put("area", r.requirement().area().label());
      o.put("section", r.requirement().section());
      o.put("summary", r.requirement().summary());
      o.put("evidence", r.evidence());
      o.put("scenario", r.scenario());
      o.put("scenarioDurationMillis", r.duration().toMillis());
      o.put("failsRun", r.failsRun(report.strict()));
      o.put(
          "expectedByBaseline",
          report
              .baseline()
              .map(c -> c.baseline().expectation(r.requirement().id()).isPresent())
              .orElse(false));
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report.json: " + e.getMessage(), e);
    }
  }

  private static void ids(ArrayNode arr, List<CheckResult> results) {
    results.forEach(r -> arr.add(r.requirement().id()));
  }
}
