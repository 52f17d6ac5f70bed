/**
 * WebDAV-Push for the milton WebDAV framework (milton CE 4.0.x, Jakarta Servlet 6): {@link
 * dev.davpush.milton.MiltonPush} installs a {@link dev.davpush.server.PushEngine} into milton's
 * extension points, and {@link dev.davpush.milton.MiltonDavResources} is the engine's default view
 * of a milton resource tree.
 *
 * <p>The jar is the automatic module {@code dev.davpush.milton}: milton's jars split packages
 * between them, so no named module can read both.
 */
@NullMarked
package dev.davpush.milton;

import org.jspecify.annotations.NullMarked;
