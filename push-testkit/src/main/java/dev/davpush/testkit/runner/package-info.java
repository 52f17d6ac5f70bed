/**
 * The black-box conformance runner: {@link dev.davpush.testkit.runner.ConformanceRunner} checks a
 * WebDAV-Push server given only a collection URL, with the kit's embedded push service as the
 * subscriber, and produces a {@link dev.davpush.testkit.runner.ConformanceReport}.
 */
@NullMarked
package dev.davpush.testkit.runner;

import org.jspecify.annotations.NullMarked;
