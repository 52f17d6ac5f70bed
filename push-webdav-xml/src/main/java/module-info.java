/** WebDAV-Push XML documents and header syntax, and a framework-neutral request handler. */
module dev.davpush.xml {
  requires transitive dev.davpush;
  requires static org.jspecify;
  requires java.xml;
  requires org.codehaus.stax2;
  requires com.ctc.wstx;

  exports dev.davpush.xml;
}
