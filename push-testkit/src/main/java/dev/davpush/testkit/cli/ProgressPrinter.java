package dev.davpush.testkit.cli;

import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.runner.CheckResult;
import dev.davpush.testkit.runner.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints one line per scenario while a run goes on: the start of the line ({@code [2/7]
 * registration ...}) when the scenario starts, the rest ({@code 6 passed, 1 failed (R-WDP-25) in
 * 1.2 s}) when it ends.
 *
 * <p>Thread safety: not thread-safe; the runner calls it from one thread.
 */
final class ProgressPrinter implements RunListener {
  private final PrintWriter out;
  private boolean lineOpen;

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void scenarioStarted(String scenario, int index, int count) {
    closeLine();
    out.print("[" + index + "/" + count + "] " + scenario + " ...");
    out.flush();
    lineOpen = true;
  }

  @Override
  public void scenarioFinished(String scenario, List<CheckResult> results, Duration took) {
    if (!lineOpen) {
      out.print(scenario + " ...");
    }
    out.println(" " + describe(results) + " in " + seconds(took));
    out.flush();
    lineOpen = false;
  }

  /** Ends a line a scenario left open, before the table is printed. */
  void finish() {
    closeLine();
  }

  private void closeLine() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }

  static String describe(List<CheckResult> results) {
    if (results.isEmpty()) {
      return "nothing recorded";
    }
    StringBuilder sb = new StringBuilder();
    for (Outcome o : Outcome.values()) {
      List<CheckResult> of = results.stream().filter(r -> r.outcome() == o).toList();
      if (of.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(of.size()).append(' ').append(o.name().toLowerCase(Locale.ROOT).replace('_', ' '));
      if (o == Outcome.FAILED) {
        sb.append(
            of.stream()
                .map(r -> r.requirement().id() + " " + r.level())
                .collect(Collectors.joining(", ", " (", ")")));
      }
    }
    return sb.toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
