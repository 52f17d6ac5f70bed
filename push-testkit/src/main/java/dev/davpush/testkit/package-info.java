/**
 * The WebDAV-Push conformance kit's vocabulary: the {@link
 * dev.davpush.testkit.RequirementCatalogue} (requirement IDs of the project's requirements digest,
 * with their {@link dev.davpush.testkit.Level}), and the {@link dev.davpush.testkit.Outcome} of a
 * check.
 *
 * <p>A failing SHOULD is a failure at SHOULD level, never a skip; a feature the target declares it
 * does not have is {@link dev.davpush.testkit.Outcome#NOT_APPLICABLE}; a requirement no check
 * covered in a run is {@link dev.davpush.testkit.Outcome#NOT_TESTED}.
 */
@NullMarked
package dev.davpush.testkit;

import org.jspecify.annotations.NullMarked;
