/**
 * Internals of {@code dev.davpush.xml}: the safely configured Woodstox parser, the element tree the
 * lenient readers navigate, and the byte-stable text builder. Not exported; no API.
 */
@NullMarked
package dev.davpush.xml.internal;

import org.jspecify.annotations.NullMarked;
