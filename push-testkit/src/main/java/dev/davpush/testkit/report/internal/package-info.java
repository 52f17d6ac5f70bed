/**
 * The renderers behind {@link dev.davpush.testkit.runner.ConformanceReport}: JSON, JUnit XML and
 * HTML, and the escaping they share. Internal: not exported.
 */
@NullMarked
package dev.davpush.testkit.report.internal;

import org.jspecify.annotations.NullMarked;
