package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's AG News input: bad files fail before any model loads, naming line and column, and
 * texts are cleaned as the reference code does. (The AG News settings and the fp32 against int8
 * study are checked on the full run of {@link DemoCommandTest}.)
 */
class DemoAgNewsTest {
  @TempDir Path tmp;

  @Test
  void badAgNewsFilesFailBeforeAnyModelLoadsNamingLineAndColumn() throws IOException {
    Path out = tmp.resolve("report");
    Path sample = DemoRun.writeSample(tmp.resolve("sst2"));
    Path badClass = tmp.resolve("bad-class.csv");
    Files.writeString(badClass, "Class Index,Title,Description\n1,a,b\n7,\"x, y\",z\n");
    DemoRun r =
        DemoRun.of(
            "demo",
            "--sst2",
            sample.toString(),
            "--agnews",
            badClass.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains(badClass + ":3:1").contains("class index '7'");
    assertThat(r.out()).doesNotContain("zero-shot (");

    Path badHeader = tmp.resolve("bad-header.csv");
    Files.writeString(badHeader, "label,text\n1,a\n");
    DemoRun h = DemoRun.of("demo", "--agnews", badHeader.toString(), "--output", out.toString());
    assertThat(h.code()).isEqualTo(3);
    assertThat(h.err())
        .contains(badHeader + ":1:1")
        .contains("expected Class Index,Title,Description");

    Path tooFew = tmp.resolve("three-rows.csv");
    Files.writeString(tooFew, "Class Index,Title,Description\n1,a,b\n2,c,d\n3,e,f\n");
    DemoRun few = DemoRun.of("demo", "--agnews", tooFew.toString(), "--output", out.toString());
    assertThat(few.code()).isEqualTo(3);
    assertThat(few.err()).contains("expected at least 4 (half dev, half test)");

    DemoRun rows = DemoRun.of("demo", "--agnews-rows", "3", "--output", out.toString());
    assertThat(rows.code()).isEqualTo(2);
    assertThat(rows.err()).contains("--agnews-rows is 3; expected 0 (all) or at least 4");

    DemoRun missing =
        DemoRun.of(
            "demo", "--agnews", tmp.resolve("none.csv").toString(), "--output", out.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.csv is not a file");
    assertThat(out).doesNotExist();
  }

  @Test
  void agNewsTextsAreCleanedAsTheReferenceCodeDoes() {
    // hand computed from the replacements in ../shared/data/README.md
    assertThat(AgNews.clean("the bank #39;s view, quot;calm quot; \\ today"))
        .isEqualTo("the bank's view,\"calm\"   today");
  }
}
