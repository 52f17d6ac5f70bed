/**
 * The WebDAV-Push client API: discovery, the registration lifecycle, receiving and decrypting push
 * messages, {@code Push-Dont-Notify} for the client's own writes, and a polling advisor. Built on
 * {@code dev.davpush.xml} (the wire format), {@code dev.davpush.webpush} (RFC 8291 key material and
 * decryption) and Apache HttpClient 5 (async).
 */
module dev.davpush.client {
  requires transitive dev.davpush;
  requires transitive dev.davpush.xml;
  requires transitive dev.davpush.webpush;
  requires transitive org.apache.httpcomponents.client5.httpclient5;
  requires transitive org.apache.httpcomponents.core5.httpcore5;
  requires static org.jspecify;
  requires java.net.http;

  exports dev.davpush.client;
}
