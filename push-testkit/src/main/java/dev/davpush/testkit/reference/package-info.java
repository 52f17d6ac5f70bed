/**
 * An in-memory WebDAV/CalDAV/CardDAV-shaped server built on davpush: the kit's known-good target,
 * the embedded default of the command line, and the example server authors read. See {@link
 * dev.davpush.testkit.reference.ReferenceServer}.
 */
@NullMarked
package dev.davpush.testkit.reference;

import org.jspecify.annotations.NullMarked;
