/** RFC 8291/8188 encryption, RFC 8292 VAPID, and the Web Push transport. */
module dev.davpush.webpush {
  requires transitive dev.davpush;
  requires static org.jspecify;
  requires org.bouncycastle.provider;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;
  requires com.fasterxml.jackson.core;

  exports dev.davpush.webpush.crypto;
}
