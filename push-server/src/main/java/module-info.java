/**
 * The WebDAV-Push server side: {@link dev.davpush.server.PushEngine} (discovery, registration, the
 * dispatch pipeline), the framework-neutral {@link dev.davpush.server.PushRequestHandler}, and the
 * in-memory store. Pipeline stages live in the unexported {@code dev.davpush.server.internal}.
 */
module dev.davpush.server {
  requires transitive dev.davpush;
  requires transitive dev.davpush.xml;
  requires static org.jspecify;
  requires org.slf4j;

  exports dev.davpush.server;
}
