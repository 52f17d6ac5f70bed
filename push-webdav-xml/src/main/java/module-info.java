/** WebDAV-Push on the wire: every XML document and property, and the header syntax. */
module dev.davpush.xml {
  requires transitive dev.davpush;
  requires static org.jspecify;
  requires java.xml;
  requires org.codehaus.stax2;
  requires com.ctc.wstx;

  exports dev.davpush.xml;
}
