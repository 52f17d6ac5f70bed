/**
 * WebDAV-Push on the wire (draft-bitfire-webdav-push): readers and writers for every XML document
 * and property, header syntax, and a framework-neutral request handler.
 */
@NullMarked
package dev.davpush.xml;

import org.jspecify.annotations.NullMarked;
