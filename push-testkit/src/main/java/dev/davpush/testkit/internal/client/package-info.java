/**
 * Client-side WebDAV-Push logic the kit's runner uses: HTTP exchange with a DAV server, discovery,
 * registration and unregistration. Internal, not exported; written so that it can move whole into
 * the future Java client module.
 */
@NullMarked
package dev.davpush.testkit.internal.client;

import org.jspecify.annotations.NullMarked;
