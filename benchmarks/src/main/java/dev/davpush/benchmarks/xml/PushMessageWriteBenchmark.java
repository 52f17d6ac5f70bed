package dev.davpush.benchmarks.xml;

import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.xml.PushMessageWriter;
import dev.davpush.xml.WebDavPush;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing a typical {@code push-message} (topic + content update with sync-token, the digest §10.1
 * plaintext, 208 bytes): davpush's {@link PushMessageWriter} beside the anchor, the JDK's default
 * {@link XMLStreamWriter} writing the same document. One thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PushMessageWriteBenchmark {
  static final PushMessage MESSAGE =
      PushMessage.contentUpdate(Topic.of("O7M1nQ7cKkKTKsoS_j6Z3w"), "http://example.com/sync/10");

  private XMLOutputFactory jdk;

  @Setup
  public void setUp() {
    jdk = XMLOutputFactory.newDefaultFactory();
  }

  /** davpush: the message to UTF-8 bytes. */
  @Benchmark
  public byte[] davpushPushMessageWriter() {
    return PushMessageWriter.write(MESSAGE);
  }

  /** Anchor: the same document with the JDK's StAX writer. */
  @Benchmark
  public byte[] anchorJdkStaxWriter() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    XMLStreamWriter w = jdk.createXMLStreamWriter(out, "UTF-8");
    w.setDefaultNamespace(WebDavPush.NAMESPACE);
    w.setPrefix("D", "DAV:");
    w.writeStartElement(WebDavPush.NAMESPACE, "push-message");
    w.writeDefaultNamespace(WebDavPush.NAMESPACE);
    w.writeNamespace("D", "DAV:");
    w.writeStartElement(WebDavPush.NAMESPACE, "topic");
    w.writeCharacters(MESSAGE.topic().orElseThrow().value());
    w.writeEndElement();
    w.writeStartElement(WebDavPush.NAMESPACE, "content-update");
    w.writeStartElement("DAV:", "sync-token");
    w.writeCharacters(MESSAGE.contentUpdate().orElseThrow().syncToken());
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndElement();
    w.close();
    return out.toByteArray();
  }
}
