package dev.davpush.testkit.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.davpush.testkit.Level;
import dev.davpush.testkit.Outcome;
import dev.davpush.testkit.RequirementCatalogue;
import dev.davpush.testkit.report.JunitXmlDom;
import dev.davpush.testkit.report.MixedRun;
import java.net.URI;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ConformanceReportPropertyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whatever the server under test puts into evidence, every rendering stays well formed. */
  @Property
  void anyEvidenceKeepsEveryRenderingWellFormed(@ForAll("evidence") String evidence)
      throws Exception {
    ConformanceReport report =
        new ConformanceReport(
            URI.create("http://127.0.0.1/dav/"),
            MixedRun.STARTED,
            MixedRun.FINISHED,
            List.of(
                MixedRun.result(
                    RequirementCatalogue.R_WDP_24, Outcome.FAILED, Level.MUST, evidence),
                MixedRun.result(
                    RequirementCatalogue.R_WDP_2, Outcome.FAILED, Level.SHOULD, evidence)));

    Document xml = JunitXmlDom.parse(report.toJunitXml());
    Map<String, Element> cases = JunitXmlDom.cases(xml);
    String message =
        JunitXmlDom.children(cases.get("R-WDP-24"), "failure").get(0).getAttribute("message");
    assertThat(message).isEqualTo("MUST failed: " + sanitized(evidence));
    assertThat(JunitXmlDom.skip(cases.get("R-WDP-2")))
        .isEqualTo("SHOULD failed: " + sanitized(evidence));

    assertThat(JSON.readTree(report.toJson()).at("/results/1/evidence").textValue())
        .isEqualTo(evidence);

    String html = report.toHtml();
    String body = html.substring(html.indexOf("<body>"));
    // the only tags are the report's own
    assertThat(
            body.replaceAll(
                "</?(body|html|header|footer|section|h[123]|p|dl|dt|dd|table"
                    + "|thead|tbody|tr|th|td|code|span|br)( class=\"[a-zA-Z_ -]+\"| id=\"[a-z]+\")?>",
                ""))
        .doesNotContain("<", ">");
  }

  @Provide
  Arbitrary<String> evidence() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(60),
        Arbitraries.strings().withChars("<>&\"'\r\n\t\u0000\u0007]/=!-").ofMaxLength(30),
        Arbitraries.of("<script>alert(1)</script>", "]]>", "<!--", "\uD800", "a\uFFFEb"));
  }

  private static String sanitized(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              boolean ok =
                  cp == 0x9
                      || cp == 0xA
                      || cp == 0xD
                      || cp >= 0x20 && cp <= 0xD7FF
                      || cp >= 0xE000 && cp <= 0xFFFD
                      || cp >= 0x10000;
              sb.appendCodePoint(ok ? cp : 0xFFFD);
            });
    return sb.toString();
  }
}
