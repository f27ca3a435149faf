package io.calibra.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;

/**
 * The template-file parser on arbitrary bytes: a template, a {@link DataFileException}, or a usage
 * error for a demonstration whose label is not among the labels; nothing else. Fuzz with {@code
 * JAZZER_FUZZ=1 ./mvnw test -pl calibration-cli -Dtest=TemplateFileFuzzTest}.
 */
class TemplateFileFuzzTest {
  private static final LabelSet LABELS = LabelSet.of("negative", "positive");

  @FuzzTest(maxDuration = "5m")
  void parserThrowsOnlyDataFileException(byte[] data) {
    try {
      PromptTemplate t = TemplateFile.parse(data, Path.of("fuzzed-template.json"), LABELS);
      t.render("x");
      t.fingerprint();
    } catch (DataFileException | Main.UsageException expected) {
      // the documented outcome for bad input
    }
  }
}
