/**
 * Planted faults of the reference server ({@link
 * dev.davpush.testkit.reference.faults.PlantedFault}): deliberately broken variants, each a
 * decorator from outside the known-good code that breaks exactly one requirement, so that the kit's
 * self-test can show every check fail.
 */
@NullMarked
package dev.davpush.testkit.reference.faults;

import org.jspecify.annotations.NullMarked;
