package dev.davpush.testkit.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.ConformanceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A server's expected deviations: for some requirement IDs, the outcome a run is expected to have
 * instead of {@link Outcome#PASSED}, with the reason. A continuous-integration job keeps one beside
 * its build, so that a run {@linkplain BaselineComparison#matches() matches} while the known
 * failures stay, and fails as soon as another requirement fails.
 *
 * <p>The file is JSON, schema version {@value #SCHEMA_VERSION} ({@code docs/kit-reports.md}; the
 * JSON Schema is the resource {@value #SCHEMA_RESOURCE}):
 *
 * <pre>{@code
 * {
 *   "schemaVersion" : 1,
 *   "expectations" : [
 *     { "id" : "R-WDP-31", "outcome" : "FAILED", "reason" : "expiry is fixed at 7 days (#12)" }
 *   ]
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable.
 */
public final class Baseline {
  /** The schema version this class reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  /** The class-path resource holding the JSON Schema of the baseline file. */
  public static final String SCHEMA_RESOURCE = "/dev/davpush/testkit/report/baseline-1.schema.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> TOP_LEVEL = Set.of("schemaVersion", "expectations");
  private static final Set<String> ENTRY = Set.of("id", "outcome", "reason");

  /** An empty baseline: every run-failing result is a new failure. */
  public static final Baseline EMPTY = new Baseline(Map.of());

  private final Map<String, Expectation> expectations;

  private Baseline(Map<String, Expectation> byId) {
    this.expectations = byId;
  }

  /**
   * One expected deviation.
   *
   * @param id a requirement ID of {@link RequirementCatalogue}, for example {@code R-WDP-31}
   * @param outcome the expected outcome: {@link Outcome#FAILED}, {@link Outcome#NOT_TESTED} or
   *     {@link Outcome#NOT_APPLICABLE}; never {@link Outcome#PASSED}, which is no deviation
   * @param reason why, for the people who read the file; may be empty, never null
   *     <p>Thread safety: immutable.
   */
  public record Expectation(String id, Outcome outcome, String reason) {
    /**
     * Validates the parts.
     *
     * @param id as described on the record
     * @param outcome as described on the record
     * @param reason as described on the record
     * @throws BaselineException if the ID is not catalogued or the outcome is PASSED
     */
    public Expectation {
      requireNonNull(id, "id");
      requireNonNull(outcome, "outcome");
      requireNonNull(reason, "reason");
      if (RequirementCatalogue.find(id).isEmpty()) {
        throw new BaselineException(
            "'" + id + "' is not a requirement ID of the catalogue (see docs/requirements.md)");
      }
      if (outcome == Outcome.PASSED) {
        throw new BaselineException(
            id
                + ": expected outcome PASSED is no deviation; expect FAILED, NOT_TESTED or"
                + " NOT_APPLICABLE, or leave the ID out");
      }
    }

    /** {@return the catalogued requirement} */
    public Requirement requirement() {
      return RequirementCatalogue.find(id).orElseThrow();
    }
  }

  /**
   * A baseline of the given expectations.
   *
   * @param expectations at most one per ID; copied, kept in catalogue order
   * @return the baseline
   * @throws BaselineException if two expectations name the same ID
   */
  public static Baseline of(Collection<Expectation> expectations) {
    requireNonNull(expectations, "expectations");
    Map<String, Expectation> byId = new LinkedHashMap<>();
    for (Expectation e : expectations) {
      requireNonNull(e, "expectation");
      if (byId.put(e.id(), e) != null) {
        throw new BaselineException(e.id() + " is listed twice");
      }
    }
    return new Baseline(inCatalogueOrder(byId.values()));
  }

  /**
   * A baseline that expects exactly the failures of a run: one expectation {@link Outcome#FAILED}
   * for each {@link Outcome#FAILED} result at any level (so that a strict run matches as well).
   * NOT_TESTED and NOT_APPLICABLE results are not listed; they never fail a run.
   *
   * @param report the run
   * @param reason the reason written for every entry, for example {@code "baseline of 2026-12-01"}
   * @return the baseline
   */
  public static Baseline from(ConformanceReport report, String reason) {
    requireNonNull(report, "report");
    requireNonNull(reason, "reason");
    List<Expectation> out = new ArrayList<>();
    for (CheckResult r : report.results()) {
      if (r.outcome() == Outcome.FAILED) {
        out.add(new Expectation(r.requirement().id(), Outcome.FAILED, reason));
      }
    }
    return of(out);
  }

  /**
   * Reads a baseline file.
   *
   * @param file a UTF-8 JSON file of schema version {@value #SCHEMA_VERSION}
   * @return the baseline
   * @throws IOException if the file cannot be read
   * @throws BaselineException if its content is not a valid baseline; the message names the file
   *     and the problem
   */
  public static Baseline read(Path file) throws IOException {
    requireNonNull(file, "file");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (BaselineException e) {
      throw new BaselineException("baseline " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a baseline from its JSON text.
   *
   * @param json the text
   * @return the baseline
   * @throws BaselineException if the text is not a valid baseline of schema version {@value
   *     #SCHEMA_VERSION}
   */
  public static Baseline parse(String json) {
    requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BaselineException("not JSON: " + e.getOriginalMessage() + " at " + location(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new BaselineException("expected a JSON object with schemaVersion and expectations");
    }
    unknownFields(root, TOP_LEVEL, "the top level");
    JsonNode version = root.get("schemaVersion");
    if (version == null || !version.isInt() || version.intValue() != SCHEMA_VERSION) {
      throw new BaselineException(
          "schemaVersion: expected "
              + SCHEMA_VERSION
              + ", got "
              + (version == null ? "none" : version.toString()));
    }
    JsonNode list = root.get("expectations");
    if (list == null || !list.isArray()) {
      throw new BaselineException("expectations: expected an array");
    }
    List<Expectation> out = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : list) {
      String where = "expectations[" + index++ + "]";
      if (!entry.isObject()) {
        throw new BaselineException(where + ": expected an object with id, outcome and reason");
      }
      unknownFields(entry, ENTRY, where);
      String id = text(entry, "id", where);
      String outcome = text(entry, "outcome", where);
      String reason = text(entry, "reason", where);
      Outcome o;
      try {
        o = Outcome.valueOf(outcome);
      } catch (IllegalArgumentException e) {
        throw new BaselineException(
            where
                + " ("
                + id
                + "): outcome '"
                + outcome
                + "' is not one of FAILED, NOT_TESTED,"
                + " NOT_APPLICABLE",
            e);
      }
      try {
        out.add(new Expectation(id, o, reason));
      } catch (BaselineException e) {
        throw new BaselineException(where + ": " + e.getMessage(), e);
      }
    }
    return of(out);
  }

  /**
   * Writes the baseline as JSON, replacing the file if it exists. The file is written beside its
   * final name and moved into place, so a failed write leaves any earlier file as it was.
   *
   * @param file the file; its directory is created if needed
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    requireNonNull(file, "file");
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.write(temp, toJson().getBytes(StandardCharsets.UTF_8));
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

  /**
   * The JSON text {@link #write(Path)} writes: entries in catalogue order, two-space indentation, a
   * final line break.
   *
   * @return the text
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode arr = root.putArray("expectations");
    for (Expectation e : expectations.values()) {
      arr.addObject()
          .put("id", e.id())
          .put("outcome", e.outcome().name())
          .put("reason", e.reason());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("baseline JSON: " + e.getMessage(), e);
    }
  }

  /** {@return the expectations, in catalogue order} */
  public List<Expectation> expectations() {
    return List.copyOf(expectations.values());
  }

  /**
   * The expectation for one requirement.
   *
   * @param id a requirement ID
   * @return the expectation, or empty if the baseline expects the requirement to pass
   */
  public Optional<Expectation> expectation(String id) {
    return Optional.ofNullable(expectations.get(requireNonNull(id, "id")));
  }

  /** {@return how many deviations the baseline expects} */
  public int size() {
    return expectations.size();
  }

  /**
   * Compares a run with this baseline, at the run's strictness ({@link
   * ConformanceReport#strict()}).
   *
   * @param report the run
   * @return the comparison
   */
  public BaselineComparison compare(ConformanceReport report) {
    requireNonNull(report, "report");
    return compare(report.results(), report.strict());
  }

  /**
   * Compares results with this baseline.
   *
   * @param results the results of a run, one per requirement at most
   * @param strict whether SHOULD failures fail the run
   * @return the comparison
   */
  public BaselineComparison compare(List<CheckResult> results, boolean strict) {
    return new BaselineComparison(this, List.copyOf(results), strict);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Baseline b && b.expectations.equals(expectations);
  }

  @Override
  public int hashCode() {
    return expectations.hashCode();
  }

  @Override
  public String toString() {
    return "Baseline" + expectations.values();
  }

  private static Map<String, Expectation> inCatalogueOrder(Collection<Expectation> all) {
    List<Requirement> order = RequirementCatalogue.all();
    Map<String, Expectation> out = new LinkedHashMap<>();
    all.stream()
        .sorted(Comparator.comparingInt(e -> order.indexOf(e.requirement())))
        .forEach(e -> out.put(e.id(), e));
    return java.util.Collections.unmodifiableMap(out);
  }

  private static void unknownFields(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new BaselineException(where + ": unknown field '" + name + "'; expected " + known);
      }
    }
  }

  private static String text(JsonNode entry, String field, String where) {
    JsonNode v = entry.get(field);
    if (v == null || !v.isTextual()) {
      throw new BaselineException(where + ": " + field + " must be a string");
    }
    return v.textValue();
  }

  private static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null
        ? "an unknown place"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
