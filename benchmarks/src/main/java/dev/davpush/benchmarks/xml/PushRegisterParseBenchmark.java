package dev.davpush.benchmarks.xml;

import dev.davpush.RegisterRequest;
import dev.davpush.xml.PushRegisterReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
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
import org.openjdk.jmh.infra.Blackhole;
import org.w3c.dom.Document;

/**
 * Parsing a typical {@code push-register} (the draft's sample, 1 KiB, pretty-printed): davpush's
 * {@link PushRegisterReader} (safe Woodstox, element tree, full validation including the P-256
 * on-curve check) beside two anchors on the same bytes: the JDK's DOM parser with secure processing
 * (what a hand-written server typically does, without any validation), and a bare Woodstox event
 * loop (the lower bound of any StAX-based reader). One thread.
 *
 * <p>Goal: ≥ 100,000 davpush parses per second on one core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PushRegisterParseBenchmark {
  static final String FUTURE = "Wed, 20 Dec 2123 10:03:31 GMT";
  static final byte[] DOCUMENT =
      ("""
      <push-register xmlns="https://bitfire.at/webdav-push" xmlns:D="DAV:">
        <subscription>
          <web-push-subscription>
            <push-resource>https://up.example.net/yohd4yai5Phiz1wi</push-resource>
            <content-encoding>aes128gcm</content-encoding>
            <subscription-public-key type="p256dh">BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4</subscription-public-key>
            <auth-secret>BTBZMqHH6r4Tts7J_aSIgg</auth-secret>
          </web-push-subscription>
        </subscription>
        <trigger>
          <content-update>
            <D:depth>infinity</D:depth>
          </content-update>
          <property-update>
            <D:depth>0</D:depth>
            <D:prop>
              <D:displayname/>
              <D:owner/>
            </D:prop>
          </property-update>
        </trigger>
        <expires>"""
              + FUTURE
              + """
      </expires>
      </push-register>
      """)
          .getBytes(StandardCharsets.UTF_8);

  private DocumentBuilder dom;
  private XMLInputFactory woodstox;

  @Setup
  public void setUp() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    dom = f.newDocumentBuilder();
    woodstox = new com.ctc.wstx.stax.WstxInputFactory();
    woodstox.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    if (PushRegisterReader.read(DOCUMENT).expires() == null) {
      throw new IllegalStateException("benchmark document must carry a future expiry");
    }
  }

  /** davpush: bytes to a validated {@link RegisterRequest}. */
  @Benchmark
  public RegisterRequest davpushPushRegisterReader() {
    return PushRegisterReader.read(DOCUMENT);
  }

  /** Anchor: the JDK's DOM parser (secure processing, no DOCTYPE), no model, no validation. */
  @Benchmark
  public Document anchorJdkDom() throws Exception {
    return dom.parse(new ByteArrayInputStream(DOCUMENT));
  }

  /** Anchor: a bare Woodstox event loop over the same bytes, no model. */
  @Benchmark
  public void anchorWoodstoxEvents(Blackhole bh) throws Exception {
    XMLStreamReader r = woodstox.createXMLStreamReader(new ByteArrayInputStream(DOCUMENT));
    while (r.hasNext()) {
      bh.consume(r.next());
    }
    r.close();
  }
}
