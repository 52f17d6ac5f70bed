/**
 * The kit's scenarios: units of checking that declare the requirement IDs they cover and what they
 * need, run once per kit run in a fixed order, share what they create through a {@link
 * dev.davpush.testkit.internal.scenario.RunContext}, clean up after themselves, and record one
 * result per ID. Not exported: the command line and the JUnit kit reach them through {@link
 * dev.davpush.testkit.runner.ConformanceRunner}.
 */
@NullMarked
package dev.davpush.testkit.internal.scenario;

import org.jspecify.annotations.NullMarked;
