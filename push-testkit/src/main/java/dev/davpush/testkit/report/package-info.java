/**
 * Baselines for continuous integration: a {@link dev.davpush.testkit.report.Baseline} file lists a
 * server's expected deviations (requirement ID, expected outcome, reason), and a {@link
 * dev.davpush.testkit.report.BaselineComparison} tells which requirements fail anew, which pass
 * anew and which still deviate. The command line's {@code --baseline} and {@code --write-baseline}
 * use them; {@code docs/kit-reports.md} describes the file.
 */
@NullMarked
package dev.davpush.testkit.report;

import org.jspecify.annotations.NullMarked;
