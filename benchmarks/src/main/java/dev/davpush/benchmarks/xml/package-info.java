/**
 * JMH benchmarks of the WebDAV-Push XML codecs: parsing a {@code push-register} and writing a
 * {@code push-message}, each beside the JDK's own XML APIs on the same document.
 */
@NullMarked
package dev.davpush.benchmarks.xml;

import org.jspecify.annotations.NullMarked;
